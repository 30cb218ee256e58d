"""How the pages' code is executed: Sybil for docs/, pytest-markdown-docs for the rest.

Both the root ``conftest.py`` and the structure tests import from here, so the rules that run the
pages and the rules that count their examples can never disagree.
"""

from __future__ import annotations

import doctest
from pathlib import Path
from typing import TYPE_CHECKING

from site_tools.paths import DOCS, EXAMPLE_SUPPORT, EXAMPLES, REPO_ROOT

if TYPE_CHECKING:
    from sybil import Sybil


# Files that pytest-markdown-docs owns. The pages under docs/ belong to Sybil alone: a file run
# by both would execute its fences twice, with two different namespaces.
MARKDOWN_DOCS_FILES = ("README.md", "CONTRIBUTING.md")

# ELLIPSIS lets a page write output that holds on every supported Python (error messages changed
# in 3.11, 3.12 and 3.13) without pinning one version.
DOCTEST_FLAGS = doctest.ELLIPSIS


def docs_sybil() -> Sybil:
    """The Sybil that executes every bare ```python fence of every page under docs/."""
    # Imported here: the site's build reads this module's paths and needs no test runner.
    from sybil import Sybil
    from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

    return Sybil(
        parsers=[
            PythonCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS),
            SkipParser(),
        ],
        path=str(DOCS),
        patterns=["*.md"],
    )


def owned_by_markdown_docs(path: Path) -> bool:
    """True for the files whose fences pytest-markdown-docs runs: README, CONTRIBUTING, and the
    docstrings of examples/ and example_support/."""
    path = path.resolve()
    if path.parent == REPO_ROOT and path.name in MARKDOWN_DOCS_FILES:
        return True
    top = next((top for top in (EXAMPLES, EXAMPLE_SUPPORT) if path.is_relative_to(top)), None)
    if path.suffix != ".py" or path.name == "__main__.py" or top is None:
        return False
    # Only modules importable as ``examples.…``: a sub-project's own sources (the compiled
    # extension's src/ tree) are its package's business, not the site's.
    return all((folder / "__init__.py").is_file() for folder in _folders_between(top, path))


def _folders_between(top: Path, path: Path) -> list[Path]:
    return [folder for folder in path.parents if folder.is_relative_to(top)]


def count_sybil_examples(page: Path) -> int:
    """How many examples Sybil collects from one page (each ``>>>`` statement counts once)."""
    return len(list(docs_sybil().parse(page)))
