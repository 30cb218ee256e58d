"""Which names did the compiler make local? Ask ``symtable``, the way Python itself decides.

Scope in Python is settled when a function is *compiled*, not when a line runs: any assignment to a
name anywhere in a function body (``=``, ``+=``, ``for x in``, ``import``, ``def``…) makes that name
local for the whole body, unless a ``global`` or ``nonlocal`` statement says otherwise. That is
why reading the global first and assigning later fails with ``UnboundLocalError``. This script
prints, for every function of a source file, which names are local, global, or free (from an
enclosing function).

```python
from examples.pycon_us_2022.python_oddities.local_names import scopes

report = scopes("NUMBERS = [1]\\ndef add_numbers(nums):\\n    NUMBERS += nums\\n")
assert report["add_numbers"]["local"] == ["NUMBERS", "nums"]
```
"""

from __future__ import annotations

import argparse
import symtable
from pathlib import Path

from example_support.command_line import UsageError, run

# The five functions of the talk's scope act, with the bodies and the list argument ``nums`` of its
# slides (treyhunner/python-oddities-talk at 2022-04-29). The talk reused the names ``add_numbers``
# and ``set_numbers`` on later slides; here each function gets its own name so each gets a line.
# The first three fail with UnboundLocalError; the last two work (one assigns, one mutates).
TALK_SOURCE = """\
NUMBERS = [1, 2, 3]

def add_numbers(nums):
    NUMBERS += nums

def add_numbers_with_plus(nums):
    NUMBERS = NUMBERS + nums

def set_numbers(nums):
    print(NUMBERS)
    NUMBERS = nums

def set_numbers_swapped(nums):
    NUMBERS = nums
    print(NUMBERS)

def extend_numbers(nums):
    NUMBERS.extend(nums)
    print(NUMBERS)
"""


def _classify(symbol: symtable.Symbol) -> str:
    if symbol.is_local():
        return "local"
    if symbol.is_free():
        return "free"
    return "global"


def scopes(source: str, filename: str = "<talk>") -> dict[str, dict[str, list[str]]]:
    """For each function (nested ones as ``outer.inner``): its names grouped by scope."""
    report: dict[str, dict[str, list[str]]] = {}

    def visit(table: symtable.SymbolTable, prefix: str) -> None:
        for child in table.get_children():
            name = f"{prefix}{child.get_name()}"
            if child.get_type() == "function":  # a str, or a StrEnum from 3.13 on
                grouped: dict[str, list[str]] = {"local": [], "global": [], "free": []}
                for symbol in child.get_symbols():
                    grouped[_classify(symbol)].append(symbol.get_name())
                report[name] = {kind: sorted(names) for kind, names in grouped.items()}
            visit(child, f"{name}.")

    visit(symtable.symtable(source, filename, "exec"), "")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="local_names",
        description="Print which names each function of a Python file treats as local.",
    )
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="a Python source file (default: the five functions of the talk's scope act)",
    )
    args = parser.parse_args()
    if args.path is None:
        source, filename = TALK_SOURCE, "<talk>"
    else:
        if args.path.is_dir():
            raise UsageError(f"{args.path} is a directory, not a Python file")
        if args.path.exists() and not args.path.is_file():  # open() on a FIFO waits for a writer
            raise UsageError(f"{args.path} is not a regular file")
        try:
            source = args.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise UsageError(f"{args.path} is not UTF-8 text: {error.reason}") from None
        filename = str(args.path)
    try:
        report = scopes(source, filename)
    except SyntaxError as error:  # a NUL byte is one too, with no line number
        where = f"{filename}:{error.lineno}" if error.lineno else filename
        raise UsageError(f"{where}: {error.msg}") from None
    except (MemoryError, RecursionError):  # how the compiler refuses thousands of nested lambdas
        raise UsageError(f"{filename}: too deeply nested to compile") from None
    for function, grouped in report.items():
        parts = [f"{kind}: {', '.join(names)}" for kind, names in grouped.items() if names]
        print(f"{function:22} {'; '.join(parts) or 'no names'}")
    return 0


if __name__ == "__main__":
    run(main, prog="local_names")
