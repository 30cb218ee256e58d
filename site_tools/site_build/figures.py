"""Figures in a page's prose, read from the results files its benchmarks wrote.

A page never types a measured number. It writes a placeholder, and the build puts the value in::

    It ran {{ figure("binary-extensions/kernels", "results.speedup", ".0f") }} times faster.

- the first argument names ``docs/<event>/assets/<talk>/<name>.json`` (the talk's results file);
- the second is an expression over that JSON: dotted keys (``results.rows[0].seconds``), numbers,
  ``+ - * /``, and ``min``, ``max``, ``abs``, ``round``, ``len``, ``sum``; nothing else runs;
- the third, optional, is a format spec (``".1f"``, ``",d"``), as in ``format(value, spec)``.

Re-running a benchmark therefore changes the page, and a placeholder that no longer resolves (a
renamed key, a missing file) fails the build and ``tests/site_tools/site_build/test_figures.py``.
Placeholders belong in prose: a code fence shows what a command prints and is checked against it
instead.
"""

from __future__ import annotations

import ast
import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_STRING = r"""(?:"[^"\n]*"|'[^'\n]*')"""
_ARGS = rf"(?P<args>\s*{_STRING}(?:\s*,\s*{_STRING})*\s*)"
PLACEHOLDER = re.compile(rf"\{{\{{\s*figure\({_ARGS}\)\s*\}}\}}")
# Code is shown as written: a placeholder inside a fence or an inline code span is an example of
# the syntax (CONTRIBUTING shows one), not a figure.
_CODE = re.compile(
    r"^[ \t]*(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^[ \t]*(?P=fence)[ \t]*$"
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
    re.MULTILINE | re.DOTALL,
)
_OPERATORS: dict[type, Callable] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.USub: operator.neg,
}
_FUNCTIONS: dict[str, Callable] = {
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "len": len,
    "sum": sum,
}


class FigureError(ValueError):
    """A placeholder that cannot be filled: the message says which one and why."""


@dataclass(frozen=True)
class Figure:
    """One placeholder of a page: where it is, what it reads, how it is shown."""

    source: str
    expression: str
    spec: str
    text: str

    def render(self, assets: Path) -> str:
        path = assets / f"{self.source}.json"
        if not path.is_file():
            raise FigureError(f"{self.text}: no results file assets/{self.source}.json")
        try:
            value = evaluate(self.expression, _load(path))
            return format(value, self.spec)
        except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError) as error:
            raise FigureError(f"{self.text}: {type(error).__name__}: {error}") from None


@cache
def _load_cached(path: Path, mtime_ns: int) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def _load(path: Path) -> object:
    return _load_cached(path, path.stat().st_mtime_ns)


def _prose(markdown: str) -> list[tuple[int, int]]:
    """The spans of ``markdown`` outside code, where placeholders are filled."""
    spans, start = [], 0
    for code in _CODE.finditer(markdown):
        spans.append((start, code.start()))
        start = code.end()
    spans.append((start, len(markdown)))
    return spans


def figures_in(markdown: str) -> list[Figure]:
    """Every placeholder in a page's prose, in order."""
    found = []
    for start, end in _prose(markdown):
        found += _parse(markdown[start:end])
    return found


def _parse(prose: str) -> list[Figure]:
    found = []
    for match in PLACEHOLDER.finditer(prose):
        args = ast.literal_eval(f"({match['args']},)")
        if len(args) not in (2, 3):
            raise FigureError(f"{match[0]}: figure() takes a results file, an expression, a spec")
        found.append(Figure(args[0], args[1], args[2] if len(args) == 3 else "", match[0]))
    return found


def fill(markdown: str, assets: Path) -> str:
    """The page with every placeholder replaced by its value (FigureError if one cannot be)."""
    pieces = []
    for (start, end), code in zip(_prose(markdown), [*_CODE.finditer(markdown), None], strict=True):
        prose = markdown[start:end]
        pieces.append(PLACEHOLDER.sub(lambda match: _parse(match[0])[0].render(assets), prose))
        pieces.append(code[0] if code else "")
    return "".join(pieces)


def evaluate(expression: str, data: object) -> object:
    """The value of a figure's expression over one results file (a tiny, closed language)."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise ValueError(f"not an expression: {expression!r}") from error
    return _value(tree.body, data)


def _value(node: ast.AST, data: object) -> object:
    match node:
        case ast.Constant(value=int() | float() as number):
            return number
        case ast.Name(id=key):
            return _item(data, key)
        case ast.Attribute(value=inner, attr=key):
            return _item(_value(inner, data), key)
        case ast.Subscript(value=inner, slice=ast.Constant(value=int() | str() as key)):
            return _item(_value(inner, data), key)
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _OPERATORS:
            return _OPERATORS[type(op)](_value(left, data), _value(right, data))
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_value(operand, data)
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in _FUNCTIONS:
            return _FUNCTIONS[name](*(_value(arg, data) for arg in args))
        case ast.List(elts=items):
            return [_value(item, data) for item in items]
    raise ValueError(f"not allowed in a figure: {ast.unparse(node)!r}")


def _item(container: object, key: str | int) -> object:
    if isinstance(container, dict):
        if key not in container:
            raise KeyError(f"{key!r} not among {sorted(container)[:8]}")
        return container[key]
    if isinstance(container, list) and isinstance(key, int):
        return container[key]
    raise TypeError(f"cannot take {key!r} of a {type(container).__name__}")
