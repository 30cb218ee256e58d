"""The suite's compiler cache: used where ccache is installed, never forced, really hit."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from site_tools.checks import compiler_cache

VARIABLES = (
    "CMAKE_C_COMPILER_LAUNCHER",
    "CMAKE_CXX_COMPILER_LAUNCHER",
    "CCACHE_DIR",
    "CCACHE_MAXSIZE",
    "CCACHE_BASEDIR",
    "CCACHE_NOHASHDIR",
    "SKBUILD_BUILD_DIR",
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_ccache_nothing_is_set(clean_environment, tmp_path: Path) -> None:
    clean_environment.setattr(shutil, "which", lambda name: None)
    assert compiler_cache.share(tmp_path) is None
    assert not any(name in os.environ for name in VARIABLES)


def test_a_folder_the_caller_chose_is_kept(clean_environment, tmp_path: Path) -> None:
    clean_environment.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    clean_environment.setenv("CCACHE_DIR", str(tmp_path / "chosen"))
    assert compiler_cache.share(tmp_path / "default") == tmp_path / "chosen"
    assert os.environ["CMAKE_CXX_COMPILER_LAUNCHER"] == "ccache"
    # Inside the package's source, wherever that is unpacked: the same relative paths each run.
    assert not Path(os.environ["SKBUILD_BUILD_DIR"]).is_absolute()


# The C++ compiler is there: the binary-extensions package is built before any test runs.
@pytest.mark.skipif(not shutil.which("ccache"), reason="needs ccache (Debian package: ccache)")
def test_the_second_compile_of_a_file_is_a_hit(clean_environment, tmp_path: Path) -> None:
    cache = compiler_cache.share(tmp_path / "ccache")
    assert cache == tmp_path / "ccache"
    source = tmp_path / "kernel.cpp"
    source.write_text("int twice(int x) { return 2 * x; }\n")

    def compile_once() -> None:
        subprocess.run(
            ["ccache", "c++", "-c", str(source), "-o", str(tmp_path / "kernel.o")],
            cwd=tmp_path,
            check=True,
            timeout=120,
        )

    compile_once()
    compile_once()
    stats = subprocess.run(
        ["ccache", "--print-stats"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    counts = dict(line.split("\t") for line in stats.splitlines() if "\t" in line)
    assert int(counts["direct_cache_hit"]) == 1
    assert int(counts["cache_miss"]) == 1
