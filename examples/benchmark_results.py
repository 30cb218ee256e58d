"""Where benchmark results go: JSON with an environment stamp, and SVG charts, for the pages.

Every figure on a page comes from a file written here by a script anyone can re-run. Charts are
written reproducibly (no timestamp, fixed ids), so re-running a benchmark changes only the numbers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from examples.environment_stamp import environment_stamp

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
