"""Mermaid flowcharts drawn at build time as inline SVG: no script, no request to another host.

Material draws a ``mermaid`` fence in the browser with mermaid.js, fetched from unpkg.com: a
request to another host (the site makes none) that fails offline. The hook draws each flowchart
here instead, in Python, from the small part of Mermaid's notation the pages use:

- ``flowchart LR`` (left to right) or ``flowchart TD`` (top down);
- nodes ``id[label]``, ``id["label"]`` (boxes) and ``id[(label)]`` (a cylinder, for stores), with
  ``<br/>`` for a line break;
- edges ``a --> b`` and ``a -->|label| b``, with ``a & b & c`` for several nodes at once.

Nodes go in ranks by their longest path from a node nothing points to; an edge back to an
earlier rank is drawn round the outside. The drawing inherits the page's colours, so it follows
the light and dark palettes. A fence using anything else fails the build with a clear message.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from dataclasses import dataclass, field

MERMAID_BLOCK = re.compile(r'<pre class="mermaid"><code>(?P<source>.*?)</code></pre>', re.DOTALL)
NODE = re.compile(
    r"^(?P<id>[A-Za-z_]\w*)\s*(?:\[\((?P<store>.+)\)\]|\[(?P<box>.+)\])?$",
)
EDGE = re.compile(r"\s*-->\s*(?:\|(?P<label>[^|]*)\|\s*)?")
CHAR_PX, LINE_PX, PAD_PX, GAP_PX, ROW_GAP_PX = 7.2, 17, 12, 90, 18


class DiagramError(ValueError):
    """A Mermaid fence this renderer does not understand: the message says which line."""


@dataclass
class Node:
    id: str
    lines: list[str] = field(default_factory=list)
    store: bool = False
    rank: int = 0
    x: float = 0
    y: float = 0

    @property
    def width(self) -> float:
        return max(len(line) for line in self.lines) * CHAR_PX + 2 * PAD_PX

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_PX + 2 * PAD_PX + (8 if self.store else 0)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


def parse(source: str) -> tuple[str, dict[str, Node], list[Edge]]:
    """The direction, nodes and edges of a flowchart."""
    lines = [line.strip() for line in source.strip().splitlines() if line.strip()]
    header = lines[0].split()
    if header[:1] != ["flowchart"] or header[1:] not in (["LR"], ["TD"]):
        raise DiagramError(f"only 'flowchart LR' or 'flowchart TD' is drawn, not {lines[0]!r}")
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for line in lines[1:]:
        parts = EDGE.split(line)
        # split() yields: group, label, group, label, group …
        groups = [[_node(nodes, item, line) for item in part.split("&")] for part in parts[::2]]
        labels = parts[1::2]
        for (sources, targets), label in zip(itertools.pairwise(groups), labels, strict=True):
            edges += [Edge(s, t, (label or "").strip()) for s in sources for t in targets]
    return header[1], nodes, edges


def _node(nodes: dict[str, Node], text: str, line: str) -> str:
    match = NODE.match(text.strip())
    if match is None:
        raise DiagramError(f"cannot read {text.strip()!r} in the line {line!r}")
    node = nodes.setdefault(match["id"], Node(match["id"]))
    label = match["store"] or match["box"]
    if label is not None:
        node.lines = re.split(r"<br\s*/?>", label.strip().strip('"'))
        node.store = match["store"] is not None
    elif not node.lines:
        node.lines = [match["id"]]
    return match["id"]


def _rank(nodes: dict[str, Node], edges: list[Edge]) -> set[Edge]:
    """Give every node its rank; return the edges that point back (they close a cycle)."""
    back: set[Edge] = set()
    state: dict[str, str] = {}

    def visit(name: str) -> None:
        state[name] = "open"
        for edge in (e for e in edges if e.source == name):
            if state.get(edge.target) == "open":
                back.add(edge)
            elif edge.target not in state:
                visit(edge.target)
        state[name] = "done"

    for name in nodes:
        if name not in state:
            visit(name)
    forward = [edge for edge in edges if edge not in back]
    for _ in nodes:  # longest path, by relaxation: at most one pass per node
        for edge in forward:
            nodes[edge.target].rank = max(nodes[edge.target].rank, nodes[edge.source].rank + 1)
    return back


def render(source: str) -> str:
    """An accessible inline SVG of one flowchart."""
    direction, nodes, edges = parse(source)
    back = _rank(nodes, edges)
    ranks: dict[int, list[Node]] = {}
    for node in nodes.values():
        ranks.setdefault(node.rank, []).append(node)
    along, across = (0.0, 0.0)
    extent = max(
        sum(n.height if direction == "LR" else n.width for n in column)
        + ROW_GAP_PX * (len(column) - 1)
        for column in ranks.values()
    )
    for rank in sorted(ranks):
        column = ranks[rank]
        depth = max(n.width if direction == "LR" else n.height for n in column)
        size = sum(n.height if direction == "LR" else n.width for n in column)
        across = (extent - size - ROW_GAP_PX * (len(column) - 1)) / 2
        for node in column:
            if direction == "LR":
                node.x, node.y = along + (depth - node.width) / 2, across
                across += node.height + ROW_GAP_PX
            else:
                node.x, node.y = across, along + (depth - node.height) / 2
                across += node.width + ROW_GAP_PX
        leaving = [len(e.label) for e in edges if nodes[e.source].rank == rank and e not in back]
        along += depth + max(GAP_PX, max(leaving, default=0) * CHAR_PX + 2 * PAD_PX)
    width = max(n.x + n.width for n in nodes.values())
    height = max(n.y + n.height for n in nodes.values()) + (40 if back else 0)
    arrow = "arrow-" + hashlib.sha1(source.encode()).hexdigest()[:8]
    title = "Diagram: " + "; ".join(
        f"{' '.join(nodes[e.source].lines)} to {' '.join(nodes[e.target].lines)}"
        + (f" ({e.label})" if e.label else "")
        for e in edges
    )
    parts = [
        f'<svg class="diagram" viewBox="-2 -2 {width + 4:.0f} {height + 4:.0f}" role="img" '
        f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        'fill="currentColor"/></marker></defs>',
    ]
    parts += _edges(direction, nodes, edges, back, height, arrow)
    parts += [_node_svg(node) for node in nodes.values()]
    parts.append("</svg>")
    return "".join(parts)


def _edges(
    direction: str,
    nodes: dict[str, Node],
    edges: list[Edge],
    back: set[Edge],
    height: float,
    arrow: str,
) -> list[str]:
    drawn, labelled = [], set()
    for edge in edges:
        a, b = nodes[edge.source], nodes[edge.target]
        if edge in back:
            x1, x2, low = a.x + a.width / 2, b.x + b.width / 2, height - 6
            path = f"M{x1:.0f},{a.y + a.height:.0f}V{low:.0f}H{x2:.0f}V{b.y + b.height:.0f}"
            where = ((x1 + x2) / 2, low - 5)
        elif direction == "LR":
            x1, y1, x2, y2 = a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2
            path = f"M{x1:.0f},{y1:.0f}L{x2:.0f},{y2:.0f}"
            where = ((x1 + x2) / 2, (y1 + y2) / 2 - 6)  # above the line, centred
        else:
            x1, y1, x2, y2 = a.x + a.width / 2, a.y + a.height, b.x + b.width / 2, b.y
            path = f"M{x1:.0f},{y1:.0f}L{x2:.0f},{y2:.0f}"
            where = ((x1 + x2) / 2 + 6, (y1 + y2) / 2)
        drawn.append(
            f'<path d="{path}" fill="none" stroke="currentColor" marker-end="url(#{arrow})"/>'
        )
        if edge.label and (edge.label, edge.target) not in labelled:
            labelled.add((edge.label, edge.target))
            drawn.append(
                f'<text class="diagram-label" x="{where[0]:.0f}" y="{where[1]:.0f}" '
                f'text-anchor="middle">{html.escape(edge.label)}</text>'
            )
    return drawn


def _node_svg(node: Node) -> str:
    x, y, w, h = node.x, node.y, node.width, node.height
    if node.store:
        shape = (
            f'<path class="diagram-node" d="M{x:.0f},{y + 6:.0f}a{w / 2:.0f},6 0 0,0 {w:.0f},0'
            f"a{w / 2:.0f},6 0 0,0 {-w:.0f},0V{y + h - 6:.0f}a{w / 2:.0f},6 0 0,0 {w:.0f},0"
            f'V{y + 6:.0f}"/>'
        )
    else:
        shape = (
            f'<rect class="diagram-node" x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" '
            f'height="{h:.0f}" rx="4"/>'
        )
    top = y + h / 2 - (len(node.lines) - 1) * LINE_PX / 2 + 5 + (3 if node.store else 0)
    text = "".join(
        f'<text x="{x + w / 2:.0f}" y="{top + i * LINE_PX:.0f}" text-anchor="middle">'
        f"{html.escape(line)}</text>"
        for i, line in enumerate(node.lines)
    )
    return shape + text


def show_sources(page_html: str) -> str:
    """``page_html`` with each Mermaid block drawn as an inline SVG figure."""
    return MERMAID_BLOCK.sub(
        # Focusable: on a narrow screen the figure scrolls sideways, and a keyboard must reach it.
        lambda m: (
            f'<figure class="diagram" tabindex="0">{render(html.unescape(m["source"]))}</figure>'
        ),
        page_html,
    )
