"""Printing a benchmark's saved results again (``--saved``): the saved table, or one clear error.

A results folder is outside input, whoever wrote it: the file may be missing, a FIFO (``open()``
would wait for a writer for ever), not UTF-8, not JSON, or JSON of another shape. Each of those is
one ``UsageError`` line, never a traceback or a wait. The Linux features talk's benchmarks use it
too (it belongs next to ``examples/benchmark_results.py``, which writes these files).

```python
import json, tempfile
from pathlib import Path
from examples.pycon_us_2022.binary_extensions.saved_results import show_saved

with tempfile.TemporaryDirectory() as folder:
    saved = Path(folder) / "run.json"
    saved.write_text(json.dumps({"results": {"rows": [1, 2]}}))
    assert show_saved(saved, lambda rows: f"{len(rows)} rows", "rows") == "2 rows"
```
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from examples.command_line import UsageError

# What reading or rendering a file of the wrong shape raises: bad bytes, bad JSON (both
# ValueError), a missing key or index, a value of another type, a number too big to format, a
# nesting too deep to parse.
WRONG_SHAPE = (ValueError, LookupError, TypeError, AttributeError, ArithmeticError, RecursionError)


def show_saved(path: Path, render: Callable[[Any], str | Iterable[str]], *keys: str) -> str:
    """``render`` applied to ``results[keys…]`` of the saved file ``path``: the table it prints."""
    if not path.is_file():  # False for a FIFO, a folder, a symlink loop, a missing file
        raise UsageError(f"no saved results: {path.name}")
    try:
        node = json.loads(path.read_bytes().decode("utf-8"))["results"]
        for key in keys:
            node = node[key]
        shown = render(node)
        return shown if isinstance(shown, str) else "\n".join(shown)
    except WRONG_SHAPE as error:
        kind = type(error).__name__
        raise UsageError(f"{path.name} is not a saved results file ({kind})") from None
