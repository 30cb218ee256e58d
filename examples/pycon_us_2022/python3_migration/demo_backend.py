"""A stand-in for one deployment of the web app, to put behind the rollout proxy.

During the rollout Yelp ran the *same code* twice: one set of servers from the Python 2
virtualenv, one from the Python 3 virtualenv. This small server plays either part. It answers
every request with JSON naming the deployment (``--name``) and the interpreter serving it, and
it can be told that some URL prefixes are buggy in this deployment (``--broken /biz``), which
answer 500, so a test can watch the proxy roll just that prefix back.

```python
from examples.pycon_us_2022.python3_migration.demo_backend import answer

status, body = answer("/biz/claim", name="new", broken=["/biz"])
assert status == 500 and body["backend"] == "new"
```
"""

from __future__ import annotations

import argparse
import json
import platform
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from example_support.command_line import UsageError, run

LOOPBACK = "127.0.0.1"


def under(path: str, prefix: str) -> bool:
    """Is ``path`` at or below ``prefix``, on a segment boundary ("/biz" is not "/bizarre")?"""
    path = path.split("?", 1)[0]
    return prefix == "/" or path == prefix or path.startswith(prefix.rstrip("/") + "/")


def answer(path: str, *, name: str, broken: Sequence[str] = ()) -> tuple[int, dict]:
    """The status and JSON body this deployment gives for ``path``."""
    body = {"backend": name, "python": platform.python_version(), "path": path}
    if any(under(path, prefix) for prefix in broken):
        return 500, {**body, "error": "this prefix is broken in this deployment"}
    return 200, body


def make_server(port: int, name: str, broken: Sequence[str]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            received = self.rfile.read(length) if length else b""
            status, body = answer(self.path, name=name, broken=broken)
            body["method"], body["received_bytes"] = self.command, len(received)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _reply

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the proxy is what the reader watches

    return ThreadingHTTPServer((LOOPBACK, port), Handler)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="demo_backend", description="Serve JSON naming this deployment, on 127.0.0.1."
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--name", required=True, help="e.g. old (Python 2 venv) or new")
    parser.add_argument("--broken", action="append", default=[], help="prefix that answers 500")
    args = parser.parse_args()
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    with make_server(args.port, args.name, args.broken) as server:
        server.serve_forever()
    return 0


if __name__ == "__main__":
    run(main, prog="demo_backend")
