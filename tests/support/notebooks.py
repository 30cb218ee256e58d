"""Running the site's notebooks in a fresh kernel: what they print against what they store.

The original notes and the Docker talk's notebook are both checked this way: a stored output that
their code does not really print would be an output typed by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

# A cell tagged so prints the environment that ran it: it differs on every machine by design.
STAMP_TAG = "environment-stamp"


def seen(outputs: list) -> list[tuple[str, str]]:
    """Outputs reduced to what a reader sees, (kind, text), a stream sent in pieces joined up."""
    joined: list[tuple[str, str]] = []
    for output in outputs:
        if output["output_type"] == "stream":
            kind, text = output["name"], output["text"]
            if joined and joined[-1][0] == kind:
                joined[-1] = (kind, joined[-1][1] + text)
                continue
        elif output["output_type"] in {"execute_result", "display_data"}:
            kind, text = "result", output["data"]["text/plain"]
        elif output["output_type"] == "error":
            kind, text = "error", output["ename"]
        else:
            continue
        joined.append((kind, text))
    return joined


def execute(notebook: Path, workdir: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """The notebook as stored, and the same notebook run in a fresh kernel inside ``workdir``."""
    stored = nbformat.read(notebook, as_version=4)
    run = nbformat.read(notebook, as_version=4)
    NotebookClient(
        run, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()
    return stored, run


def compared_cells(stored, run) -> Iterator[tuple[str, list, list]]:
    """(source, stored outputs, fresh outputs) of every code cell but the environment stamp."""
    for before, after in zip(stored.cells, run.cells, strict=True):
        if before.cell_type == "code" and STAMP_TAG not in before.metadata.get("tags", []):
            yield before.source, seen(before.outputs), seen(after.outputs)


def stamp_text(run) -> str:
    """What the environment-stamp cell printed."""
    stamp = next(c for c in run.cells if STAMP_TAG in c.metadata.get("tags", []))
    return "".join(text for _, text in seen(stamp.outputs))


@pytest.fixture(scope="module")
def kernel_environment() -> Iterator[pytest.MonkeyPatch]:
    """The environment a kernel starts in without warnings (warnings are errors here)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # the future default; silences its warning
        patch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        yield patch
