"""The original notebook, executed: every output stored in it is what its code really prints.

The notes were typed live, so a stored output could have been typed by hand too. Running the
notebook with nbclient and comparing outputs cell by cell proves that none was.
"""

from __future__ import annotations

import platform
import socket

import nbformat
import pytest
from nbclient import NotebookClient

from site_tools.doctests import DOCS

NOTEBOOK = DOCS / "pycon-us-2022" / "notebook.ipynb"
STAMP_TAG = "environment-stamp"


def _text(outputs: list) -> list[tuple[str, str]]:
    """Outputs reduced to what a reader sees: (kind, text)."""
    seen = []
    for output in outputs:
        if output["output_type"] == "stream":
            seen.append((output["name"], output["text"]))
        elif output["output_type"] in {"execute_result", "display_data"}:
            seen.append(("result", output["data"]["text/plain"]))
        elif output["output_type"] == "error":
            seen.append(("error", output["ename"]))
    return seen


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module) -> tuple:
    stored = nbformat.read(NOTEBOOK, as_version=4)
    run = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("notebook")
    NotebookClient(
        run, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()
    return stored, run


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # the future default; silences its warning
        patch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        yield patch


def test_every_stored_output_is_what_the_code_prints(executed: tuple) -> None:
    stored, run = executed
    compared = 0
    for before, after in zip(stored.cells, run.cells, strict=True):
        if before.cell_type != "code" or STAMP_TAG in before.metadata.get("tags", []):
            continue
        assert _text(before.outputs) == _text(after.outputs), before.source
        compared += 1
    assert compared == 14, "the notes have fourteen code cells before the stamp"


def test_the_environment_stamp_says_what_ran_it_and_not_where(executed: tuple) -> None:
    _, run = executed
    stamp = next(c for c in run.cells if STAMP_TAG in c.metadata.get("tags", []))
    printed = "".join(text for _, text in _text(stamp.outputs))
    assert f"Python {platform.python_version()}" in printed
    assert socket.gethostname() not in printed


def test_the_notebook_publishes_no_hostname() -> None:
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert "Hostname" not in text
    assert "%watermark" in text, "the markdown cell explains what replaced the watermark"
