"""Scientific Python's repo-review over the repository: every check passes or is excused.

Excused checks are listed, each with its reason, under ``[tool.repo-review]`` in pyproject.toml
and in CONTRIBUTING.md; a new failure fails this test with repo-review's own explanation.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_repo_review_finds_nothing_to_fix() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "repo_review", ".", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stdout)
    failed = {
        f"{code} {check['description']}": check["err_msg"]
        for code, check in report["checks"].items()
        if check["result"] is False
    }
    assert failed == {}
    assert result.returncode == 0, result.stderr
