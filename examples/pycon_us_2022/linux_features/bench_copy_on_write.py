"""Copy-on-write after ``os.fork``, measured: how much memory parent and child still share.

After ``fork`` the child shares every page of the parent's memory; the kernel copies a page only
when one side writes to it. CPython writes to objects it merely *reads*: every reference taken
changes the object's reference count, and a garbage collection writes to the header of every
container object it examines. So a child that only reads a big structure still ends up with its
own copy of it. ``gc.freeze()`` (3.7+) before the fork moves every object to a permanent
generation the collector never examines, which removes the GC writes; reading still costs.

Each scenario runs in a fresh interpreter: it builds ``--objects`` small objects, forks, and the
child walks through three stages in lock-step with its parent over a ``socketpair``, both reading
their memory from ``/proc/<pid>/smaps_rollup`` (Linux 4.14+) at each stage. Results are saved as
JSON with the environment stamp and plotted as SVG under ``docs/pycon-us-2022/assets/``.

```python
from examples.pycon_us_2022.linux_features.bench_copy_on_write import parse_rollup

sample = "Rss:  100 kB\\nPss:  60 kB\\nShared_Clean:  80 kB\\nPrivate_Dirty:  20 kB\\n"
assert parse_rollup(sample)["Pss"] == 60
```
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from example_support.benchmark_results import ASSETS, save_results, save_svg, show_saved
from example_support.command_line import UsageError, run
from example_support.environment_stamp import stamp_line
from examples.pycon_us_2022.linux_features.children import fork_child, reap

REPO_ROOT = Path(__file__).resolve().parents[3]
TALK = "linux-features"
NAME = "copy-on-write"
SCENARIOS = {"without gc.freeze()": False, "with gc.freeze()": True}
STAGES = ["after fork", "after gc.collect()", "after reading every object"]
# About 100 bytes a record: the largest run stays well inside a laptop's memory.
MIN_OBJECTS, MAX_OBJECTS = 1_000, 5_000_000
FIELDS = ("Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty")


class Record:
    """One small object with a header the collector writes to (it can hold references)."""

    __slots__ = ("name", "number")

    def __init__(self, number: int) -> None:
        self.number = number
        self.name = f"penguin-{number}"


def build_records(objects: int) -> list[Record]:
    """The structure the parent builds before forking (memray_profile.py profiles this)."""
    return [Record(number) for number in range(objects)]


def parse_rollup(text: str) -> dict[str, int]:
    """The kB figures of an smaps_rollup file."""
    figures = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in FIELDS:
            figures[key] = int(value.split()[0])
    return figures


def memory(pid: int | str = "self") -> dict[str, int]:
    """RSS, PSS, shared and private (copied) memory of a process, in KiB."""
    figures = parse_rollup(Path(f"/proc/{pid}/smaps_rollup").read_text())
    return {
        "rss": figures["Rss"],
        "pss": figures["Pss"],
        "shared": figures["Shared_Clean"] + figures["Shared_Dirty"],
        "private": figures["Private_Clean"] + figures["Private_Dirty"],
    }


def scenario(objects: int, freeze: bool) -> dict:
    """Build, fork, and measure parent and child at each stage (runs in a fresh interpreter)."""
    gc.disable()  # no collection may run in the parent while the data is built
    before = memory()["rss"]
    records = build_records(objects)
    built = memory()["rss"]
    if freeze:
        gc.freeze()  # the collector will never examine these objects again
    else:
        gc.collect()
    parent_end, child_end = socket.socketpair()

    def child() -> int:
        parent_end.close()
        with child_end, child_end.makefile("rw", encoding="utf-8") as channel:
            for stage in STAGES:
                if stage == "after gc.collect()":
                    gc.collect()
                elif stage == "after reading every object":
                    sum(len(record.name) + record.number for record in records)
                channel.write(json.dumps({"stage": stage, "child": memory()}) + "\n")
                channel.flush()
                channel.readline()  # wait until the parent has measured itself too
        return 0

    pid = fork_child(child)
    child_end.close()
    stages = []
    with parent_end, parent_end.makefile("rw", encoding="utf-8") as channel:
        parent_end.settimeout(120)
        for _ in STAGES:
            step = json.loads(channel.readline())
            step["parent"] = memory()
            stages.append(step)
            channel.write("go\n")
            channel.flush()
    if reap(pid, timeout=120) != 0:
        raise RuntimeError("the measuring child failed")
    return {"objects": objects, "data_kib": built - before, "stages": stages}


def run_scenario(objects: int, freeze: bool) -> dict:
    """One scenario in a fresh interpreter, so neither inherits the other's memory."""
    args = [sys.executable, "-m", __spec__.name, "--objects", str(objects), "--scenario"]
    result = subprocess.run(
        [*args, "freeze" if freeze else "plain"],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)


def table(results: dict) -> list[str]:
    rows = [
        f"{'scenario':<22}{'stage':<29}{'child copied':>13}{'child shared':>13}{'parent PSS':>11}"
    ]
    for name in SCENARIOS:  # in the order measured: the JSON file stores its keys sorted
        for step in results["scenarios"][name]["stages"]:
            child, parent = step["child"], step["parent"]
            rows.append(
                f"{name:<22}{step['stage']:<29}{child['private'] / 1024:>9.1f} MiB"
                f"{child['shared'] / 1024:>9.1f} MiB{parent['pss'] / 1024:>7.1f} MiB"
            )
    return rows


def report(results: dict) -> list[str]:
    """What a measuring run prints, and what ``--saved`` prints again from the saved JSON."""
    head = (
        f"{results['objects']:,} objects, {results['data_mib']} MiB in the parent before the fork"
    )
    return [head, *table(results)]


def plot(results: dict, stamp: str, out_dir: Path | None) -> Path:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    series = [
        ("child: copied (private)", lambda s: s["child"]["private"]),
        ("child: still shared", lambda s: s["child"]["shared"]),
        ("parent: PSS", lambda s: s["parent"]["pss"]),
    ]
    scenarios = [(name, results["scenarios"][name]) for name in SCENARIOS]
    for axis, (name, measured) in zip(axes, scenarios, strict=True):
        positions = range(len(measured["stages"]))
        for offset, (label, value) in enumerate(series):
            heights = [value(step) / 1024 for step in measured["stages"]]
            axis.bar([p + (offset - 1) * 0.27 for p in positions], heights, 0.27, label=label)
        axis.set_xticks(
            list(positions), [s["stage"].replace(" every", "\nevery") for s in measured["stages"]]
        )
        axis.set_title(name)
        axis.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("MiB")
    axes[0].set_ylim(0, axes[0].get_ylim()[1] * 1.3)  # room for the legend above the bars
    axes[0].legend(loc="upper left", fontsize="small")
    figure.suptitle(f"Copy-on-write after fork: {results['objects']:,} objects")
    figure.text(0.5, -0.02, stamp, ha="center", fontsize="x-small")
    return save_svg(figure, TALK, NAME, out_dir)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="bench_copy_on_write",
        description="Measure how much memory a forked child shares, with and without gc.freeze().",
    )
    parser.add_argument("--objects", type=int, default=400_000, help="objects the parent builds")
    parser.add_argument("--smoke", action="store_true", help="tiny run for tests; saves nothing")
    parser.add_argument("--out-dir", type=Path, help="where to write JSON and SVG")
    parser.add_argument(
        "--saved", action="store_true", help="print the saved results again; measures nothing"
    )
    parser.add_argument("--scenario", choices=["plain", "freeze"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.saved:
        print(show_saved((args.out_dir or ASSETS / TALK) / f"{NAME}.json", report))
        return 0
    if not Path("/proc/self/smaps_rollup").exists():
        raise UsageError("needs Linux 4.14+ (/proc/self/smaps_rollup)")
    objects = 20_000 if args.smoke else args.objects
    if not MIN_OBJECTS <= objects <= MAX_OBJECTS:
        raise UsageError(f"--objects must be between {MIN_OBJECTS} and {MAX_OBJECTS:,}")
    if args.scenario:
        print(json.dumps(scenario(objects, args.scenario == "freeze")))
        return 0
    from tqdm import tqdm

    measured = {}
    for name, freeze in tqdm(SCENARIOS.items(), desc="scenarios", disable=None, file=sys.stderr):
        measured[name] = run_scenario(objects, freeze)
    data_kib = max(result["data_kib"] for result in measured.values())
    results = {"objects": objects, "data_mib": round(data_kib / 1024, 1), "scenarios": measured}
    print("\n".join(report(results)))
    if args.smoke and args.out_dir is None:
        return 0
    path = save_results(TALK, NAME, results, ["memray"], args.out_dir)
    stamp = stamp_line(json.loads(path.read_text())["environment"])
    svg = plot(results, stamp, args.out_dir)
    print(f"wrote {path.name} and {svg.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_copy_on_write")
