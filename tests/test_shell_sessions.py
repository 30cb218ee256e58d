"""Every command a page, the README or CONTRIBUTING tells a reader to run is run here.

Commands run from the repository root in this environment, and their output must match what the
page shows (``...`` matches anything, as in a doctest). A command that cannot run here is listed in
``NOT_RUN_HERE`` with the test or reason that covers it instead: no command escapes silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from site_tools.checks.shell_sessions import (
    Command,
    argv,
    commands_in,
    run,
    saved_table_difference,
    shows,
)
from site_tools.paths import DOCS, REPO_ROOT

SOURCES = [REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", *sorted(DOCS.rglob("*.md"))]

# Command prefixes not run by this test, each with what covers it.
NOT_RUN_HERE = {
    "uv run pytest": "the suite itself: .ci/run runs it; one page's doctests are run below",
    "uv run mkdocs serve": "tests/test_site_serves.py starts it on a free port and reads pages",
    "uv run mkdocs build": (
        "the built_site fixture (tests/conftest.py) runs this build, --strict, once per run for "
        "every test that reads the site; .ci/run runs it as shown"
    ),
    "curl ": "reaches the internet (installing uv)",
    "pipx install uv": "installs uv; .ci/run does the same with pip",
    "python3 -m pip install uv": "installs uv; .ci/run runs exactly this when uv is missing",
    "docker ": "no Docker engine on these machines; the Dockerfile is checked statically",
    "git clone": "reaches the internet",
    "cd ": "changes the reader's shell, nothing to check",
    "npm ci --prefix site_tools/commands/lighthouse": (
        "installs Lighthouse from npm; .ci/run runs it"
    ),
    "uv run python -m site_tools.commands.new_talk pycon-us-2022 my-talk ": (
        "creates a talk in the repository; tests/site_tools/commands/test_new_talk.py runs it in a "
        "temp tree"
    ),
    "uv run python -m examples.pycon_us_2022.binary_extensions.build_wheel": (
        "a C++ build, run once per suite: tests/pycon_us_2022/binary_extensions/test_wheels.py "
        "runs it as the page shows and compares the output"
    ),
    "uv run python -m examples.pycon_us_2022.distributed_scraping.bench_workers": (
        "tests/pycon_us_2022/distributed_scraping/test_command_lines.py runs it in smoke mode, "
        "checks the rows of each broker, and compares its --saved table with the page"
    ),
    "uv run python -m site_tools.commands.lighthouse_report": (
        "minutes per run; tests/site_tools/commands/test_lighthouse_report.py runs its smoke mode"
    ),
}
# Commands that are run, but with extra arguments that keep the test fast or the tree clean.
RUN_WITH = {
    "uv run pytest docs/": ["-p", "no:randomly", "-p", "no:cacheprovider", "-q"],
}
SMOKE = "--smoke"  # benchmarks run in their smoke mode: tests check correctness, never timings


def _all_commands() -> list[Command]:
    found = []
    for source in SOURCES:
        if source.exists():
            text = source.read_text(encoding="utf-8")
            found += commands_in(text, source.relative_to(REPO_ROOT).as_posix())
    return found


COMMANDS = _all_commands()


def _covered_elsewhere(command: str) -> bool:
    runs_a_page = command.startswith("uv run pytest docs/")
    return not runs_a_page and any(command.startswith(prefix) for prefix in NOT_RUN_HERE)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.id)
def test_command_runs_as_the_page_shows(command: Command, tmp_path: Path) -> None:
    if _covered_elsewhere(command.command):
        reason = next(v for k, v in NOT_RUN_HERE.items() if command.command.startswith(k))
        pytest.skip(f"not run here: {reason}")  # shown in the summary with its reason, not passed
    args = argv(command.command)
    for prefix, extra in RUN_WITH.items():
        if command.command.startswith(prefix):
            args += [word.format(tmp=tmp_path) for word in extra]
    benchmark = any(word.rsplit(".", 1)[-1].startswith("bench_") for word in args)
    if benchmark:
        args.append(SMOKE)
    result = run(args)
    output = result.stdout + result.stderr
    assert result.returncode == command.status, output
    if benchmark:
        assert command.output.strip(), f"{command.id}: show the table the benchmark printed"
        difference = saved_table_difference(command, args[:-1])
        assert difference is None, difference
    elif command.output:
        assert shows(command.output, output), (
            f"{command.id}: `{command.command}` printed\n{output}\nbut the page shows\n"
            f"{command.output}"
        )


def test_readme_gives_the_two_commands() -> None:
    readme = [c.command for c in COMMANDS if c.source == "README.md"]
    assert "uv run mkdocs serve" in readme
    assert "uv run pytest" in readme
