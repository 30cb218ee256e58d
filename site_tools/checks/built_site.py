"""The site as it will be published: built into a folder and served over HTTP on 127.0.0.1.

The screenshot script, the Lighthouse report and the browser tests all need the same two steps;
``gzip=True`` compresses text responses the way GitHub Pages does, for realistic byte counts.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from example_support.background_server import BackgroundServer
from site_tools.paths import REPO_ROOT

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


def build_site(site_dir: Path) -> Path:
    """``mkdocs build --strict`` into ``site_dir`` with this environment's MkDocs."""
    subprocess.run(
        [
            str(Path(sys.executable).parent / "mkdocs"),
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(site_dir),
        ],
        cwd=REPO_ROOT,
        check=True,
        timeout=600,
    )
    return site_dir


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    compress = False

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the callers report what they measured, not every request."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns for do_GET to copy: a readable, closable body."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        data, self._data = self._data, b""
        return data

    def close(self) -> None:
        self._data = b""


@contextmanager
def serving(site_dir: Path, *, gzip: bool = False) -> Iterator[str]:
    """Serve ``site_dir`` on a free 127.0.0.1 port; yields the base URL, stops on exit."""
    handler_class = type("Handler", (_StaticHandler,), {"compress": gzip})
    handler = functools.partial(handler_class, directory=str(site_dir))
    with BackgroundServer(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield f"{server.origin}/"
