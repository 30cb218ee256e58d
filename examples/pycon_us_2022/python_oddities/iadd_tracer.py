"""Watch ``x[0] += [3, 4]`` happen one step at a time: a read, an ``__iadd__``, then an assignment.

The talk's most obscure oddity is a statement that raises *and* mutates. This script runs the
statement against containers that report every special-method call, so the order is visible:
``__getitem__`` fetches the list, the list's ``__iadd__`` extends it (the mutation), and only then
``__setitem__`` stores the result back (the assignment, which a tuple refuses).

```python
from examples.pycon_us_2022.python_oddities.iadd_tracer import trace

steps, error = trace("tuple")
assert [step.split()[0].split("(")[0] for step in steps[:3]] == [
    "__getitem__", "__iadd__", "__setitem__"
]
assert error == "TypeError"
```
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from example_support.command_line import run


class TracedList(list):
    """A list that reports its in-place addition before doing it."""

    def __init__(self, items: list, log: Callable[[str], None]) -> None:
        super().__init__(items)
        self._log = log

    def __iadd__(self, other: object) -> TracedList:
        self._log(f"__iadd__({other!r})  -> mutates the list, then returns it")
        return super().__iadd__(other)


def _traced_container(kind: str, log: Callable[[str], None]) -> tuple[object, TracedList]:
    """A one-item container of ``kind`` that reports item access, and the list inside it."""
    base = {"tuple": tuple, "list": list, "dict": dict}[kind]

    def __getitem__(self: object, key: object) -> object:
        log(f"__getitem__({key!r})  -> fetches the list")
        return base.__getitem__(self, key)

    def __setitem__(self: object, key: object, value: object) -> None:
        log(f"__setitem__({key!r}, <the same list>)  -> the assignment")
        base.__setitem__(self, key, value)

    methods: dict[str, object] = {"__getitem__": __getitem__}
    if hasattr(base, "__setitem__"):
        methods["__setitem__"] = __setitem__
    # Named after its base, so a refused assignment raises Python's own message for that type.
    traced = type(kind, (base,), methods)
    inner = TracedList([1, 2], log)
    return traced({0: inner} if base is dict else [inner]), inner


def trace(kind: str) -> tuple[list[str], str | None]:
    """Run ``x[0] += [3, 4]`` on a traced ``kind`` container; return the steps and any error."""
    steps: list[str] = []
    x, inner = _traced_container(kind, steps.append)
    error = None
    try:
        x[0] += [3, 4]  # the statement under study
    except TypeError as exc:
        steps.append(f"__setitem__ refused  -> TypeError: {exc}")
        error = type(exc).__name__
    steps.append(f"x[0] is now {inner!r}")
    return steps, error


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="iadd_tracer",
        description="Show the three steps of x[0] += [3, 4] on a tuple, a list or a dict.",
    )
    parser.add_argument(
        "container",
        nargs="?",
        default="tuple",
        choices=["tuple", "list", "dict"],
        help="what x is (default: tuple, the talk's case)",
    )
    kind = parser.parse_args().container
    print(f"x = {kind} holding the list [1, 2]; running x[0] += [3, 4]")
    steps, error = trace(kind)
    for number, step in enumerate(steps[:-1], start=1):
        print(f"  {number}. {step}")
    print(f"  raised {error}" if error else "  no error")
    print(f"  {steps[-1]}")
    return 0


if __name__ == "__main__":
    run(main, prog="iadd_tracer")
