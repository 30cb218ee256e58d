"""The registry of events and talks is the navigation of mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

from site_tools import registry

NAV = [
    {"Home": "index.md"},
    {
        "An event": [
            "an-event/index.md",
            "an-event/first.md",
            "an-event/notes.ipynb",
            {"Errata": "an-event/errata.md"},
            "an-event/second.md",
            "an-event/no-speaker.md",
        ]
    },
    {"Tags": "tags.md"},
]


def test_talks_are_the_event_pages_with_a_speaker_in_nav_order(tmp_path: Path) -> None:
    event = tmp_path / "an-event"
    event.mkdir()
    for name in ("first", "second"):
        (event / f"{name}.md").write_text(f"---\ntitle: {name}\nspeaker: S\n---\n# {name}\n")
    (event / "no-speaker.md").write_text("---\ntitle: x\n---\n# x\n")
    [found] = registry.events(NAV, docs=tmp_path)
    assert (found.slug, found.title) == ("an-event", "An event")
    assert [talk.slug for talk in found.talks] == ["first", "second"]
    talk = found.talks[0]
    assert (talk.package, talk.src_uri, talk.url) == (
        "first",
        "an-event/first.md",
        "an-event/first/",
    )


def test_the_sites_own_registry_lists_the_eight_talks_of_the_day() -> None:
    [event] = registry.events()
    assert event.slug == "pycon-us-2022"
    assert len(event.talks) == 8
    assert registry.talk_of("pycon-us-2022/middleware.md") in event.talks
    assert registry.talk_of("pycon-us-2022/index.md") is None
