"""Every module's command line: --help, one-line errors, and the page's two-terminal recipe."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from example_support.command_line import run
from examples.pycon_us_2022.distributed_scraping.book_site import BookSite
from site_tools.checks import shell_sessions
from site_tools.checks.shell_sessions import argv, command_on_page
from site_tools.paths import DOCS, REPO_ROOT
from tests.support.command_lines import assert_one_line_error
from tests.support.servers import free_port, serving

from .conftest import PACKAGE, run_module

MODULES = [
    "",  # the package's __main__: the Click command line
    "book_site",
    "book_pages",
    "stage1_iterative",
    "polite_session",
    "browser",
    "forward_proxy",
    "scraping_node",
    "stage2_polite",
    "crawl_db",
    "work_queue",
    "controller",
    "workers",
    "alerts",
    "bench_workers",
    "bench_vs_scrapy",
    "scrapy_spider",
]
# What the stages share, with no command line of their own (the runnable modules' --help is
# checked for every talk by tests/test_example_command_lines.py).
SHARED = {"crawl_options", "crawl_run", "host_limits"}
PAGE = DOCS / "pycon-us-2022" / "distributed-scraping.md"


def test_every_module_says_what_it_teaches() -> None:
    folder = REPO_ROOT / "examples" / "pycon_us_2022" / "distributed_scraping"
    names = {path.stem for path in folder.glob("*.py")} - {"__init__", "__main__", *SHARED}
    assert names == set(MODULES) - {""}, "MODULES lists every module"
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert source.startswith('"""'), f"{path.name} has no docstring"
        assert len(source.splitlines()) <= 300, f"{path.name} is over 300 lines"


@pytest.mark.parametrize(
    ("module", "args", "message"),
    [
        ("", ["crawl"], "give a URL to crawl, or --test-site"),
        ("", ["crawl", "ftp://example.org"], "not an http(s) URL: ftp://example.org"),
        ("", ["crawl", "http://[x/"], "not a URL: http://[x/"),
        ("", ["crawl", "http://x", "--workers", "-1"], "Invalid value for '--workers'"),
        ("", ["crawl", "http://x", "--broker", "kafka://x"], "unsupported broker 'kafka://x'"),
        ("", ["status", "--db", "missing.sqlite"], "no crawl database at missing.sqlite"),
        ("", ["nonsense"], "No such command 'nonsense'"),
        ("stage1_iterative", ["--max-pages", "0", "http://x"], "--max-pages must be at least 1"),
        ("stage1_iterative", ["http://127.0.0.1:9/"], "cannot crawl http://127.0.0.1:9/"),
        ("controller", ["http://127.0.0.1:9/", "--delay", "0"], "cannot read http://127.0.0.1:9/"),
        ("polite_session", ["file:///etc/passwd"], "not an http(s) URL"),
        ("book_site", ["--port", "70000"], "--port must be between 0 and 65535"),
        ("book_pages", ["missing.html"], "no such file: missing.html"),
        ("bench_workers", ["--workers", "0"], "--workers, --pages and --latency must be positive"),
        ("alerts", ["--db", "sqlite://", "--mail-to", "a@b", "--smtp", "nohost"], "HOST:PORT"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(
    module: str, args: list[str], message: str
) -> None:
    result = run_module(module, *args)
    assert result.returncode == (1 if "no such file" in message else 2), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broker_that_does_not_answer_is_one_line(site: BookSite, tmp_path: Path) -> None:
    db = str(tmp_path / "crawl.sqlite")
    result = run_module("", "crawl", site.url + "catalogue/page-1.html", "--workers", "0",
                        "--broker", "redis://127.0.0.1:9/0", "--db", db)  # fmt: skip
    assert_one_line_error(result, "distributed_scraping", 2, "cannot reach the broker redis://")


def test_book_pages_reads_a_saved_page(tmp_path: Path) -> None:
    from examples.pycon_us_2022.distributed_scraping.book_site import JS_ONLY, book_html

    (tmp_path / "book.html").write_text(book_html(4))
    (tmp_path / "js.html").write_text(JS_ONLY)
    assert '"isbn": "9780000000004"' in run_module("book_pages", str(tmp_path / "book.html")).stdout
    refused = run_module("book_pages", str(tmp_path / "js.html"))
    assert refused.returncode == 2
    assert "it has scripts: try a browser" in refused.stderr


def test_polite_session_and_scraping_node_commands() -> None:
    with BookSite(books=2) as site:
        fetched = run_module("polite_session", site.url + "books/busy.html", "--delay", "0")
        refused = run_module("polite_session", site.url + "private/staff-picks.html")
        node = run_module("scraping_node", site.url + "books/gone.html", "--delay", "0")
    assert fetched.stdout.splitlines() == [
        "attempt 1: 503",
        "attempt 2: 503",
        "attempt 3: 200",
        "HTTP 200",
    ]
    assert refused.stdout.strip() == "not fetched: robots.txt disallows it"
    assert node.returncode == 1
    assert '"error": "HTTP 410"' in node.stdout


@pytest.mark.slow
def test_the_pages_two_terminal_recipe(tmp_path: Path, chromium: str) -> None:
    """The ```bash fence of the page, run as written, with the port swapped for a free one."""
    text = PAGE.read_text(encoding="utf-8")
    fence = re.search(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    assert fence, "the page shows the two-terminal recipe"
    lines = [line for line in fence[1].splitlines() if line.strip()]
    port = str(free_port())
    serve, crawl, status = (shlex.split(line.replace("8022", port))[2:] for line in lines)
    assert serve[:3] == ["python", "-m", PACKAGE]
    with serving([sys.executable, *serve[1:]], int(port), cwd=REPO_ROOT, log=tmp_path / "site.log"):
        crawled = run_module("", *crawl[3:], cwd=tmp_path, timeout=300)
        assert crawled.returncode == 0, crawled.stdout + crawled.stderr
        assert "25 book URLs listed" in crawled.stdout
        shown = run_module("", *status[3:], cwd=tmp_path)
    assert shown.stdout.startswith("done 21, failed 3, pending 0, disallowed by robots.txt 1")
    assert (tmp_path / "crawl.sqlite").is_file()


@pytest.mark.slow
def test_the_pages_benchmark_runs_every_broker_and_its_table_is_the_saved_one(
    tmp_path: Path,
) -> None:
    """The page's benchmark command (tests/test_shell_sessions.py leaves it to this test): its
    smoke run crawls for real on every broker the page names and writes nothing, and ``--saved``
    prints the page's table to the letter."""
    command = command_on_page(
        "pycon-us-2022/distributed-scraping.md", f"uv run python -m {PACKAGE}.bench_workers"
    )
    args = argv(command.command)
    result = shell_sessions.run([*args, "--smoke", "--out-dir", str(tmp_path)], timeout=300)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:] if line.strip()]
    expected = [("filesystem", "0.00", "1"), ("filesystem", "0.00", "2")]
    if shutil.which("redis-server"):
        expected += [("redis", "0.00", "1"), ("redis", "0.00", "2")]
    else:
        assert "redis broker is skipped" in result.stderr
    expected += [("filesystem", "0.05", "1"), ("filesystem", "0.05", "2")]
    # Both regimes: no delay, then the shared politeness delay (on the first broker).
    measured, rest = rows[: len(expected)], rows[len(expected) :]
    assert [tuple(row[:3]) for row in measured] == expected, result.stdout
    assert all(float(row[4]) > 0 for row in measured)
    assert [row[0] for row in rest] == ["ceilings:"], result.stdout
    assert list(tmp_path.iterdir()) == [], "a smoke run writes nothing"
    difference = shell_sessions.saved_table_difference(command, args)
    assert difference is None, difference


def test_saved_prints_the_table_of_the_results_file_without_measuring(tmp_path: Path) -> None:
    from examples.pycon_us_2022.distributed_scraping.bench_workers import report

    run = {"workers": 1, "pages": 10, "seconds": 2.0, "pages_per_second": 5.0}
    results = {
        "latency": 0.1,
        "brokers": {
            "filesystem": [run, {**run, "workers": 2, "seconds": 1.0, "pages_per_second": 10.0}]
        },
        "polite": {"broker": "filesystem", "delay": 0.25, "runs": [{**run, "delay": 0.25}]},
    }
    (tmp_path / "bench_workers.json").write_text(json.dumps({"results": results}))
    shown = run_module("bench_workers", "--saved", "--out-dir", str(tmp_path))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == report(results) + "\n"
    assert (
        "filesystem   0.00        2     1.00     10.0  2.0\N{MULTIPLICATION SIGN}" in shown.stdout
    )
    assert "1 / delay = 4.0 pages/s" in shown.stdout


HOSTILE = [  # (module, arguments, message): {fifo}, {loop}, {latin1} are made in tmp_path
    ("", ["crawl", "http://127.0.0.1:9/", "--delay", "nan"], "nan is not a finite number"),
    ("", ["crawl", "http://127.0.0.1:9/", "--lease", "inf"], "inf is not a finite number"),
    ("", ["crawl", "http://127.0.0.1:9/", "--concurrency", "10000000000"], "--concurrency"),
    ("", ["crawl", "http://127.0.0.1:9/", "--db", "{fifo}"], "not a regular file"),
    ("", ["crawl", "http://127.0.0.1:9/", "--db", "{loop}"], "a symlink that leads nowhere"),
    ("", ["status", "--db", "{fifo}"], "not a regular file"),
    ("", ["serve-test-site", "--latency", "nan"], "nan is not a finite number"),
    ("", ["serve-test-site", "--books", "99999999999999999999"], "--books"),
    ("", ["worker", "--broker", "filesystem://x", "--lease", "inf"], "not a finite number"),
    ("book_site", ["--latency", "nan"], "--latency from 0 to 60 s"),
    ("book_site", ["--crawl-delay", "inf"], "--crawl-delay"),
    ("book_pages", ["{fifo}"], "is not a regular file"),
    ("book_pages", ["{latin1}"], "is not a book page"),
    ("book_pages", ["{loop}"], "Too many levels of symbolic links"),
    ("stage1_iterative", ["http://127.0.0.1:9/", "--db", "{fifo}"], "not a regular file"),
    ("stage2_polite", ["http://127.0.0.1:9/", "--delay", "nan"], "--delay must be finite"),
    ("controller", ["http://127.0.0.1:9/", "--delay", "inf"], "--delay must be finite"),
    ("polite_session", ["http://127.0.0.1:9/", "--delay", "nan"], "--delay must be finite"),
    ("polite_session", ["http://127.0.0.1:9/", "--attempts", "1e30"], "invalid int value"),
    ("scraping_node", ["http://127.0.0.1:9/", "--delay", "inf"], "--delay must be finite"),
    ("crawl_db", ["{fifo}"], "no crawl database at"),
    ("alerts", ["--db", "{loop}"], "a symlink that leads nowhere"),
    ("work_queue", ["--broker", "kafka://x"], "unsupported broker"),
    ("workers", ["--broker", "filesystem://x", "--lease", "nan"], "--lease must be positive"),
    ("workers", ["--broker", "filesystem://x", "--concurrency", "0"], "--concurrency must be"),
    ("forward_proxy", ["--port", "99999999999999999999"], "--port must be between"),
    ("browser", ["file:///etc/passwd"], "not an http(s) URL"),
    ("bench_workers", ["--latency", "nan"], "--workers, --pages and --latency must be positive"),
    ("bench_vs_scrapy", ["--latency", "inf"], "--latency must be more than 0"),
    ("bench_vs_scrapy", ["--pages", "1e9"], "invalid int value"),
    ("scrapy_spider", ["http://127.0.0.1:9/", "--concurrency", "0"], "--concurrency must be"),
]


@pytest.mark.parametrize(("module", "args", "message"), HOSTILE)
def test_hostile_values_are_one_line_errors(
    module: str, args: list[str], message: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    """Non-finite and huge numbers, a FIFO, a symlink loop, non-UTF-8 bytes: never a hang.

    In this process, through the ``run`` wrapper ``python -m`` calls: a subprocess per case
    would spend seconds importing Celery to print one line.
    """
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "latin1").write_bytes("<h1>caf\u00e9</h1>".encode("latin-1") + b"\xff\xfe")
    paths = {name: str(tmp_path / name) for name in ("fifo", "loop", "latin1")}
    prog = module or "distributed_scraping"
    monkeypatch.setattr(sys, "argv", [prog, *[arg.format(**paths) for arg in args]])
    monkeypatch.chdir(tmp_path)
    entry = importlib.import_module(f"{PACKAGE}.{module or '__main__'}")
    with pytest.raises(SystemExit) as stop:
        run(entry.main, prog=prog)
    result = subprocess.CompletedProcess(args, stop.value.code, *capsys.readouterr())
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert_one_line_error(result, prog, result.returncode, message)


def test_scrapy_benchmark_saved_prints_the_measured_table(tmp_path: Path) -> None:
    from examples.pycon_us_2022.distributed_scraping.bench_vs_scrapy import report

    one = {"concurrency": 8, "seconds": 4.0, "pages_per_second": 50.0, "first_page": 1.0,
           "peak_in_flight": 8}  # fmt: skip
    tail = {"workers": 1, "concurrency": 1, "seconds": 20.0, "pages_per_second": 4.25,
            "during_slow": 0, "during_busy": 3, "browser_seconds": 1.5}  # fmt: skip
    eight = {**tail, "concurrency": 8, "seconds": 5.0, "pages_per_second": 17.0, "during_slow": 30}
    results = {"pages": 200, "latency": 0.1, "costs": {"database_ms": 1.0, "broker_ms": 0.5},
               "runs": [{**one, "crawler": "scrapy"},
                        {**one, "crawler": "crawl, cold", "pages_per_second": 40.0}],
               "long_tail": {"pages": 85, "slow_seconds": 2.0, "runs": [tail, eight]}}  # fmt: skip
    (tmp_path / "bench_vs_scrapy.json").write_text(json.dumps({"results": results}))
    shown = run_module("bench_vs_scrapy", "--saved", "--out-dir", str(tmp_path))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == report(results) + "\n"
    row = "crawl, cold           8     4.00     40.0      1.00 s          8  0.80"
    assert row + "\N{MULTIPLICATION SIGN}" in shown.stdout
    times = "\N{MULTIPLICATION SIGN}"
    tail_row = f"      1   8     5.00     17.0      4.0{times}           30            3   1.50 s"
    assert tail_row in shown.stdout.splitlines(), "eight in flight: 30 stored past the slow page"


def test_the_scrapy_spider_is_as_short_as_the_page_says() -> None:
    """The page weighs the talk's crawl against "a Scrapy spider of about N lines": N is the
    spider's function as written (its non-blank lines), give or take five."""
    from examples.pycon_us_2022.distributed_scraping import bench_vs_scrapy, scrapy_spider

    said = re.search(r"a Scrapy spider of\s+about (\d+) lines", PAGE.read_text(encoding="utf-8"))
    assert said, "the page no longer gives the spider's length"
    lines = [line for line in inspect.getsource(scrapy_spider.crawl).splitlines() if line.strip()]
    assert abs(len(lines) - int(said[1])) <= 5, f"the spider is {len(lines)} lines"
    assert f"about {said[1]} lines" in scrapy_spider.__doc__.splitlines()[0]
    assert f"~{said[1]}-line Scrapy spider" in bench_vs_scrapy.__doc__.splitlines()[0]


def test_the_page_says_how_the_benchmark_ran_as_its_results_file_does() -> None:
    """The page puts the cold start down to a run without a bytecode cache: so says the file."""
    from example_support.benchmark_results import assets_dir

    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    saved = json.loads((assets_dir("distributed-scraping") / "bench_vs_scrapy.json").read_text())
    assert "records that it ran with no bytecode cache (`bytecode_cache: false`)" in text
    assert saved["results"]["bytecode_cache"] is False
