"""The environment stamp every published figure carries: what ran it, never who or where.

A benchmark's numbers mean little without the Python, OS, CPU count and package versions that
produced them. The hostname and paths are left out on purpose: the stamp is published.

```python
from example_support.environment_stamp import environment_stamp

stamp = environment_stamp(["pytest"])
assert stamp["python"].count(".") == 2
assert "hostname" not in stamp and stamp["packages"]["pytest"]
```
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from collections.abc import Iterable
from importlib import metadata


def environment_stamp(packages: Iterable[str] = ()) -> dict:
    """Python, OS, CPU count, the given packages' versions and today's date (UTC)."""
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "os": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "packages": versions,
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
    }


def stamp_line(stamp: dict) -> str:
    """The stamp as one line, for a chart's caption or a table's footer."""
    packages = ", ".join(f"{name} {version}" for name, version in stamp["packages"].items())
    line = f"Python {stamp['python']} on {stamp['os']} ({stamp['machine']}, "
    line += f"{stamp['cpu_count']} CPUs), {stamp['date']}"
    return f"{line}; {packages}" if packages else line
