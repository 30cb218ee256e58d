"""The original notebook, executed: every output stored in it is what its code really prints.

The notes were typed live, so a stored output could have been typed by hand too. Running the
notebook with nbclient and comparing outputs cell by cell proves that none was.
"""

from __future__ import annotations

import platform
import socket

import pytest

from site_tools.paths import DOCS
from tests.support.notebooks import compared_cells, execute, kernel_environment, stamp_text

NOTEBOOK = DOCS / "pycon-us-2022" / "notebook.ipynb"
__all__ = ["kernel_environment"]  # a fixture, imported to be used here


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory, kernel_environment) -> tuple:
    return execute(NOTEBOOK, tmp_path_factory.mktemp("notebook"))


def test_every_stored_output_is_what_the_code_prints(executed: tuple) -> None:
    compared = 0
    for source, stored, fresh in compared_cells(*executed):
        assert stored == fresh, source
        compared += 1
    assert compared == 14, "the notes have fourteen code cells before the stamp"


def test_the_environment_stamp_says_what_ran_it_and_not_where(executed: tuple) -> None:
    printed = stamp_text(executed[1])
    assert f"Python {platform.python_version()}" in printed
    assert socket.gethostname() not in printed


def test_the_notebook_publishes_no_hostname() -> None:
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert "Hostname" not in text
    assert "%watermark" in text, "the markdown cell explains what replaced the watermark"
