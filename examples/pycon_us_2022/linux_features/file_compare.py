"""``filecmp``: compare two files or two directory trees, shallowly (by ``os.stat``) or deeply.

``filecmp.cmp`` is *shallow* by default: two regular files whose type, size and modification time
agree are declared equal without reading a byte. That is fast and usually right, and wrong for
two files of equal size written in the same second (or given the same mtime, as ``cp -p`` and
``rsync`` do). ``shallow=False`` compares contents. ``filecmp.dircmp`` compares two trees and
prints a report; it uses the same shallow test (its ``shallow`` argument exists since 3.13).

Without arguments the script builds two small trees in a temporary folder and compares them;
given two paths, it compares those.

```python
from examples.pycon_us_2022.linux_features.file_compare import TREES

assert set(TREES) == {"left", "right"}
```
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import io
import os
import sys
import tempfile
from pathlib import Path

from example_support.command_line import UsageError, run

# Two trees: one identical file, one that differs but has the same size and mtime, one that
# differs in size, one on each side only.
TREES = {
    "left": {
        "same.txt": "Tux the penguin\n",
        "sneaky.txt": "emperor\n",
        "sub/colony.txt": "12 penguins\n",
        "only-left.txt": "gentoo\n",
    },
    "right": {
        "same.txt": "Tux the penguin\n",
        "sneaky.txt": "empress\n",  # the same length as "emperor\n", other bytes
        "sub/colony.txt": "120 penguins\n",
        "only-right.txt": "adelie\n",
    },
}
MTIME = 1_651_190_400  # 2022-04-29, the day of the talk: every file gets the same one


def build_trees(root: Path) -> None:
    for tree, files in TREES.items():
        for name, text in files.items():
            path = root / tree / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            os.utime(path, (MTIME, MTIME))


def compare_files(first: Path, second: Path) -> list[str]:
    filecmp.clear_cache()  # cmp caches results by (path, stat signature)
    shallow = filecmp.cmp(first, second)
    deep = filecmp.cmp(first, second, shallow=False)
    lines = [f"filecmp.cmp({first}, {second}): {shallow}  (shallow: compares os.stat)"]
    lines.append(f"filecmp.cmp(..., shallow=False): {deep}  (reads the contents)")
    if shallow and not deep:
        lines.append("same type, size and mtime, different bytes: only the deep test sees it")
    return lines


def deep_differences(report: filecmp.dircmp) -> list[str]:
    """Files dircmp called identical that differ byte for byte, in the whole tree."""
    _, mismatch, errors = filecmp.cmpfiles(
        report.left, report.right, report.same_files, shallow=False
    )
    found = [str(Path(report.left) / name) for name in mismatch + errors]
    for sub in report.subdirs.values():
        found += deep_differences(sub)
    return found


def compare_trees(first: Path, second: Path) -> list[str]:
    report = filecmp.dircmp(first, second)
    with contextlib.redirect_stdout(printed := io.StringIO()):
        report.report_full_closure()  # dircmp prints its report
    lines = [line for line in printed.getvalue().splitlines() if line]
    missed = deep_differences(report)
    lines.extend(f"'identical' by stat, different bytes: {path}" for path in missed)
    return lines


def compare(first: Path, second: Path) -> list[str]:
    for path in (first, second):
        try:
            path.stat()  # exists() would call a symlink loop missing too
        except FileNotFoundError:
            raise
        except OSError as error:
            raise UsageError(f"{path}: {error.strerror}") from None
    if first.is_dir() and second.is_dir():
        return compare_trees(first, second)
    if first.is_dir() or second.is_dir():
        raise UsageError("compare two files or two directories, not one of each")
    return compare_files(first, second)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="file_compare",
        description="Compare two files or two directories with filecmp (default: a demo pair).",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="two paths, or none")
    args = parser.parse_args()
    # A file name that is not UTF-8 is shown escaped (caf\udce9), not a crash on a UTF-8 terminal.
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    if len(args.paths) not in (0, 2):
        raise UsageError("give two paths, or none for the demo trees")
    if args.paths:
        print("\n".join(compare(*args.paths)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        previous = Path.cwd()
        os.chdir(folder)  # so the report shows short relative names
        try:
            build_trees(Path())
            lines = compare_files(Path("left/sneaky.txt"), Path("right/sneaky.txt"))
            lines += ["", *compare(Path("left"), Path("right"))]
        finally:
            os.chdir(previous)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    run(main, prog="file_compare")
