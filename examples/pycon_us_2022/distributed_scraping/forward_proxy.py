"""The talk's "middle proxy layer", shown with a tiny forward HTTP proxy on 127.0.0.1.

A forward proxy receives requests in *absolute form* (``GET http://site/page HTTP/1.1``), makes
the request itself, and relays the answer, so the site sees the proxy's address instead of the
scraper's. Rotating requests over many proxies is how the talk's scraper spread its traffic over
several IP addresses. This proxy adds a ``Via`` header (RFC 9110 asks proxies to) so the test site
can show which requests came through it. It forwards plain HTTP only (no ``CONNECT`` tunnels).

```python
import requests
from examples.pycon_us_2022.distributed_scraping.forward_proxy import ForwardProxy
from examples.pycon_us_2022.distributed_scraping.book_site import BookSite

with BookSite(books=1) as site, ForwardProxy() as proxy:
    requests.get(site.url, proxies={"http": proxy.url}, timeout=5)
assert site.traffic.via["/"] == "1.1 forward_proxy"
```
"""

from __future__ import annotations

import argparse
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from example_support.background_server import BackgroundServer
from example_support.command_line import UsageError, run

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a proxy relays a redirect; the client decides whether to follow it


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if not self.path.startswith("http://"):
            self.send_error(400, "a forward proxy needs an absolute http:// URL")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Via"] = "1.1 forward_proxy"
        request = urllib.request.Request(self.path, headers=headers)
        try:
            with _OPENER.open(request, timeout=30) as upstream:
                self._relay(upstream.status, upstream.headers.items(), upstream.read())
        except urllib.error.HTTPError as error:
            self._relay(error.code, error.headers.items(), error.read())
        except OSError:
            self.send_error(502, "the site did not answer")

    def _relay(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ForwardProxy(BackgroundServer):
    """The proxy, served from a background thread for the duration of a ``with`` block."""

    def __init__(self, port: int = 0) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        server.daemon_threads = True
        super().__init__(server)

    @property
    def url(self) -> str:
        return self.origin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="forward_proxy", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8023, help="port on 127.0.0.1 (default 8023)")
    args = parser.parse_args(argv)
    if not 0 <= args.port < 65536:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    with ForwardProxy(args.port) as proxy:
        print(f"forward proxy at {proxy.url} (Ctrl+C stops)", flush=True)
        threading.Event().wait()
    return 0


if __name__ == "__main__":
    run(main, prog="forward_proxy")
