"""Names defined and used in code blocks, findable by search without weighing on page loads.

Code blocks are kept out of the search index (``data-search-exclude`` in the hooks): they are most
of a talk page's text, and would drown the prose. But a reader who remembers ``make_counter``
should still find the page that defines it. So the names in a page's code (functions, classes,
and identifiers with an underscore) are appended to that page's own entry in the search index
after the build. The index is fetched only when a reader opens search, so pages stay as light.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

# Pygments classes of names: function and class definitions, namespaces, builtins, plain names.
NAME = re.compile(r'<span class="(?P<kind>nf|nc|nn|nb|fm|n)">(?P<name>[A-Za-z_]\w*)</span>')
DEFINITIONS = {"nf", "nc"}
MIN_LENGTH = 4


def identifiers(page_html: str) -> set[str]:
    """The names worth finding in a page's highlighted code."""
    found = set()
    for match in NAME.finditer(page_html):
        name = match["name"]
        if len(name) >= MIN_LENGTH and (match["kind"] in DEFINITIONS or "_" in name.strip("_")):
            found.add(name)
    return found


def add_to_index(site_dir: Path, names_by_page: dict[str, set[str]]) -> None:
    """Append each page's code names to its page-level entry of Material's search index."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        names = names_by_page.get(doc["location"])
        if names:
            doc["text"] = f"{doc['text']} <p>Code: {' '.join(sorted(names))}</p>"
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
