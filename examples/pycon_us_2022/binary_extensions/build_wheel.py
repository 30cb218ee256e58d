"""Build the sdist and the wheel of ``compiled_kernels``, the way a release does, and look inside.

PyPA's ``build`` asks the package's build backend (scikit-build-core, named in its
``pyproject.toml``) for an sdist, then builds the wheel *from that sdist*, so a file missing from
the sdist fails here rather than for a user. The build runs without isolation, with the
scikit-build-core, pybind11 and nanobind of this environment, so it needs no network. The output
lands in ``build/binary-extensions/dist`` (git-ignored) unless ``--out-dir`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from example_support.command_line import UsageError, run

PROJECT = Path(__file__).resolve().parent / "compiled_kernels"
REPO_ROOT = PROJECT.parents[3]
DIST = REPO_ROOT / "build" / "binary-extensions" / "dist"
MAX_JOBS = 256  # parallel compile jobs; CMake and Ninja refuse absurd counts only mid-build


def build(out_dir: Path, jobs: int) -> list[Path]:
    """Build sdist and wheel into ``out_dir``; the files made, sdist first."""
    command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out_dir)]
    env = {**os.environ, "CMAKE_BUILD_PARALLEL_LEVEL": str(jobs)}
    result = subprocess.run(
        [*command, str(PROJECT)], capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise UsageError("the build failed (the build's own output is above)")
    # The newest sdist and wheel of the package are this build's (same names replace old ones).
    return [
        max(out_dir.glob(f"compiled_kernels-*{ending}"), key=lambda path: path.stat().st_mtime)
        for ending in (".tar.gz", ".whl")
    ]


def wheel_contents(wheel: Path) -> list[tuple[str, int]]:
    """Each file in the wheel with its size in bytes."""
    with zipfile.ZipFile(wheel) as archive:
        return [(info.filename, info.file_size) for info in archive.infolist()]


def wheel_tag(wheel: Path) -> str:
    """The Tag line the backend wrote into the wheel's WHEEL metadata file."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/WHEEL"))
        lines = archive.read(name).decode().splitlines()
    return next(line.split(": ", 1)[1] for line in lines if line.startswith("Tag: "))


def _shown(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) else path.name


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="build_wheel",
        description="Build the sdist and wheel of compiled_kernels and list what the wheel holds.",
    )
    parser.add_argument("--out-dir", type=Path, default=DIST, help="where the files go")
    parser.add_argument("--jobs", type=int, default=1, help="parallel compile jobs (default: 1)")
    args = parser.parse_args()
    if not 1 <= args.jobs <= MAX_JOBS:
        raise UsageError(f"--jobs must be between 1 and {MAX_JOBS}")
    # Refused before building: a file, a FIFO or a symlink loop where the folder goes.
    if os.path.lexists(args.out_dir) and not args.out_dir.is_dir():
        raise UsageError(f"not a folder: {args.out_dir}")
    made = build(args.out_dir.resolve(), args.jobs)
    for path in made:
        print(f"built {_shown(path)}")
    for wheel in (path for path in made if path.suffix == ".whl"):
        print(f"{wheel.name}: tag {wheel_tag(wheel)}")
        for name, size in wheel_contents(wheel):
            print(f"  {size:>9,}  {name}")
    return 0


if __name__ == "__main__":
    run(main, prog="build_wheel")
