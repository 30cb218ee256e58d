"""The wheel story: tags, the package's cibuildwheel configuration, a real build, ignored output."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.tags import sys_tags
from validate_pyproject import api, errors

from examples.pycon_us_2022.binary_extensions import build_wheel, wheel_tags
from site_tools.checks.shell_sessions import argv, command_on_page, run, shows
from site_tools.paths import REPO_ROOT

PROJECT = build_wheel.PROJECT
CIBUILDWHEEL = Path(sys.executable).parent / "cibuildwheel"


def test_the_most_specific_tag_ranks_first() -> None:
    best = next(iter(sys_tags()))
    assert wheel_tags.rank(f"demo-1.0-{best}.whl") == 1
    pure = wheel_tags.rank("demo-1.0-py3-none-any.whl")
    assert pure is not None, "pure-Python wheels fit everywhere"
    assert pure > 1, "but a compiled wheel for this exact Python is preferred"


def test_a_wheel_for_another_python_or_platform_is_refused() -> None:
    other = "cp310" if sys.version_info >= (3, 11) else "cp312"
    assert wheel_tags.rank(f"demo-1.0-{other}-{other}-linux_x86_64.whl") is None
    assert wheel_tags.rank("demo-1.0-cp311-cp311-win_amd64.whl") is None or sys.platform == "win32"


def test_stable_abi_wheels_fit_every_later_python() -> None:
    abi3 = "demo-1.0-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    fits = wheel_tags.rank(abi3) is not None
    assert fits == (sys.platform == "linux" and sysconfig.get_platform().endswith("x86_64"))


def test_suffixes_match_the_installed_modules() -> None:
    import compiled_kernels.with_pybind11 as module

    assert module.__file__.endswith(wheel_tags.suffixes()["version-specific (EXT_SUFFIX)"])


def _pyproject() -> dict:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text())


def test_the_package_pyproject_is_valid_for_every_tool_it_configures() -> None:
    validator = api.Validator()  # with the scikit-build and cibuildwheel schema plugins
    schemas = " ".join(validator.registry)
    assert "cibuildwheel.schema.json" in schemas
    assert "scikit-build.schema.json" in schemas
    validator(_pyproject())


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("cibuildwheel", "test-comand", "pytest"),  # a typo in a key
        ("cibuildwheel", "build-frontend", "setuptools"),  # not a frontend
        ("scikit-build", "cmake.build-type", 3),
    ],
)
def test_the_validator_catches_mistakes(table: str, key: str, value: object) -> None:
    config = _pyproject()
    section = config["tool"][table]
    *parents, leaf = key.split(".")
    for parent in parents:
        section = section.setdefault(parent, {})
    section[leaf] = value
    with pytest.raises(errors.ValidationError):
        api.Validator()(config)


def test_cibuildwheel_plans_one_wheel_per_python_and_platform() -> None:
    result = subprocess.run(
        [str(CIBUILDWHEEL), "--print-build-identifiers", "--platform", "linux", str(PROJECT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    identifiers = result.stdout.split()
    for python in ("cp311", "cp312", "cp313", "cp314", "cp315"):
        assert f"{python}-manylinux_x86_64" in identifiers
        assert f"{python}-musllinux_x86_64" in identifiers
    assert not any(identifier.startswith(("cp310", "pp")) for identifier in identifiers)
    assert not any(identifier.split("-")[0].endswith("t") for identifier in identifiers)


def test_build_output_is_git_ignored() -> None:
    paths = [
        "build/binary-extensions/bench/CMakeCache.txt",
        "build/binary-extensions/dist/compiled_kernels-0.1.0.tar.gz",
        "examples/pycon_us_2022/binary_extensions/compiled_kernels/build/x/CMakeCache.txt",
        "examples/pycon_us_2022/binary_extensions/compiled_kernels/with_nanobind.abi3.so",
    ]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == paths


@pytest.mark.slow
@pytest.mark.timeout(900)  # a real C++ build, one compile job, on a possibly busy machine
def test_sdist_and_wheel_build_from_source() -> None:
    # The command as the page shows it (tests/test_shell_sessions.py leaves this one to us): its
    # output must match the page's, and the files it made are then checked one by one.
    command = command_on_page(
        "pycon-us-2022/binary-extensions.md", "uv run python -m " + build_wheel.__name__
    )
    result = run(argv(command.command), timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert shows(command.output, result.stdout + result.stderr), result.stdout
    built = [line.removeprefix("built ") for line in result.stdout.splitlines()[:2]]
    sdist, wheel = (REPO_ROOT / path for path in built)
    assert sdist.name == "compiled_kernels-0.1.0.tar.gz"
    assert wheel.name.startswith("compiled_kernels-0.1.0-")
    assert wheel_tags.rank(wheel.name) == 1, "a local build is tagged for exactly this Python"
    names = [name for name, _ in build_wheel.wheel_contents(wheel)]
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for module in ("with_pybind11", "with_nanobind"):
        assert f"compiled_kernels/{module}{suffix}" in names
    assert not any(name.endswith((".cpp", ".hpp", "CMakeLists.txt")) for name in names)
    assert build_wheel.wheel_tag(wheel) in wheel.name
    with zipfile.ZipFile(wheel) as archive:
        assert (
            "Root-Is-Purelib: false"
            in archive.read(next(n for n in archive.namelist() if n.endswith("/WHEEL"))).decode()
        )
    with tarfile.open(sdist) as archive:
        members = {
            Path(name).relative_to("compiled_kernels-0.1.0").as_posix()
            for name in archive.getnames()
            if name != "compiled_kernels-0.1.0"
        }
    assert {
        "CMakeLists.txt",
        "pyproject.toml",
        "src/bind_nanobind.cpp",
        "src/kernels.cpp",
    } <= members
