"""The clocks the OS gives Python (``time.get_clock_info``), and which one to time things with.

``time.time()`` is the wall clock (``CLOCK_REALTIME`` on Linux): NTP may slew it and an
administrator may set it, so it can jump, even backwards. ``time.monotonic()`` and
``time.perf_counter()`` never go back: use them for durations and timeouts. ``process_time`` and
``thread_time`` count CPU time only, so a sleep does not advance them.

```python
import time
from examples.pycon_us_2022.linux_features.clocks import CLOCKS, describe

assert "adjustable" in describe("time") and not time.get_clock_info("monotonic").adjustable
```
"""

from __future__ import annotations

import argparse
import time

from example_support.command_line import UsageError, run

CLOCKS = ["time", "monotonic", "perf_counter", "process_time", "thread_time"]


def describe(name: str) -> str:
    info = time.get_clock_info(name)
    traits = [
        "monotonic" if info.monotonic else "not monotonic",
        "adjustable" if info.adjustable else "not adjustable",
    ]
    return f"{name:<13}{info.implementation:<40}{', '.join(traits):<30}{info.resolution:g} s"


def elapsed_during_sleep(seconds: float) -> dict[str, float]:
    """How far each clock advanced while this thread slept."""
    before = {name: getattr(time, name)() for name in CLOCKS}
    time.sleep(seconds)
    return {name: getattr(time, name)() - before[name] for name in CLOCKS}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="clocks", description="Describe Python's clocks and time a sleep with each."
    )
    parser.add_argument("--sleep", type=float, default=0.2, help="seconds to sleep (default 0.2)")
    args = parser.parse_args()
    if not 0 < args.sleep <= 5:
        raise UsageError("--sleep must be more than 0 and at most 5 seconds")
    print(f"{'clock':<13}{'implementation':<40}{'traits':<30}resolution")
    for name in CLOCKS:
        print(describe(name))
    print(f"\nduring time.sleep({args.sleep}):")
    for name, delta in elapsed_during_sleep(args.sleep).items():
        print(f"  {name:<13}advanced {delta:.1f} s")
    return 0


if __name__ == "__main__":
    run(main, prog="clocks")
