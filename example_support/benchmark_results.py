"""Where benchmark results go: JSON with an environment stamp, and SVG charts, for the pages.

Every figure on a page comes from a file written here by a script anyone can re-run. Charts are
written reproducibly (no timestamp, fixed ids), so re-running a benchmark changes only the numbers.
``show_saved`` prints a saved run's table again (every benchmark's ``--saved``): a results file is
outside input, whoever wrote it, so a missing file, a FIFO (``open()`` would wait for a writer for
ever), bad bytes, bad JSON or JSON of another shape is one ``UsageError`` line, never a traceback.

```python
import json, tempfile
from pathlib import Path
from example_support.benchmark_results import show_saved

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
from typing import TYPE_CHECKING, Any

from example_support.command_line import UsageError
from example_support.environment_stamp import environment_stamp

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ASSETS = Path(__file__).resolve().parent.parent / "docs" / "pycon-us-2022" / "assets"


def assets_dir(talk: str, out_dir: Path | None = None) -> Path:
    """The folder for one talk's published results (``out_dir`` overrides it, for tests)."""
    folder = out_dir if out_dir is not None else ASSETS / talk
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_results(
    talk: str, name: str, results: dict, packages: list[str], out_dir: Path | None = None
) -> Path:
    """Write ``<name>.json``: the results under "results", the environment under "environment"."""
    path = assets_dir(talk, out_dir) / f"{name}.json"
    payload = {"environment": environment_stamp(packages), "results": results}
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def save_svg(figure: Figure, talk: str, name: str, out_dir: Path | None = None) -> Path:
    """Write ``<name>.svg`` without the date and random ids that would churn every re-run."""
    import matplotlib as mpl

    path = assets_dir(talk, out_dir) / f"{name}.svg"
    with mpl.rc_context({"svg.hashsalt": name, "svg.fonttype": "none"}):
        figure.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return path


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
