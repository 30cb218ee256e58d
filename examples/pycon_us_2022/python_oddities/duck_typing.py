"""Which operations accept which iterables? A table of duck typing in the built-ins.

The talk's point: ``list += x`` accepts any iterable (like ``list.extend``), while ``tuple += x``
wants a tuple, so lists, not tuples, are the odd ones. Many built-ins check behaviour, not type:
``str.join`` takes any iterable of strings, ``dict()`` any iterable of pairs. This script tries each
operation on each kind of argument and prints what happened.

```python
from examples.pycon_us_2022.python_oddities.duck_typing import attempt, OPERATIONS

assert attempt(OPERATIONS["list += x"], ("a", "b")) == "['a', 'b']"
assert attempt(OPERATIONS["tuple += x"], ["a", "b"]).startswith("TypeError")
```
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable

from example_support.command_line import run


def _list_iadd(x: Iterable) -> list:
    result: list = []
    result += x
    return result


def _tuple_iadd(x: object) -> tuple:
    result: tuple = ()
    result += x  # type: ignore[operator]
    return result


def _list_extend(x: Iterable) -> list:
    result: list = []
    result.extend(x)
    return result


# Each operation starts from an empty value, so the result shows exactly what it took from x.
OPERATIONS: dict[str, Callable[[object], object]] = {
    "list += x": _list_iadd,
    "list.extend(x)": _list_extend,
    "list + x": lambda x: [] + x,  # type: ignore[operator]  # noqa: RUF005 (the + is the point)
    "tuple += x": _tuple_iadd,
    "''.join(x)": lambda x: "".join(x),  # type: ignore[arg-type]
    "dict(x)": lambda x: dict(x),  # type: ignore[call-overload]
    "set(x)": lambda x: sorted(set(x)),  # type: ignore[call-overload]
}

# Arguments of several shapes; each a fresh object per call (generators are used up).
ARGUMENTS: dict[str, Callable[[], object]] = {
    "a list": lambda: ["ab", "cd"],
    "a tuple": lambda: ("ab", "cd"),
    "a string": lambda: "ab",
    "a generator": lambda: (s for s in ("ab", "cd")),
    "a dict": lambda: {"ab": 1, "cd": 2},
    "a number": lambda: 42,
}


def attempt(operation: Callable[[object], object], argument: object) -> str:
    """What ``operation(argument)`` gives: its repr, or the exception's type and message."""
    try:
        return repr(operation(argument))
    except (TypeError, ValueError) as error:
        return f"{type(error).__name__}: {error}"


def table(operations: list[str]) -> list[tuple[str, str, str]]:
    """Rows of (operation, argument kind, outcome) for every pairing."""
    return [
        (name, kind, attempt(OPERATIONS[name], make()))
        for name in operations
        for kind, make in ARGUMENTS.items()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="duck_typing",
        description="Try list +=, tuple +=, str.join, dict() and friends on many iterables.",
    )
    parser.add_argument(
        "operations",
        nargs="*",
        metavar="OPERATION",
        help=f"which operations to try (default: all of {', '.join(OPERATIONS)})",
    )
    chosen = parser.parse_args().operations or list(OPERATIONS)
    unknown = [name for name in chosen if name not in OPERATIONS]
    if unknown:
        parser.error(f"unknown operation {unknown[0]!r}; choose from {', '.join(OPERATIONS)}")
    previous = None
    for name, kind, outcome in table(chosen):
        if name != previous:
            print(name)
            previous = name
        print(f"  {kind:12} -> {outcome}")
    return 0


if __name__ == "__main__":
    run(main, prog="duck_typing")
