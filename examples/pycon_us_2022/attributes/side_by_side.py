"""Run every comparison case against a built-in and its pure-Python twin, and print both outcomes.

A re-implementation is only a good explanation if a program cannot tell it from the original.
For each case this prints ``same`` when the two outcomes match (after spelling the
re-implementation's class name as the built-in's, and memory addresses as ``0x…``), or
``DIFFERS`` and both outcomes.

```python
from examples.pycon_us_2022.attributes.side_by_side import compare

rows = compare("partial")
assert rows and all(row.same for row in rows)
```
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import types
from dataclasses import dataclass
from typing import Any

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.attributes.descriptor_cases import (
    BOUND_METHOD,
    CLASSMETHOD,
    PROPERTY,
    STATICMETHOD,
    Case,
)
from examples.pycon_us_2022.attributes.methods_in_python import (
    BoundMethod,
    ClassMethod,
    StaticMethod,
)
from examples.pycon_us_2022.attributes.partial_cases import PARTIAL
from examples.pycon_us_2022.attributes.partial_in_python import Partial
from examples.pycon_us_2022.attributes.property_in_python import Property

ADDRESS = re.compile(r"0x[0-9a-fA-F]+")

CASES: dict[str, dict[str, Case]] = {
    "property": PROPERTY,
    "classmethod": CLASSMETHOD,
    "staticmethod": STATICMETHOD,
    "bound method": BOUND_METHOD,
    "partial": PARTIAL,
}


def known_difference(kind: str, case: str) -> str | None:
    """Why a case may differ on the running Python, or None when it must match exactly.

    A pure-Python class can only build a method object through ``types.MethodType``, which
    refuses a first argument that is not callable; the C code of the built-in does not check.
    """
    if (kind, case) == ("classmethod", "a non-callable's method: __func__"):
        return (
            "types.MethodType refuses a non-callable, so ClassMethod binds a stand-in that "
            "raises the built-in's error when called"
        )
    return None


def implementations() -> dict[str, tuple[Any, Any]]:
    """Each kind's built-in and its re-implementation, in that order."""
    return {
        "property": (property, Property),
        "classmethod": (classmethod, ClassMethod),
        "staticmethod": (staticmethod, StaticMethod),
        "bound method": (types.MethodType, BoundMethod),
        "partial": (functools.partial, Partial),
    }


@dataclass(frozen=True)
class Row:
    """One case: what the built-in did, what the re-implementation did."""

    case: str
    builtin: str
    ours: str
    known: str | None = None  # why this case may differ on the running Python

    @property
    def same(self) -> bool:
        return self.builtin == self.ours

    @property
    def accepted(self) -> bool:
        return self.same or self.known is not None


def _names(impl: Any) -> list[tuple[str, str]]:
    """The spellings of a type's name, longest first, as (re-implementation's, built-in's)."""
    qualified = f"{impl.__module__}.{impl.__qualname__}"
    return [(qualified, "qualified"), (impl.__qualname__, "qualname")]


def outcome(case: Any, impl: Any, *, named_as: Any = None) -> str:
    """What running one case shows: the returned value's repr, or the exception raised.

    ``named_as`` is the built-in that ``impl`` imitates: the re-implementation's own class name
    is written as the built-in's, so that only behaviour can differ, never the spelling.
    """
    try:
        result = repr(case(impl))
    except Exception as error:  # every error a case can provoke is part of what it shows
        result = f"{type(error).__name__}: {error}"
    if named_as is not None:
        spelled = {"qualified": f"{named_as.__module__}.{named_as.__qualname__}"}
        spelled["qualname"] = named_as.__qualname__
        for name, kind in _names(impl):
            result = re.sub(rf"(?<![\w.]){re.escape(name)}\b", spelled[kind], result)
    return ADDRESS.sub("0x…", result)


def compare(kind: str, only: str = "") -> list[Row]:
    """Every case of ``kind`` (whose name contains ``only``) run with both implementations."""
    builtin, ours = implementations()[kind]
    return [
        Row(
            name,
            outcome(case, builtin),
            outcome(case, ours, named_as=builtin),
            known_difference(kind, name),
        )
        for name, case in CASES[kind].items()
        if only in name
    ]


def main(
    kinds: list[str] | None = None, *, prog: str = "side_by_side", argv: list[str] | None = None
) -> int:
    """Print the comparison for ``kinds`` (or those named on the command line)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Compare built-ins with their pure-Python re-implementations, case by case.",
    )
    if kinds is None:
        parser.add_argument(
            "kinds",
            nargs="*",
            metavar="KIND",
            help=f"what to compare: {', '.join(repr(k) for k in CASES)} (default: all)",
        )
    parser.add_argument("--case", default="", help="only the cases whose name contains this")
    parser.add_argument(
        "--show", action="store_true", help="print the outcome of every case, not only differences"
    )
    options = parser.parse_args(sys.argv[1:] if argv is None else argv)
    chosen = kinds if kinds is not None else (options.kinds or list(CASES))
    unknown = [kind for kind in chosen if kind not in CASES]
    if unknown:
        raise UsageError(f"unknown kind {unknown[0]!r}; choose from {', '.join(CASES)}")
    differ = known = total = 0
    for kind in chosen:
        builtin, ours = implementations()[kind]
        rows = compare(kind, options.case)
        if not rows:
            continue
        print(f"{kind}: {builtin.__qualname__} vs {ours.__name__}")
        for row in rows:
            label = "same   " if row.same else ("known  " if row.accepted else "DIFFERS")
            shown = f"  -> {row.builtin}" if options.show or not row.same else ""
            print(f"  {label} {row.case}{shown}")
            if not row.same:
                print(f"          {'':<{len(row.case)}}  ours: {row.ours}")
            if not row.same and row.known:
                print(f"          {'':<{len(row.case)}}  why: {row.known}")
        total += len(rows)
        differ += sum(not row.accepted for row in rows)
        known += sum(row.accepted and not row.same for row in rows)
    if total == 0:
        raise UsageError(f"no case name contains {options.case!r}")
    documented = f", {known} differs as documented" if known else ""
    print(f"{total - differ - known} of {total} cases behave the same{documented}")
    return 1 if differ else 0


if __name__ == "__main__":
    run(main, prog="side_by_side")
