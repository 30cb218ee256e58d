"""The suite's bytecode cache: shared with every process it starts, trimmed of temporary copies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.checks import bytecode


def test_processes_started_by_the_suite_write_into_the_shared_cache(tmp_path: Path) -> None:
    # The root conftest has already called share(): a child inherits it, whatever the machine set.
    module = tmp_path / "answer.py"
    module.write_text("ANSWER = 42\n")
    subprocess.run([sys.executable, "-c", "import answer"], cwd=tmp_path, check=True)
    prefix = Path(sys.pycache_prefix)
    assert list((prefix / tmp_path.resolve().relative_to("/")).glob("answer*.pyc"))
    assert not (tmp_path / "__pycache__").exists(), "nothing is written next to the source"


def test_a_folder_the_caller_chose_is_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path / "chosen"))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setattr(sys, "pycache_prefix", sys.pycache_prefix)
    monkeypatch.setattr(sys, "dont_write_bytecode", sys.dont_write_bytecode)
    assert bytecode.share(tmp_path / "default") == tmp_path / "chosen"
    assert sys.dont_write_bytecode is False


def test_temporary_copies_are_forgotten_but_a_clone_in_the_temporary_folder_is_not(
    tmp_path: Path,
) -> None:
    prefix, temporary = tmp_path / "cache", tmp_path / "tmp"
    cached = prefix / temporary.resolve().relative_to("/")
    for name in ("pytest-of-someone", "scaffold-copy", "clone"):
        (cached / name / "pkg").mkdir(parents=True)
        (cached / name / "pkg" / "m.cpython-311.pyc").write_bytes(b"")
    removed = bytecode.forget_temporary(prefix, keep=temporary / "clone", temporary=temporary)
    assert [entry.name for entry in removed] == ["pytest-of-someone", "scaffold-copy"]
    assert [entry.name for entry in cached.iterdir()] == ["clone"]


def test_nothing_to_forget_is_no_error(tmp_path: Path) -> None:
    assert bytecode.forget_temporary(tmp_path / "none", keep=tmp_path, temporary=tmp_path) == []
