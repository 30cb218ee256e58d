"""Lighthouse scores and page weight of the built site.

    uv run python -m site_tools.commands.lighthouse_report

Builds the site, serves it gzip-compressed on 127.0.0.1 (as GitHub Pages serves it), and runs
Lighthouse (npm package, pinned in site_tools/commands/lighthouse/) in Debian's Chromium with its
mobile defaults, several times per page. It writes the medians, and each page's bytes (uncompressed
and as transferred), to docs/assets/lighthouse/lighthouse.json with an environment stamp, and
rewrites the table between the README's lighthouse markers from that file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from example_support.environment_stamp import environment_stamp
from site_tools import registry
from site_tools.checks.browser import CHROMIUM_FLAGS, chromium_path
from site_tools.checks.built_site import build_site, serving
from site_tools.paths import REPO_ROOT

TOOL = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = TOOL / "node_modules" / ".bin" / "lighthouse"
RESULTS = REPO_ROOT / "docs" / "assets" / "lighthouse" / "lighthouse.json"
README = REPO_ROOT / "README.md"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MARKERS = ("<!-- lighthouse:start -->", "<!-- lighthouse:end -->")


def talk_pages() -> list[str]:
    """The home page and every talk page, as URL paths of the built site."""
    return ["", *(talk.url for talk in registry.talks())]


def run_lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile, its default) of ``url``; the parsed JSON report."""
    flags = " ".join(CHROMIUM_FLAGS)
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
        ],
        check=True,
        timeout=300,
        env={**os.environ, "CHROME_PATH": chromium_path() or ""},
    )
    return json.loads(out.read_text())


def summarise(reports: list[dict]) -> dict:
    """Median score per category, and the first run's bytes (they do not vary between runs)."""
    scores = {
        category: statistics.median(
            round(r["categories"][category]["score"] * 100) for r in reports
        )
        for category in CATEGORIES
    }
    requests = reports[0]["audits"]["network-requests"]["details"]["items"]
    return {
        "scores": scores,
        "requests": len(requests),
        "bytes_uncompressed": sum(item.get("resourceSize", 0) for item in requests),
        "bytes_transferred": sum(item.get("transferSize", 0) for item in requests),
        "runs": len(reports),
        # Lighthouse's measure of this machine's CPU at the time (higher is faster): the
        # performance score scales observed main-thread time by 4, so it moves with the load.
        "benchmark_index": round(
            statistics.median(r["environment"]["benchmarkIndex"] for r in reports)
        ),
    }


def readme_table(results: dict) -> str:
    """The README's table, rendered from the results file."""
    rows = [
        "| page | performance | accessibility | best practices | SEO | KiB (uncompressed) "
        "| KiB (transferred) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    # In path order: the results file is written with sorted keys, so that is the order it has.
    for path, page in sorted(results["results"]["pages"].items()):
        s = page["scores"]
        rows.append(
            f"| /{path} | {s['performance']:g} | {s['accessibility']:g} "
            f"| {s['best-practices']:g} | {s['seo']:g} | {page['bytes_uncompressed'] / 1024:.0f} "
            f"| {page['bytes_transferred'] / 1024:.0f} |"
        )
    stamp = results["environment"]
    indexes = [
        p["benchmark_index"] for p in results["results"]["pages"].values() if "benchmark_index" in p
    ]
    machine = f", CPU benchmark index {min(indexes)} to {max(indexes)}" if indexes else ""
    rows.append("")
    rows.append(
        f"Lighthouse {stamp['packages'].get('lighthouse', '?')}, mobile, median of "
        f"{results['results']['runs']} runs, Python {stamp['python']} on {stamp['os']}"
        f"{machine}, {stamp['date']}."
    )
    return "\n".join(rows)


def update_readme(results: dict, readme: Path = README) -> None:
    """Replace what stands between the README's markers with the table."""
    text = readme.read_text(encoding="utf-8")
    start, end = MARKERS
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    readme.write_text(pattern.sub(f"{start}\n{readme_table(results)}\n{end}", text), "utf-8")


def measure(pages: list[str], runs: int, work: Path, site: Path | None = None) -> dict:
    from rich.progress import track

    site = site or build_site(work / "site")
    measured = {}
    with serving(site, gzip=True) as base:
        jobs = [(path, n) for path in pages for n in range(runs)]
        reports: dict[str, list[dict]] = {path: [] for path in pages}
        for path, n in track(jobs, description="Lighthouse"):
            reports[path].append(run_lighthouse(base + path, work / f"{len(measured)}-{n}.json"))
        for path in pages:
            measured[path] = summarise(reports[path])
    return {"pages": measured, "runs": runs}


def main() -> int:
    parser = argparse.ArgumentParser(prog="lighthouse_report", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="one run of the home page, results in a temporary folder",
    )
    parser.add_argument(
        "--site-dir",
        type=Path,
        help="score this already built site instead of building one",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.site_dir and not (args.site_dir / "index.html").is_file():
        parser.error(f"--site-dir {args.site_dir}: no index.html; build the site first")
    if chromium_path() is None:
        print("lighthouse_report: error: chromium is not installed", file=sys.stderr)
        return 1
    if not LIGHTHOUSE.exists():
        print(
            f"lighthouse_report: error: run npm ci --prefix {TOOL.relative_to(REPO_ROOT)}",
            file=sys.stderr,
        )
        return 1
    pages = [""] if args.smoke else talk_pages()
    with tempfile.TemporaryDirectory() as work:
        results = measure(pages, 1 if args.smoke else args.runs, Path(work), args.site_dir)
    stamp = environment_stamp([])
    version = json.loads((TOOL / "package.json").read_text())["dependencies"]["lighthouse"]
    stamp["packages"] = {"lighthouse": version}
    payload = {"environment": stamp, "results": results}
    print(readme_table(payload))
    if not args.smoke:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        update_readme(payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
