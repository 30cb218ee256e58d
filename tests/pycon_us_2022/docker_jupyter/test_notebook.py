"""The talk's notebook, executed: outputs are what it prints; the page shows the tested files."""

from __future__ import annotations

import json
import platform
from importlib.metadata import version

import pytest
from dockerfile_parse import DockerfileParser

from site_tools.paths import REPO_ROOT
from tests.pycon_us_2022.docker_jupyter.support import NOTEBOOK, PAGE, steps
from tests.support.notebooks import compared_cells, execute, kernel_environment, seen, stamp_text

__all__ = ["kernel_environment"]  # a fixture, imported to be used here

# The notebook: executed in a fresh kernel, every stored output is what it prints.


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory, kernel_environment) -> tuple:
    workdir = tmp_path_factory.mktemp("digits")
    return (*execute(NOTEBOOK, workdir), workdir)


@pytest.mark.slow
def test_every_stored_output_is_what_the_notebook_prints(executed: tuple) -> None:
    stored, run, _ = executed
    compared = 0
    for source, before, after in compared_cells(stored, run):
        assert before == after, source
        assert all(kind != "error" for kind, _ in after)
        compared += 1
    assert compared == 8, "eight code cells after the environment stamp"


@pytest.mark.slow
def test_the_stamp_names_the_environment_that_ran_it(executed: tuple) -> None:
    printed = stamp_text(executed[1])
    expected = f"Python {platform.python_version()}, scikit-learn {version('scikit-learn')}\n"
    assert printed == expected


@pytest.mark.slow
def test_the_results_file_holds_the_printed_numbers(executed: tuple) -> None:
    _, run, workdir = executed
    metrics = json.loads((workdir / "results" / "metrics.json").read_text())
    printed = "".join(
        text for cell in run.cells if cell.cell_type == "code" for _, text in seen(cell.outputs)
    )
    assert f"held-out digits: {metrics['held_out_accuracy']:.3f}" in printed
    assert f"{metrics['mistakes']} mistakes" in printed
    assert len(metrics["cross_validation"]) == 5
    assert metrics["held_out_accuracy"] > 0.95, "a classifier that learned the digits"


def test_the_page_shows_the_tested_files_and_the_notebook_the_image_copies(
    dockerfile: DockerfileParser,
) -> None:
    copied = [item["value"].split()[1] for item in steps(dockerfile, "COPY")]
    assert NOTEBOOK.relative_to(REPO_ROOT).as_posix() in copied, "one notebook, two uses"
    page = PAGE.read_text(encoding="utf-8")
    assert "(docker-jupyter/digits.ipynb)" in page
    for name in ("Dockerfile", "Dockerfile.dockerignore", "requirements.txt", "notes.Dockerfile"):
        assert f'--8<-- "examples/pycon_us_2022/docker_jupyter/{name}"' in page, "included"
