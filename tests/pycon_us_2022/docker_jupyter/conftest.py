"""The parsed Dockerfile, shared by this talk's test modules."""

import pytest
from dockerfile_parse import DockerfileParser

from tests.pycon_us_2022.docker_jupyter.support import parsed_dockerfile


@pytest.fixture(scope="module")
def dockerfile() -> DockerfileParser:
    return parsed_dockerfile()
