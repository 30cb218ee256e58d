"""What this talk's tests share: where its files are, how its scripts run, the parsed Dockerfile."""

from __future__ import annotations

import subprocess

from dockerfile_parse import DockerfileParser

from site_tools.paths import DOCS, REPO_ROOT
from tests.support.command_lines import run_example

HERE = REPO_ROOT / "examples" / "pycon_us_2022" / "docker_jupyter"
NOTEBOOK = DOCS / "pycon-us-2022" / "docker-jupyter" / "digits.ipynb"
PAGE = DOCS / "pycon-us-2022" / "docker-jupyter.md"


def run_module(module: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_example("docker_jupyter", module, *args, timeout=timeout)


def parsed_dockerfile() -> DockerfileParser:
    return DockerfileParser(str(HERE / "Dockerfile"), env_replace=False)


def steps(parsed: DockerfileParser, name: str) -> list[dict]:
    return [item for item in parsed.structure if item["instruction"] == name]
