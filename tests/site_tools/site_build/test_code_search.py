"""Names in code blocks reach the search index, and only the index."""

from __future__ import annotations

import json
from pathlib import Path

from site_tools.site_build.code_search import add_to_index, identifiers

CODE = (
    '<span class="k">def</span> <span class="nf">make_counter</span>'
    '<span class="p">():</span> <span class="n">x</span> <span class="n">my_list</span>'
    ' <span class="nc">Vec2</span> <span class="n">value</span>'
)


def test_definitions_and_underscored_names_are_kept() -> None:
    assert identifiers(CODE) == {"make_counter", "my_list", "Vec2"}


def test_names_join_their_pages_entry_of_the_index(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    docs = [{"location": "talk/", "text": "Prose."}, {"location": "talk/#a", "text": "More."}]
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"docs": docs}))
    add_to_index(tmp_path, {"talk/": {"make_counter", "Vec2"}})
    index = json.loads((tmp_path / "search" / "search_index.json").read_text())
    assert index["docs"][0]["text"] == "Prose. <p>Code: Vec2 make_counter</p>"
    assert index["docs"][1]["text"] == "More."
