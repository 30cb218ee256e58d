"""`uv run mkdocs serve`, the README's first command, serves the site, and nothing it serves
asks another host for anything: no web fonts, no CDN scripts, no trackers."""

from __future__ import annotations

import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from site_tools.page_markdown import mkdocs_config
from site_tools.paths import REPO_ROOT
from tests.support.servers import LOOPBACK, free_port, serving

# src= and href= of things a browser fetches by itself (scripts, styles, images, fonts, icons).
FETCHED = re.compile(r'<(?:script|img|source|link)\b[^>]*?\b(?:src|href)="(?P<url>[^"]+)"', re.I)


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


@pytest.mark.slow
def test_mkdocs_serve_serves_pages_that_stay_on_this_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a contributor runs it: only mkdocs.yml silences Material's end-of-life notice.
    monkeypatch.delenv("NO_MKDOCS_2_WARNING", raising=False)
    port = free_port()
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    # mkdocs serve mounts the site under the path of site_url, as GitHub Pages will.
    mount = urllib.parse.urlparse(mkdocs_config()["site_url"]).path
    base = f"http://{LOOPBACK}:{port}{mount}"
    command = [mkdocs, "serve", "--dev-addr", f"{LOOPBACK}:{port}", "--no-livereload"]
    with serving(
        command, port, cwd=REPO_ROOT, ready_url=base, timeout=120, log=tmp_path / "serve.log"
    ):
        for path in ("", "pycon-us-2022/", "pycon-us-2022/notebook/"):
            html = _fetch(base + path)
            assert "PyCon US 2022 Notes" in html
            external = [
                m["url"]
                for m in FETCHED.finditer(html)
                if m["url"].startswith(("http://", "https://", "//"))
                and not m["url"].startswith(base)
                and 'rel="canonical"' not in m.group(0)
            ]
            assert external == [], f"/{path} fetches from another host: {external}"
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Serving on" in log or "Documentation built" in log, log[-2000:]
    assert "end of life" not in log, "mkdocs.yml's `extra.material_notice_read` no longer works"
