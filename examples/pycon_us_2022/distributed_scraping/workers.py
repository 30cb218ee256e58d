"""Scraping nodes as real processes: start N Celery workers here, or more on other machines.

Each worker is its own operating-system process group, the way each of the talk's nodes was its
own machine. Inside it, ``--concurrency`` threads each fetch a page (``--pool threads``, the
default: a page is mostly waiting); ``--pool prefork`` runs pool processes instead, for pages
whose parsing or rendering keeps a CPU busy. Workers can join or leave mid-crawl: a new
one starts taking messages at once; one that is stopped with SIGTERM finishes its page first (a
warm shutdown); one that is killed leaves its page unacknowledged, and it is delivered again.
On another machine, the same worker runs with the crawl's broker and database URLs:
``python -m examples.pycon_us_2022.distributed_scraping worker --broker redis://…``.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from example_support.command_line import UsageError, run

REPO_ROOT = Path(__file__).resolve().parents[3]


POOLS = ("threads", "prefork")


def worker_command(
    broker: str, name: str, lease: float, concurrency: int = 8, pool: str = "threads"
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "examples.pycon_us_2022.distributed_scraping.workers",
        "--broker",
        broker,
        "--name",
        name,
        "--lease",
        str(lease),
        "--concurrency",
        str(concurrency),
        "--pool",
        pool,
    ]


class LocalWorkers:
    """N worker processes for the duration of a ``with`` block; logs go to ``log_dir``."""

    def __init__(
        self,
        count: int,
        broker: str,
        log_dir: Path,
        lease: float = 120.0,
        concurrency: int = 8,
        pool: str = "threads",
    ) -> None:
        self.count, self.broker, self.log_dir, self.lease = count, broker, log_dir, lease
        self.concurrency, self.pool = concurrency, pool
        self.processes: list[subprocess.Popen] = []

    def logs(self) -> list[Path]:
        return [self.log_dir / f"worker-{n}.log" for n in range(1, self.count + 1)]

    def __enter__(self) -> LocalWorkers:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
            ),
        }
        try:
            for number, log in enumerate(self.logs(), start=1):
                with log.open("wb") as output:
                    self.processes.append(
                        subprocess.Popen(
                            worker_command(
                                self.broker,
                                f"worker-{number}",
                                self.lease,
                                self.concurrency,
                                self.pool,
                            ),
                            stdout=output,
                            stderr=subprocess.STDOUT,
                            env=env,
                            cwd=REPO_ROOT,
                            # Own session: a terminal's Ctrl+C reaches the controller only.
                            start_new_session=True,
                        )
                    )
        except BaseException:
            self.__exit__()
            raise
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        """Return once every worker says it is ready to take messages."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(b" ready." in log.read_bytes() for log in self.logs() if log.exists()):
                return
            if any(process.poll() is not None for process in self.processes):
                raise RuntimeError(f"a worker exited early; see {self.log_dir}")
            time.sleep(0.1)
        raise TimeoutError(f"workers not ready within {timeout} s; see {self.log_dir}")

    def __exit__(self, error: type[BaseException] | None = None, *exc: object) -> None:
        """Interrupted: a warm shutdown, each worker finishing its pages. Finished: every URL is
        stored, nothing is in hand, and a warm shutdown on the filesystem broker spends seconds
        in Celery's polling loop, so the workers are simply killed."""
        for process in self.processes:  # all at once: each finishes its page in parallel
            if process.poll() is None:
                process.terminate() if error else _kill_group(process)
        for process in self.processes:
            stop(process)


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    """Warm shutdown (SIGTERM: finish the current page), then SIGKILL to the whole group."""
    if process.poll() is None:
        process.terminate()  # the main process only: it lets its pool child finish the page
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    _kill_group(process)  # a pool child must not outlive its worker
    process.wait()


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def run_worker(
    broker: str, name: str, lease: float, concurrency: int = 8, pool: str = "threads"
) -> None:
    """Run one Celery worker in this process until SIGTERM or Ctrl+C."""
    from examples.pycon_us_2022.distributed_scraping.work_queue import app, configure

    configure(broker, lease)
    app.worker_main(
        [
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            f"--hostname={name}@%h",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workers", description=__doc__.split("\n")[0])
    parser.add_argument("--broker", required=True, help="filesystem://PATH, redis://… or amqp://…")
    parser.add_argument("--name", default="worker", help="this worker's name in logs and rows")
    parser.add_argument("--lease", type=float, default=120.0, help="Redis visibility timeout, s")
    parser.add_argument("--concurrency", type=int, default=8, help="pages in flight (1 to 256)")
    parser.add_argument("--pool", choices=POOLS, default="threads", help="threads or processes")
    args = parser.parse_args(argv)
    if not 0 < args.lease < math.inf:
        raise UsageError("--lease must be positive and finite")
    if not 1 <= args.concurrency <= 256:
        raise UsageError("--concurrency must be between 1 and 256")
    run_worker(args.broker, args.name, args.lease, args.concurrency, args.pool)
    return 0


if __name__ == "__main__":
    run(main, prog="workers")
