"""Scraping nodes: the crawl command's own worker, N more processes here, or more on other machines.

Each extra worker is its own operating-system process group, the way each of the talk's nodes
was its own machine. Inside a worker, ``--concurrency`` requests are in flight at most, sent by
twice as many threads (``--pool threads``, the default: a page is mostly waiting), so that a
thread parsing or storing its page never leaves a slot idle; ``--pool prefork`` runs pool
processes instead, for pages whose parsing or rendering keeps a CPU busy. Workers can join or
leave mid-crawl: a new one starts taking messages at once; one that is stopped with SIGTERM
finishes its page first (a warm shutdown); one that is killed leaves its page unacknowledged,
and it is delivered again. The crawl command runs its first worker on threads of its own process
(``EmbeddedWorker``): the same Celery worker on the same queue, with no second interpreter to
start. On another machine, the same worker runs with the crawl's broker and database URLs:
``python -m examples.pycon_us_2022.distributed_scraping worker --broker redis://…``.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from example_support.command_line import UsageError, run

REPO_ROOT = Path(__file__).resolve().parents[3]


POOLS = ("threads", "prefork")


def threads_for(concurrency: int, pool: str = "threads") -> int:
    """Pool size: two threads per request in flight; one process per page for prefork."""
    return 2 * concurrency if pool == "threads" else concurrency


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
        first: int = 1,
    ) -> None:
        self.count, self.broker, self.log_dir, self.lease = count, broker, log_dir, lease
        self.concurrency, self.pool, self.first = concurrency, pool, first
        self.processes: list[subprocess.Popen] = []

    def logs(self) -> list[Path]:
        return [
            self.log_dir / f"worker-{n}.log" for n in range(self.first, self.first + self.count)
        ]

    def __enter__(self) -> LocalWorkers:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
            ),
        }
        try:
            for number, log in enumerate(self.logs(), start=self.first):
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


class EmbeddedWorker:
    """A Celery worker on threads of this process, for a ``with`` block (the crawl's first one).

    It shares the process's imports, robots.txt rules and cap in flight with the controller, so a
    crawl at concurrency N keeps at most N requests open to the site, catalogue pages included.
    Interrupted, it finishes the pages in hand (a warm shutdown); finished, it has none, and its
    thread ends with the process. Errors go to ``log``, as a worker process's would.
    """

    def __init__(self, name: str, concurrency: int, log: Path) -> None:
        self.name, self.concurrency, self.log = name, concurrency, log

    def __enter__(self) -> EmbeddedWorker:
        import logging

        from examples.pycon_us_2022.distributed_scraping.host_limits import IN_FLIGHT

        self.log.parent.mkdir(parents=True, exist_ok=True)
        logger = logging.getLogger("celery")
        logger.addHandler(logging.FileHandler(self.log))
        logger.propagate = False
        IN_FLIGHT.limit = self.concurrency
        # Built on its thread too: its bootsteps overlap the controller's first requests.
        self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        from celery.app.trace import setup_worker_optimizations

        from examples.pycon_us_2022.distributed_scraping.work_queue import app

        hostname = f"{self.name}@{socket.gethostname()}"
        setup_worker_optimizations(app, hostname)
        app.WorkController(
            hostname=hostname,
            pool_cls="threads",
            concurrency=threads_for(self.concurrency),
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            use_eventloop=False,  # no process-wide event loop: the controller publishes from here
        ).start()

    def __exit__(self, error: type[BaseException] | None = None, *exc: object) -> None:
        if error is None:
            return
        from celery.worker import state

        state.should_stop = 0  # seen by the worker's loop within its 2 s poll: a warm shutdown
        self.thread.join(timeout=60)
        state.should_stop = None


def run_worker(
    broker: str, name: str, lease: float, concurrency: int = 8, pool: str = "threads"
) -> None:
    """Run one Celery worker in this process until SIGTERM or Ctrl+C."""
    from examples.pycon_us_2022.distributed_scraping.host_limits import IN_FLIGHT
    from examples.pycon_us_2022.distributed_scraping.work_queue import app, configure

    configure(broker, lease)
    if pool == "threads":
        IN_FLIGHT.limit = concurrency
    else:  # one page at a time per process: one running, one ready, none waits for the broker
        app.conf.worker_prefetch_multiplier = 2
    app.worker_main(
        [
            "worker",
            f"--pool={pool}",
            f"--concurrency={threads_for(concurrency, pool)}",
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
