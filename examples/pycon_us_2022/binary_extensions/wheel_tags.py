"""Which wheels can this Python install? Wheel tags, extension suffixes and the stable ABI.

A wheel's file name ends in three tags, ``{python}-{abi}-{platform}``. A compiled wheel is only
installable where all three match, which is why a package ships one wheel per platform and Python
ABI. This script prints the tags the running interpreter accepts (``packaging.tags``, the code pip
uses), the file suffix its extension modules need (``sysconfig``), and, for wheel file names given
on the command line, whether and how well each one matches.

```python
from examples.pycon_us_2022.binary_extensions.wheel_tags import rank

assert rank("example-1.0-py3-none-any.whl") is not None
assert rank("example-1.0-cp39-cp39-win32.whl") is None
```
"""

from __future__ import annotations

import argparse
import platform
import sys
import sysconfig

from packaging.tags import Tag, sys_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from example_support.command_line import UsageError, run


def accepted_tags() -> list[Tag]:
    """Every tag this interpreter accepts, best first: pip installs the best-ranked wheel."""
    return list(sys_tags())


def rank(filename: str) -> int | None:
    """1-based rank of the best tag of ``filename`` for this interpreter; None if it cannot run."""
    try:
        _, _, _, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename as error:
        raise UsageError(f"not a wheel file name: {error}") from None
    positions = {tag: index for index, tag in enumerate(accepted_tags(), start=1)}
    ranks = [positions[tag] for tag in tags if tag in positions]
    return min(ranks) if ranks else None


def suffixes() -> dict[str, str]:
    """The file name endings this interpreter imports as extension modules."""
    ext_suffix = sysconfig.get_config_var("EXT_SUFFIX") or ""
    # Windows marks nothing in the name: a stable-ABI module is a plain .pyd there.
    stable = ".pyd" if ext_suffix.endswith(".pyd") else ".abi3." + ext_suffix.rsplit(".", 1)[-1]
    return {"version-specific (EXT_SUFFIX)": ext_suffix, "stable ABI (abi3)": stable}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="wheel_tags",
        description="Show the wheel tags this interpreter accepts, and rank wheel file names.",
    )
    parser.add_argument("wheels", nargs="*", metavar="WHEEL", help="wheel file names to rank")
    parser.add_argument("--limit", type=int, default=5, help="tags to list (default: 5)")
    args = parser.parse_args()
    # A file name given in bytes that are not UTF-8 is shown escaped, never a crash.
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    if args.limit < 0:
        raise UsageError("--limit must not be negative")
    verdicts = {}
    for wheel in args.wheels:  # every name is checked before anything is printed
        position = rank(wheel)
        verdicts[wheel] = "cannot be installed here" if position is None else f"rank {position}"
    tags = accepted_tags()
    implementation = platform.python_implementation()
    print(f"{implementation} {platform.python_version()} on {sysconfig.get_platform()}")
    for kind, suffix in suffixes().items():
        print(f"  extension modules, {kind}: {suffix}")
    print(f"accepts {len(tags)} tags; the most specific first:")
    for index, tag in enumerate(tags[: args.limit], start=1):
        print(f"  {index:>3}. {tag}")
    for wheel, verdict in verdicts.items():
        print(f"{wheel}: {verdict}")
    return 0


if __name__ == "__main__":
    run(main, prog="wheel_tags")
