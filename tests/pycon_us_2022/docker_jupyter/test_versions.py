"""One Python: the base image's, the one requirements.txt was resolved for, the notebook's.

The pins come from uv.lock, which resolves some packages differently for Python 3.11 and for 3.12
and later (numpy 2.4.6 and 2.5.5, for one). A base image with another Python would install pins
that this site never ran, so the four places that name the Python must agree.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from importlib import metadata

import pytest
from dockerfile_parse import DockerfileParser
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from site_tools.paths import REPO_ROOT
from tests.pycon_us_2022.docker_jupyter.support import HERE, NOTEBOOK, steps

# docker-stacks' README, "Using old images": the commit tag of the last build of each Python.
# https://github.com/jupyter/docker-stacks#using-old-images
DOCKER_STACKS_PYTHON = {"00987883e58d": "3.11", "b74418220768": "3.11", "82d322f00937": "3.12"}
PYTHON = "3.11"


def pins() -> dict[str, str]:
    found = {}
    for line in (HERE / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            found[canonicalize_name(name)] = version
    return found


def locked_versions(name: str, python: str) -> set[str]:
    """Every version uv.lock installs for ``name`` on any patch release of ``python``."""
    lock = tomllib.loads((REPO_ROOT / "uv.lock").read_text(encoding="utf-8"))
    found = set()
    for patch in range(30):
        environment = {"python_full_version": f"{python}.{patch}", "python_version": python}
        for package in lock["package"]:
            if canonicalize_name(package["name"]) != name:
                continue
            markers = package.get("resolution-markers")
            if markers is None or any(Marker(m).evaluate(environment) for m in markers):
                found.add(package["version"])
    return found


def test_the_base_image_tag_is_a_docker_stacks_build_of_that_python(
    dockerfile: DockerfileParser,
) -> None:
    name, _, tag = dockerfile.baseimage.rpartition(":")
    assert name == "quay.io/jupyter/minimal-notebook", "no conda NumPy for pip to replace"
    assert DOCKER_STACKS_PYTHON.get(tag) == PYTHON


def test_the_build_stops_on_any_other_python(dockerfile: DockerfileParser) -> None:
    (install,) = steps(dockerfile, "RUN")
    guard = re.search(r"sys\.version_info\[:2\] != \((\d+), (\d+)\)", install["value"])
    assert guard, "the RUN that installs the pins checks the Python first"
    assert ".".join(guard.groups()) == PYTHON


def test_requirements_say_which_python_they_were_resolved_for() -> None:
    header = (HERE / "requirements.txt").read_text().split("\n\n")[0]
    assert f"for Python {PYTHON}:" in header
    assert "python_full_version < '3.12'" in header


@pytest.mark.parametrize("name", sorted(pins()))
def test_each_pin_is_what_uv_lock_resolves_for_that_python(name: str) -> None:
    assert locked_versions(name, PYTHON) == {pins()[name]}


def test_the_notebook_was_stored_from_that_python() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["metadata"]["language_info"]["version"].startswith(f"{PYTHON}.")
    (stamp,) = [
        c for c in notebook["cells"] if "environment-stamp" in c["metadata"].get("tags", [])
    ]
    text = "".join(stamp["outputs"][0]["text"])
    printed = re.fullmatch(r"Python (\d+\.\d+)\.\d+, scikit-learn (\S+)\n", text)
    assert printed, text
    assert printed.groups() == (PYTHON, pins()["scikit-learn"])


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the pins are for Python 3.11")
def test_this_environment_is_the_pinned_one() -> None:
    for name, version in pins().items():
        assert metadata.version(name) == version, f"{name} differs from the tested environment"
