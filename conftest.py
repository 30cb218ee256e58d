"""Collection for the whole repository: Sybil runs the pages, pytest-markdown-docs the rest.

The split is deliberate (ARCHITECTURE.md): Sybil owns ``docs/**/*.md``; pytest-markdown-docs owns
README.md, CONTRIBUTING.md and the Markdown fences in the docstrings of ``examples/``. Neither ever
sees the other's files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_markdown_docs.plugin import MarkdownDocstringCodeModule, MarkdownTextFile

from site_tools.doctests import docs_sybil, owned_by_markdown_docs

_collect_pages = docs_sybil().pytest()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if owned_by_markdown_docs(file_path):
        if file_path.suffix == ".md":
            return MarkdownTextFile.from_parent(parent, path=file_path)
        if not file_path.name.startswith("test_"):
            return MarkdownDocstringCodeModule.from_parent(parent, path=file_path)
        return None
    return _collect_pages(file_path, parent)
