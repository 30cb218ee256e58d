"""``locale``: the C library's cultural conventions (numbers, money, dates, sorting), per process.

A locale is not a location: it is a named set of conventions, installed as data on the system
(``locale -a`` lists them) and chosen through ``LANG`` / ``LC_*`` environment variables. Every C
program starts in the "C" locale; Python then adopts the environment's ``LC_CTYPE`` (the text
encoding) but leaves the other categories, numbers included, at "C" until the program calls
``setlocale``. Switching to a locale that is not installed raises ``locale.Error``.

This script parses the same strings as numbers under several locales, where they are installed.

```python
from examples.pycon_us_2022.linux_features.locale_numbers import CANDIDATES

assert CANDIDATES[0] == "C.UTF-8"
```
"""

from __future__ import annotations

import argparse
import locale
import sys

from example_support.command_line import run

# C.UTF-8 is locale data too (glibc 2.35+ ships it; Debian's libc-bin installs it), but it is
# present almost everywhere; the others need more locale data (Debian: locales-all).
CANDIDATES = ["C.UTF-8", "en_US.UTF-8", "es_ES.UTF-8", "de_DE.UTF-8"]
NUMBERS = ["1,234.5", "1.234,5"]
AMOUNT = 1234567.891


def parse(text: str) -> str:
    """``locale.atof`` under the current LC_NUMERIC, or the error it raises."""
    try:
        return repr(locale.atof(text))
    except ValueError:
        return "ValueError"


def under(name: str, numbers: list[str]) -> dict[str, str] | None:
    """How the locale ``name`` reads and writes numbers; None if it is not installed."""
    previous = locale.setlocale(locale.LC_NUMERIC)
    try:
        locale.setlocale(locale.LC_NUMERIC, name)
    except (locale.Error, ValueError):  # ValueError: a name that is not text (non-UTF-8 bytes)
        return None
    try:
        conventions = locale.localeconv()
        row = {
            "decimal": repr(conventions["decimal_point"]),
            "thousands": repr(conventions["thousands_sep"]),
        }
        row |= {text: parse(text) for text in numbers}
        row["written"] = locale.format_string("%.2f", AMOUNT, grouping=True)
        return row
    finally:
        locale.setlocale(locale.LC_NUMERIC, previous)


def start_up() -> str:
    ctype = locale.setlocale(locale.LC_CTYPE)  # one argument: a query, nothing changes
    numeric = locale.setlocale(locale.LC_NUMERIC)
    return f"at start-up: LC_CTYPE={ctype} (from the environment), LC_NUMERIC={numeric}"


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="locale_numbers",
        description="Parse and format numbers under the locales installed here.",
    )
    parser.add_argument("numbers", nargs="*", default=NUMBERS, help=f"default: {NUMBERS}")
    parser.add_argument("--locale", action="append", dest="locales", help="locale names to try")
    args = parser.parse_args()
    # Names and numbers given in bytes that are not UTF-8 are shown escaped, never a crash.
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    print(start_up())
    heads = ["decimal", "thousands", *(f"atof({n!r})" for n in args.numbers), "written"]
    print(f"{'locale':<13}" + "".join(f"{head:<17}" for head in heads).rstrip())
    for name in args.locales or CANDIDATES:
        row = under(name, args.numbers)
        if row is None:
            print(f"{name:<13}not installed (locale.Error)")
            continue
        cells = [row["decimal"], row["thousands"], *(row[n] for n in args.numbers), row["written"]]
        print(f"{name:<13}" + "".join(f"{cell:<17}" for cell in cells).rstrip())
    return 0


if __name__ == "__main__":
    run(main, prog="locale_numbers")
