"""Profile memory with memray (Bloomberg's memory profiler): where did the peak come from?

memray records every allocation a Python program makes, with the Python (and optionally native)
stack that made it, into a capture file; reporters turn that file into flame graphs, tables or
statistics (``memray run``, then ``memray flamegraph`` / ``stats`` / ``summary``). This script uses
its Python API instead: it tracks the structure the copy-on-write benchmark forks with, then
reads the capture and groups the allocations alive at the peak by the line that made them.

```python
from examples.pycon_us_2022.linux_features.memray_profile import mib

assert mib(3 * 1024 * 1024) == "3.0 MiB"
```
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from example_support.benchmark_results import ASSETS, save_results, save_svg, show_saved
from example_support.command_line import UsageError, run
from examples.pycon_us_2022.linux_features.bench_copy_on_write import (
    MAX_OBJECTS,
    TALK,
    build_records,
)

NAME = "memray-peak"


def mib(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def profile(objects: int) -> dict:
    """Build ``objects`` records under memray; the peak's allocations grouped by source line."""
    import memray

    with tempfile.TemporaryDirectory() as folder:
        capture = Path(folder) / "build.bin"
        # Python's own allocator (pymalloc) hands out pieces of 1 MiB arenas; tracing it shows
        # the objects themselves instead of the arenas.
        with memray.Tracker(capture, trace_python_allocators=True):
            records = build_records(objects)
        reader = memray.FileReader(capture)
        sizes: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        for record in reader.get_high_watermark_allocation_records(merge_threads=True):
            stack = record.stack_trace()
            function, file, line = stack[0] if stack else ("?", "?", 0)
            where = f"{Path(file).name}:{line} in {function}"
            sizes[where] += record.size
            counts[where] += record.n_allocations
        peak = reader.metadata.peak_memory
    del records
    return {
        "objects": objects,
        "peak_bytes": peak,
        "lines": [
            {"where": where, "bytes": size, "allocations": counts[where]}
            for where, size in sizes.most_common()
        ],
    }


def report(results: dict, top: int) -> list[str]:
    """What a profiling run prints, and what ``--saved`` prints again from the saved JSON."""
    lines = [
        f"built {results['objects']:,} records; peak memory {mib(results['peak_bytes'])}",
        f"{'alive at the peak':>18}  {'allocations':>11}  allocated by",
    ]
    for line in results["lines"][:top]:
        lines.append(f"{mib(line['bytes']):>18}  {line['allocations']:>11,}  {line['where']}")
    return lines


def plot(results: dict, out_dir: Path | None) -> Path:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    # Lines holding under 1% of the peak would be invisible bars.
    top = [line for line in results["lines"][:4] if line["bytes"] >= results["peak_bytes"] / 100]
    top.reverse()
    figure, axis = plt.subplots(figsize=(8, 2.6))
    axis.barh([line["where"] for line in top], [line["bytes"] / 1024 / 1024 for line in top])
    axis.set_xlabel("MiB alive at the peak")
    axis.set_title(f"memray: building {results['objects']:,} records, by allocating line")
    axis.grid(axis="x", alpha=0.3)
    return save_svg(figure, TALK, NAME, out_dir)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="memray_profile",
        description="Profile building the copy-on-write benchmark's objects with memray.",
    )
    parser.add_argument("--objects", type=int, default=100_000, help="records to build")
    parser.add_argument("--top", type=int, default=2, help="lines to list (default 2)")
    parser.add_argument("--save", action="store_true", help="write JSON and SVG to the assets")
    parser.add_argument("--out-dir", type=Path, help="with --save: write there instead")
    parser.add_argument(
        "--saved", action="store_true", help="print the saved profile again; profiles nothing"
    )
    args = parser.parse_args()
    if not 1 <= args.objects <= MAX_OBJECTS:
        raise UsageError(f"--objects must be between 1 and {MAX_OBJECTS:,}")
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    if args.saved:
        saved = (args.out_dir or ASSETS / TALK) / f"{NAME}.json"
        print(show_saved(saved, lambda results: report(results, args.top)))
        return 0
    results = profile(args.objects)
    print("\n".join(report(results, args.top)))
    if args.save:
        path = save_results(TALK, NAME, results, ["memray"], args.out_dir)
        print(f"wrote {path.name} and {plot(results, args.out_dir).name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="memray_profile")
