"""Phase 4, rollout: a reverse proxy that sends each URL prefix to the old or the new deployment.

Yelp ran the same code from a Python 2 and a Python 3 virtualenv and let its routing layer pick
one by URL prefix: about 800 prefixes over six sites, each with an owner in a spreadsheet. A bug
that the tests had missed then cost one prefix a rollback, not the whole migration. This proxy
does that with the standard library: the routing table is a CSV file (``prefix,backend,owner``,
the spreadsheet's export), the longest matching prefix wins, and the file is re-read when it
changes, so rolling a prefix back is editing one cell. A table that fails to load keeps the
last good one in service. Every response says which deployment served it (``X-Rollout-Backend``).

```python
from examples.pycon_us_2022.python3_migration.rollout_proxy import RoutingTable

table = RoutingTable.parse("prefix,backend,owner\\n/,old,core\\n/biz,new,biz-team\\n")
assert [table.route(p) for p in ("/biz/claim", "/bizarre", "/")] == ["new", "old", "old"]
```
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.python3_migration.demo_backend import LOOPBACK, under
from examples.pycon_us_2022.python3_migration.regular_files import NotARegularFile, read_regular

# Headers that describe one connection, not the message: a proxy must not forward them.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length",
}  # fmt: skip


@dataclass(frozen=True)
class RoutingTable:
    """Prefix -> backend name (and owner), from the CSV the owners edit."""

    routes: tuple[tuple[str, str, str], ...]

    @classmethod
    def parse(cls, text: str, backends: Sequence[str] = ("old", "new")) -> RoutingTable:
        try:
            rows = list(csv.DictReader(io.StringIO(text)))
        except csv.Error as error:  # a field over csv's size limit, say: a bad table, no crash
            raise ValueError(f"not a CSV table: {error}") from None
        if not rows or not {"prefix", "backend"} <= set(rows[0]):
            raise ValueError("the routing table needs the columns prefix,backend[,owner]")
        routes = []
        for number, row in enumerate(rows, start=2):
            prefix, backend = (row["prefix"] or "").strip(), (row["backend"] or "").strip()
            if not prefix.startswith("/"):
                raise ValueError(f"line {number}: a prefix starts with /, not {prefix!r}")
            if backend not in backends:
                raise ValueError(f"line {number}: unknown backend {backend!r}")
            routes.append((prefix, backend, (row.get("owner") or "").strip()))
        if not any(prefix == "/" for prefix, _, _ in routes):
            raise ValueError("the table needs a / row: the default for every other path")
        # Longest prefix first, so that the first match is the most specific one.
        return cls(tuple(sorted(routes, key=lambda route: -len(route[0]))))

    def route(self, path: str) -> str:
        return next(backend for prefix, backend, _ in self.routes if under(path, prefix))


class ReloadingTable:
    """The routing table of a file, re-read when the file changes (checked on every request)."""

    def __init__(self, path: Path, backends: Sequence[str]) -> None:
        self.path, self.backends = path, tuple(backends)
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self.table = self._load()

    def _load(self) -> RoutingTable:
        stat = self.path.stat()
        data = read_regular(self.path)  # a FIFO in its place is an error now, not a hang
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            byte = data[error.start : error.start + 1].hex()
            raise ValueError(f"not UTF-8 text (byte 0x{byte} at offset {error.start})") from None
        table = RoutingTable.parse(text, self.backends)
        self._seen = (stat.st_mtime_ns, stat.st_size)
        return table

    def current(self) -> RoutingTable:
        with self._lock:
            try:
                stat = self.path.stat()
                if (stat.st_mtime_ns, stat.st_size) != self._seen:
                    self.table = self._load()
            except (OSError, ValueError) as error:  # a typo must not take the site down
                print(f"rollout_proxy: keeping the last good table: {error}", file=sys.stderr)
        return self.table


def make_proxy(port: int, table: ReloadingTable, backends: dict[str, str]) -> ThreadingHTTPServer:
    """A threading HTTP server on 127.0.0.1:``port`` that forwards by ``table``."""
    targets = {name: urlsplit(url) for name, url in backends.items()}

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            if self.path == "/_rollout":  # the current table, for people and health checks
                routes = [dict(zip(("prefix", "backend", "owner"), r, strict=True))
                          for r in table.current().routes]  # fmt: skip
                return self._send(200, {"Content-Type": "application/json"},
                                  json.dumps(routes).encode(), "proxy")  # fmt: skip
            name = table.current().route(self.path)
            target = targets[name]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["X-Forwarded-For"] = self.client_address[0]
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                kept = {
                    k: v
                    for k, v in response.getheaders()
                    if k.lower() not in HOP_BY_HOP | {"server", "date"}  # ours are sent instead
                }
                return self._send(response.status, kept, payload, name)
            except OSError as error:
                message = f"backend {name} unreachable: {error}".encode()
                return self._send(502, {"Content-Type": "text/plain"}, message, name)
            finally:
                connection.close()

        def _send(self, status: int, headers: dict, payload: bytes, name: str) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("X-Rollout-Backend", name)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer((LOOPBACK, port), Proxy)


def parse_backend(text: str) -> tuple[str, str]:
    name, _, url = text.partition("=")
    parts = urlsplit(url)
    if not name or parts.scheme != "http" or not parts.hostname or not parts.port:
        raise argparse.ArgumentTypeError(f"want NAME=http://HOST:PORT, not {text!r}")
    return name, url


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="rollout_proxy",
        description="Route URL prefixes to the old or the new deployment by a CSV table that is "
        "re-read when it changes. --check prints the table (and where PATHs go) and exits.",
    )
    parser.add_argument("--routes", type=Path, required=True, help="CSV: prefix,backend,owner")
    parser.add_argument("--backend", type=parse_backend, action="append", default=[],
                        metavar="NAME=URL", help="e.g. old=http://127.0.0.1:8001")  # fmt: skip
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1")
    parser.add_argument("--check", nargs="*", metavar="PATH", help="validate, route, exit")
    args = parser.parse_args()
    backends = dict(args.backend)
    if not backends:
        raise UsageError("give at least one --backend NAME=URL")
    if not 0 < args.port < 65536:  # else bind() raises OverflowError, a traceback
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    try:
        table = ReloadingTable(args.routes, list(backends))
    except (ValueError, NotARegularFile) as error:
        raise UsageError(f"{args.routes}: {error}") from None
    if args.check is not None:
        for prefix, backend, owner in sorted(table.table.routes):
            print(f"{prefix:18} -> {backend:4} {owner}")
        for path in args.check:
            print(f"{path} is served by {table.table.route(path)}")
        return 0
    with make_proxy(args.port, table, backends) as server:
        print(f"rollout_proxy on http://{LOOPBACK}:{args.port}", flush=True)
        server.serve_forever()
    return 0


if __name__ == "__main__":
    run(main, prog="rollout_proxy")
