"""A local HTTP server run from a thread for the length of a ``with`` block, then stopped.

The scraping talk's test site and forward proxy, and the built documentation site that the
browser tests and the Lighthouse report serve (``site_tools/checks/built_site.py``), all run
this way: nothing keeps running once the block ends.
"""

from __future__ import annotations

import threading
from http.server import HTTPServer
from typing import Self


class BackgroundServer:
    """Serves ``self._server`` on a daemon thread inside ``with``; shuts it down on exit."""

    def __init__(self, server: HTTPServer) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
