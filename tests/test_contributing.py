"""README.md and CONTRIBUTING.md tell the truth about the repository.

Their links to the repository's files resolve (relative ones and the GitHub ones, which
CONTRIBUTING.md uses because the site includes it as a page of its own); CONTRIBUTING.md links
the issue forms and the code of conduct; and its "What you need" section names every program the
code looks for, each in the row of the talk that needs it, as the code itself shows: the programs
it finds with ``shutil.which``, the Debian packages ``.ci/run`` installs for them, the npm
projects, the compiled package and the tests that only run on Linux.
"""

from __future__ import annotations

import ast
import functools
import re
import tomllib
import urllib.parse
from importlib import metadata
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from site_tools import registry
from site_tools.page_markdown import split_front_matter
from site_tools.paths import REPO_ROOT

DOCUMENTS = ["README.md", "CONTRIBUTING.md"]
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCE = PYPROJECT["project"]["urls"]["Source"].rstrip("/")
CODE_FOLDERS = ["tests", "examples", "example_support", "site_tools"]


def _links(document: str) -> list[str]:
    """Every link and image target of a Markdown file, outside code (as GitHub renders it)."""
    found = []
    tokens = MarkdownIt("commonmark").parse((REPO_ROOT / document).read_text(encoding="utf-8"))
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrGet("href")))
            elif child.type == "image":
                found.append(str(child.attrGet("src")))
    return found


def _repository_path(link: str, document: str) -> str | None:
    """The repository file a link points to, relative to the root, or None for other links."""
    if link.startswith(f"{SOURCE}/issues/new?"):
        [form] = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["template"]
        return f".github/ISSUE_TEMPLATE/{form}"
    blob = re.match(rf"{re.escape(SOURCE)}/(?:blob|tree)/[^/]+/(.+)", link)
    if blob:
        return blob[1]
    if link.startswith("#"):
        return document + link
    if urllib.parse.urlsplit(link).scheme:
        return None
    return (Path(document).parent / link).as_posix()


def _github_anchors(document: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings."""
    text = document.read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    titles = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    return {re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-") for title in titles}


@pytest.mark.parametrize("document", DOCUMENTS)
def test_links_to_repository_files_resolve(document: str) -> None:
    checked, broken = 0, []
    for link in _links(document):
        target = _repository_path(link, document)
        if target is None:
            continue
        checked += 1
        path, _, anchor = target.partition("#")
        file = (REPO_ROOT / path).resolve()
        if not file.exists() or not file.is_relative_to(REPO_ROOT):
            broken.append(f"{link}: no {path}")
        elif anchor and file.suffix == ".md" and anchor not in _github_anchors(file):
            broken.append(f"{link}: no heading #{anchor} in {path}")
    assert checked > 0
    assert broken == []


def test_contributing_links_the_issue_forms_and_the_code_of_conduct() -> None:
    linked = {_repository_path(link, "CONTRIBUTING.md") for link in _links("CONTRIBUTING.md")}
    forms = {
        path.relative_to(REPO_ROOT).as_posix()
        for path in (REPO_ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml")
        if path.name != "config.yml"  # GitHub's settings for the chooser, not a form
    }
    assert forms
    assert forms | {"CODE_OF_CONDUCT.md"} <= linked


# --- What the code needs, read from the code ---


def _owner(path: Path) -> str | None:
    """The talk a file of the code belongs to, or None for what the site's tools share."""
    parts = path.relative_to(REPO_ROOT).parts
    for talk in registry.talks():
        if talk.event.replace("-", "_") in parts:
            index = parts.index(talk.event.replace("-", "_"))
            if parts[index + 1 : index + 2] in [(talk.package,), (f"test_{talk.package}.py",)]:
                return talk.slug
    return None


def _python_files() -> list[Path]:
    files = [REPO_ROOT / "conftest.py"]
    for folder in CODE_FOLDERS:
        files += [p for p in (REPO_ROOT / folder).rglob("*.py") if "node_modules" not in p.parts]
    return files


def _looked_up() -> list[tuple[str | None, frozenset[str]]]:
    """``(talk, programs)``: each ``shutil.which("…")`` of the code, with the names tried
    instead of it in the same ``or`` (``which("chromium") or which("chromium-browser")``)."""

    def looked_for(node: ast.AST) -> str | None:
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) == "shutil.which"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            return node.args[0].value
        return None

    found = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Only calls that are themselves the operands of an ``or`` stand in for each other:
        # ``which("cmake") is None or which("ninja") is None`` needs both.
        alternatives = [
            {looked_for(value) for value in node.values} - {None}
            for node in ast.walk(tree)
            if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or)
        ]
        for program in {looked_for(node) for node in ast.walk(tree)} - {None}:
            group = next((g for g in alternatives if program in g and len(g) > 1), {program})
            found.append((_owner(path), frozenset(group)))
    return sorted(set(found), key=str)


@functools.cache
def _installed_by_uv() -> frozenset[str]:
    """The programs that the environment's packages (from the lock file) install."""
    programs = set()
    for distribution in metadata.distributions():
        programs |= {e.name for e in distribution.entry_points if e.group == "console_scripts"}
        files = [Path(str(file)) for file in distribution.files or []]
        programs |= {file.name for file in files if "bin" in file.parts}
    return frozenset(programs)


def _ci_debian_packages() -> dict[str, str]:
    """What ``.ci/run`` installs with apt-get: package → the program or path it checks first."""
    script = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    found = {}
    for line in script.splitlines():
        package = re.search(r"apt_packages\+=\(([\w.+-]+)\)", line)
        if package:
            guard = re.search(r"command -v ([\w.+-]+)|-[de] (\S+) \]", line)
            found[package[1]] = next(filter(None, guard.groups())) if guard else package[1]
    return found


def _needs() -> dict[str, str]:
    """The "What you need" section: each row's first cell → the rest of its row, and "" → the
    whole section (for what the site's tools need, whichever row says it)."""
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = re.search(r"^## What you need\n(.*?)^## ", text, re.MULTILINE | re.DOTALL)
    assert section, "CONTRIBUTING.md has no 'What you need' section"
    rows = {
        cells[0].strip(): " | ".join(cells[1:])
        for line in section[1].splitlines()
        if line.startswith("| ") and not line.startswith("| ---")
        for cells in [line.strip("|").split(" | ")]
    }
    titles = {talk.slug: _title(talk) for talk in registry.talks()}
    needs = {"": section[1]}
    for label, rest in rows.items():
        talks = [slug for slug, title in titles.items() if title.lower().startswith(label.lower())]
        for slug in talks:
            needs[slug] = rest
    return needs


def _title(talk: registry.Talk) -> str:
    meta, _ = split_front_matter(talk.page.read_text(encoding="utf-8"))
    return str(meta["title"])


def _named(needs: dict[str, str], talk: str | None, program: str) -> bool:
    return f"`{program}`" in needs.get(talk or "", "")


def test_every_row_of_the_table_is_a_talk_or_the_site() -> None:
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## What you need", 1)[1].split("\n## ", 1)[0]
    labels = [line.split(" | ")[0].strip("| ") for line in section.splitlines() if "| " in line]
    titles = [_title(talk).lower() for talk in registry.talks()]
    strays = [
        label
        for label in labels[2:]  # after the header and its rule
        if not any(title.startswith(label.lower()) for title in titles) and "site" not in label
    ]
    assert labels[:1] == ["talk or part"]
    assert strays == []


def test_every_program_the_code_looks_for_is_named_in_its_talks_row() -> None:
    needs = _needs()
    looked_up = _looked_up()
    assert looked_up, "no shutil.which(…) found: the search is broken"
    missing = [
        f"{talk or 'the site'}: {' or '.join(sorted(programs))}"
        for talk, programs in looked_up
        if not any(_named(needs, talk, p) or p in _installed_by_uv() for p in programs)
    ]
    assert missing == []


def test_the_debian_packages_ci_installs_for_the_code_are_named() -> None:
    code = "\n".join(path.read_text(encoding="utf-8") for path in _python_files())
    programs = {name for _, group in _looked_up() for name in group}
    packages = _ci_debian_packages()
    assert packages, ".ci/run installs nothing with apt-get: the search is broken"
    # A package the code uses: its program is looked up, or the code names it (a skip reason).
    used = [p for p, guard in packages.items() if guard in programs or p in code]
    assert used
    assert [p for p in used if f"`{p}`" not in _needs()[""]] == []


def test_the_npm_projects_name_npm() -> None:
    projects = [
        path
        for folder in CODE_FOLDERS
        for path in (REPO_ROOT / folder).rglob("package.json")
        if "node_modules" not in path.parts
    ]
    assert projects
    owners = {_owner(path) for path in projects}
    assert [owner for owner in owners if not _named(_needs(), owner, "npm")] == []


def test_the_compiled_talk_names_its_compiler() -> None:
    groups = PYPROJECT["dependency-groups"]
    needs = _needs()
    compiled = {
        name: REPO_ROOT / source["path"]
        for name, source in PYPROJECT["tool"]["uv"]["sources"].items()
        if "path" in source
    }
    assert compiled
    for package, folder in compiled.items():
        [talk] = [group for group, items in groups.items() if package in items]
        cmake = (folder / "CMakeLists.txt").read_text(encoding="utf-8")
        languages = re.search(r"LANGUAGES ([\w ]+)\)", cmake)
        for language in languages[1].split() if languages else ["C", "CXX"]:
            compiler = {"CXX": "C++ compiler", "C": "C compiler"}[language]
            assert compiler in needs.get(talk, ""), f"{talk} builds {package}: say {compiler}"


def test_talks_whose_tests_need_linux_say_so() -> None:
    needs = _needs()
    linux_only = set()
    for path in _python_files():
        if _owner(path) and "tests" in path.relative_to(REPO_ROOT).parts[:1]:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for call in ast.walk(tree):
                if (
                    isinstance(call, ast.Call)
                    and ast.unparse(call.func).endswith("skipif")
                    and "sys.platform" in ast.unparse(call.args[0] if call.args else call)
                ):
                    linux_only.add(_owner(path))
    assert linux_only
    assert [talk for talk in sorted(linux_only) if "Linux" not in needs.get(talk, "")] == []
