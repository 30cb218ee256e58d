"""What the site-wide pages collect from the talk pages: corrections, changes, and talk headers.

The errata page and the "Changed since 2022" page are never written by hand. At build time the
MkDocs hook reads every talk page with these functions and generates both, each entry linking
back to the section it came from. Pure functions on Markdown text, so tests need no build.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from site_tools import page_markdown
from site_tools.page_markdown import split_front_matter, takeaways

CHANGED_SECTION = "Changed since 2022"
WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Correction:
    """One correction admonition: the section it stands in, and its text (dedented)."""

    section: str
    anchor: str
    text: str

    @property
    def summary(self) -> str:
        """The correction's first sentence, on one line: its row in the errata table."""
        paragraph = self.text.strip().split("\n\n", 1)[0]
        paragraph = " ".join(line.strip() for line in paragraph.splitlines())
        match = re.match(r"(.+?[.!?])(?=\s+[A-Z`*\[(]|$)", paragraph)
        sentence = match[1] if match else paragraph
        return sentence.replace("|", "\\|")


def corrections(markdown: str) -> list[Correction]:
    """Every ``!!! warning "Correction"`` of a page, with the heading it stands under."""
    _, body = split_front_matter(markdown)
    found = []
    for box in page_markdown.admonitions(body):
        if box.kind == "warning" and box.title == "Correction":
            section, anchor = page_markdown.section_at(body, box.line)
            found.append(Correction(section, anchor, box.body))
    return found


def rebase_anchors(text: str, page: str) -> str:
    """Point a moved text's in-page links (``](#anchor)``) at the page it was taken from.

    The errata and changes pages sit in the same folder as the talk pages, so only links that
    name no page at all would break when a correction or a change list is copied there.
    """
    return re.sub(r"\]\(#", f"]({page}#", text)


def section(markdown: str, title: str) -> str:
    """The body of a page's ``## <title>`` section, or an empty string."""
    _, body = split_front_matter(markdown)
    match = re.search(
        rf"^## {re.escape(title)}[ \t]*\n(?P<body>.*?)(?=^## |\Z)",
        body,
        flags=re.MULTILINE | re.DOTALL,
    )
    return match["body"].strip() if match else ""


def changed_since(markdown: str) -> str:
    """The body of a page's ``## Changed since 2022`` section, or an empty string."""
    return section(markdown, CHANGED_SECTION)


# Where an event's overview page wants its talks, each with its title, header and takeaways.
TALK_SUMMARIES = "{{ talk_summaries }}"


def talk_summary(page: str, markdown: str) -> str:
    """A talk's entry in its day's overview: title, header line, and its "In short" takeaways."""
    meta, body = split_front_matter(markdown)
    return "\n".join(
        [
            f"## [{meta['title']}]({page})",
            "",
            talk_header(meta, markdown),
            "",
            *(f"- {rebase_anchors(item, page)}" for item in takeaways(body)),
            "",
            f"[Read the talk's page →]({page})",
        ]
    )


def reading_minutes(markdown: str) -> int:
    """Minutes to read a page's prose at 200 words a minute (code is skimmed, so not counted)."""
    _, body = split_front_matter(markdown)
    prose = re.sub(r"^([ \t]*)(```|~~~).*?^\1\2[ \t]*$", "", body, flags=re.MULTILINE | re.DOTALL)
    return max(1, math.ceil(len(re.findall(r"\w+", prose)) / WORDS_PER_MINUTE))


LINK_LABELS = {"schedule": "schedule", "video": "video", "slides": "slides", "code": "code"}
# On a phone the header takes two or three lines. Non-breaking spaces keep "(26 min)" and
# "16 min read" whole and each "·" at the end of a line, never at the start of the next.
NO_BREAK = "\u00a0"


def talk_header(meta: dict, markdown: str) -> str:
    """The line under a talk's title: speaker, its links, and the reading time."""
    parts = [f"**{meta['speaker']}**"]
    for key, label in LINK_LABELS.items():
        if meta.get(key):
            if key == "video" and meta.get("video_seconds"):
                label = f"video ({round(int(meta['video_seconds']) / 60)} min)"
            parts.append(f"[{label.replace(' ', NO_BREAK)}]({meta[key]})")
    parts.append(f"{reading_minutes(markdown)} min read".replace(" ", NO_BREAK))
    return '<p class="talk-header" markdown>' + f"{NO_BREAK}· ".join(parts) + "</p>"


RUN_IT_YOURSELF = "## Run it yourself"
SETUP = """\
!!! tip "Get the code first"
    Two commands give you the repository; `uv run` then creates its environment from the lock
    file on first use ([what some talks need besides Python](../contributing.md#what-you-need)).

    ```console
    $ git clone {repo_url}
    $ cd {repo_name}
    ```
"""


def with_setup(markdown: str, repo_url: str) -> str:
    """A talk page with the two set-up commands at the top of its "Run it yourself" section."""
    box = SETUP.format(repo_url=repo_url, repo_name=repo_url.rstrip("/").rpartition("/")[2])
    return re.sub(
        rf"^{re.escape(RUN_IT_YOURSELF)}[ \t]*$",
        lambda match: f"{match[0]}\n\n{box}",
        markdown,
        count=1,
        flags=re.MULTILINE,
    )
