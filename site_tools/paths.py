"""Where things are: the repository's root and the folders every part of the site's tools reads."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = REPO_ROOT / "docs"  # the pages, one folder per event
EXAMPLES = REPO_ROOT / "examples"  # the talks' runnable examples, one package per event
EXAMPLE_SUPPORT = REPO_ROOT / "example_support"  # what the examples share
