"""Phase 2, importability: import every module of a tree, each in a fresh interpreter, and rank why.

Yelp's second phase imported every file under Python 3, took the *last frame of each traceback
that was a file of their own repository* and piped those lines through ``sort | uniq -c | sort
-n``: the file at the top of the ranking was the ticket worth the most. This tool does the same,
for a Python 2 tree or for any upgrade: ``--python`` names the interpreter to import with (say a
3.14 next to your 3.11). Each import runs in its own process with a timeout, so a module that
hangs, calls ``sys.exit()`` or crashes the interpreter is a finding, not the end of the run.

Importing runs each module's top-level code: run it on code you trust, or in a throwaway
container. ``PYTHONDONTWRITEBYTECODE`` keeps the tree free of ``__pycache__`` folders.

```python
from examples.pycon_us_2022.python3_migration.importability import rank

failures = [("a", "app/legacy.py:1", "No module named 'cPickle'"),
            ("b", "app/legacy.py:1", "No module named 'cPickle'"),
            ("c", "app/views.py:9", "name 'unicode' is not defined")]
assert rank(failures)[0] == (2, "app/legacy.py:1", "No module named 'cPickle'", ["a", "b"])
```
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.python3_migration.legacy_sample import sample_tree

MARKER = "@@importability@@ "
# Runs inside the interpreter under test, so it must work on any Python 3 (no f-string tricks).
CHILD = """
import importlib, json, sys, traceback
try:
    importlib.import_module(sys.argv[1])
except BaseException as error:
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(error.__traceback__)]
    if isinstance(error, SyntaxError) and error.filename:
        frames.append((error.filename, error.lineno or 0))
    text = str(error).strip().splitlines()
    found = {"type": type(error).__name__, "message": text[0] if text else "", "frames": frames}
    sys.stdout.write("\\n" + MARKER + json.dumps(found) + "\\n")
    sys.exit(1)
""".replace("MARKER", repr(MARKER))
DEFAULT_EXCLUDE = ("setup", "conftest")  # importing setup.py would run a build
MAX_TIMEOUT = 24 * 3600  # seconds; more overflows the millisecond poll inside subprocess

Failure = tuple[str, str, str]  # module, in-tree location, "Type: message"


def discover_modules(root: Path, exclude: Sequence[str] = DEFAULT_EXCLUDE) -> list[str]:
    """Dotted names of the importable modules under ``root``: top-level files and packages."""
    names: list[str] = []

    def visit(folder: Path, prefix: str) -> None:
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name == "__pycache__":
                continue
            if entry.is_dir() and not entry.is_symlink() and (entry / "__init__.py").is_file():
                names.append(prefix + entry.name)
                visit(entry, f"{prefix}{entry.name}.")
            elif entry.suffix == ".py" and entry.stem != "__init__" and entry.stem.isidentifier():
                names.append(prefix + entry.stem)

    visit(root, "")
    return [name for name in names if not any(fnmatch.fnmatch(name, p) for p in exclude)]


def import_in_subprocess(
    module: str, root: Path, python: str, timeout: float
) -> tuple[str, str] | None:
    """Import ``module`` in a new ``python``; None if it imports, else (location, reason)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [python, "-c", CHILD, module],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        errors="replace",
        start_new_session=True,  # a module that starts children is stopped with them
    )
    try:
        stdout, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return _module_file(module, root), f"timed out after {timeout:g} s"
    if process.returncode == 0:
        return None
    report = next((ln for ln in reversed(stdout.splitlines()) if ln.startswith(MARKER)), None)
    if report is None:  # killed by a signal, or os._exit() at import time
        return _module_file(module, root), f"interpreter exited with status {process.returncode}"
    found = json.loads(report[len(MARKER) :])
    reason = f"{found['type']}: {found['message']}".rstrip(": ")
    return last_frame_in(root, found["frames"]) or _module_file(module, root), reason


def last_frame_in(root: Path, frames: Iterable[Sequence]) -> str | None:
    """The talk's key: the innermost traceback frame that is a file of this tree, as path:line."""
    root = root.resolve()
    location = None
    for filename, line in frames:
        path = Path(filename)
        if path.is_absolute() and path.resolve().is_relative_to(root):
            location = f"{path.resolve().relative_to(root).as_posix()}:{line}"
        elif not path.is_absolute() and (root / path).is_file():
            location = f"{path.as_posix()}:{line}"
    return location


def _module_file(module: str, root: Path) -> str:
    base = root.joinpath(*module.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    return path.relative_to(root).as_posix()


def rank(failures: Iterable[Failure]) -> list[tuple[int, str, str, list[str]]]:
    """``sort | uniq -c | sort -rn`` on the locations: (count, location, first reason, modules)."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for module, location, reason in failures:
        groups.setdefault(location, (reason, []))[1].append(module)
    ranked = [(len(mods), loc, reason, sorted(mods)) for loc, (reason, mods) in groups.items()]
    return sorted(ranked, key=lambda row: (-row[0], row[1]))


def check_tree(
    root: Path,
    *,
    python: str = sys.executable,
    timeout: float = 30,
    jobs: int = 1,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    progress: bool = False,
) -> tuple[list[str], list[Failure]]:
    """Import every module under ``root``; return the modules and the failures."""
    modules = discover_modules(root, exclude)
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # threads: each one waits on a process
        outcomes: Iterable = pool.map(
            lambda module: import_in_subprocess(module, root, python, timeout), modules
        )
        if progress:
            from tqdm import tqdm

            outcomes = tqdm(outcomes, total=len(modules), unit="module", file=sys.stderr)
        failures = [(m, *found) for m, found in zip(modules, outcomes, strict=True) if found]
    return modules, failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="importability",
        description="Import every module under ROOT in its own interpreter and rank the failures "
        "by the last traceback frame inside ROOT. Exit 0 if all import, 1 if not, 2 on bad usage.",
    )
    parser.add_argument(
        "root", type=Path, nargs="?", help="the folder that is on sys.path for your code"
    )
    parser.add_argument("--python", default=sys.executable, help="interpreter to import with")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per import")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--exclude", action="append", help="module name glob to skip (default: setup, conftest)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list the modules per line")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--demo", action="store_true", help="check the talk-style sample tree")
    args = parser.parse_args(argv)
    if args.demo:
        with sample_tree() as root:
            return main([str(root), *(a for a in (argv or sys.argv[1:]) if a != "--demo")])
    if args.root is None:
        raise UsageError("give the folder to check (or --demo)")
    if not args.root.exists():
        raise UsageError(f"no such folder: {args.root}")
    if not args.root.is_dir():
        raise UsageError(f"{args.root} is not a folder; give the folder your imports start from")
    if shutil.which(args.python) is None:
        raise UsageError(f"no such interpreter: {args.python}")
    if not math.isfinite(args.timeout):  # nan passes every comparison; inf overflows a poll
        raise UsageError(f"--timeout must be a finite number of seconds, not {args.timeout}")
    if args.jobs < 1 or args.timeout <= 0:
        raise UsageError("--jobs and --timeout must be positive")
    if args.timeout > MAX_TIMEOUT:
        raise UsageError(f"--timeout must be at most {MAX_TIMEOUT} seconds (a day)")
    if not discover_modules(args.root, args.exclude or DEFAULT_EXCLUDE):
        # "0 of 0 modules import" would pass CI for a mistyped folder, so nothing found is an error.
        raise UsageError(f"no importable modules found in {args.root}")
    modules, failures = check_tree(
        args.root,
        python=args.python,
        timeout=args.timeout,
        jobs=args.jobs,
        exclude=DEFAULT_EXCLUDE if args.exclude is None else args.exclude,
        progress=not args.no_progress and sys.stderr.isatty(),
    )
    for count, location, reason, names in rank(failures):
        print(f"{count:7} {location}  {reason}")
        if args.verbose:
            print(f"{'':8}{', '.join(names)}")
    print(f"{len(modules) - len(failures)} of {len(modules)} modules import")
    return 1 if failures else 0


if __name__ == "__main__":
    run(main, prog="importability")
