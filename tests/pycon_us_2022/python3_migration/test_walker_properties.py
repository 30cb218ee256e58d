"""Property: the parsability walker ends on any tree, checks each regular .py file once, and
reports, never reads, every .py name that is not a regular file (FIFO, broken or looping link).

Trees are built for real in tmp_path from generated entries: files, FIFOs, links to files, broken
links, links to themselves, folders, and folder links back to the root (a loop).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from itertools import count
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examples.pycon_us_2022.python3_migration import parsability

REGULAR = {"source", "link to a file"}
SPECIAL = {"fifo", "broken link", "link to itself"}  # named .py: reported, never read
KINDS = sorted(REGULAR | SPECIAL | {"folder", "folder link to the root"})
PYTHON_2 = "print 'checked'\n"  # every regular file fails to parse: a check leaves a trace

entries = st.lists(
    st.tuples(
        st.lists(st.sampled_from(["pkg", "sub"]), max_size=2),  # the parent folders
        st.sampled_from(["a", "b", "c.py"]),  # "c.py" as a folder name is walked into
        st.sampled_from([".py", ".txt", ""]),
        st.sampled_from(KINDS),
    ),
    max_size=12,
)
trees = count()


def build(root: Path, spec: list) -> tuple[set[str], set[str]]:
    """Create the entries that fit (a name is taken once); return (regular, special) .py paths."""
    root.mkdir()
    (root / "target.txt").write_text(PYTHON_2)
    regular, special = set(), set()
    for parents, stem, suffix, kind in spec:
        folder = root.joinpath(*parents)
        path = folder / (stem + suffix)
        if any(root.joinpath(*parents[: n + 1]).is_symlink() for n in range(len(parents))):
            continue  # it would be created through a link, under another name
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            continue  # a parent name is already a file or a link
        if os.path.lexists(path):
            continue
        if kind == "source":
            path.write_text(PYTHON_2)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "link to a file":
            path.symlink_to(root / "target.txt")
        elif kind == "broken link":
            path.symlink_to(root / "nowhere")
        elif kind == "link to itself":
            path.symlink_to(path)
        elif kind == "folder":
            path.mkdir()
        else:
            path.symlink_to(root, target_is_directory=True)
        if path.suffix == ".py":
            (regular if kind in REGULAR else special if kind in SPECIAL else set()).add(str(path))
    return regular, special


def check_within(root: Path, seconds: float = 2) -> tuple[int, list]:
    """check_tree in a thread: if it blocks on a FIFO, release the FIFOs and fail, never hang."""
    outcome: list = []
    worker = threading.Thread(
        target=lambda: outcome.append(parsability.check_tree([str(root)])), daemon=True
    )
    worker.start()
    worker.join(seconds)
    if not worker.is_alive():
        return outcome[0]
    fifos = [path for path in root.rglob("*") if path.is_fifo()]
    while worker.is_alive():  # open each FIFO's other end until the walker gets past them all
        for fifo in fifos:
            with contextlib.suppress(OSError):  # ENXIO: nobody is reading this one right now
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(0.05)
    raise AssertionError("check_tree blocked on a FIFO")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=entries)
def test_every_python_name_is_checked_once_or_reported_never_both(
    tmp_path: Path, spec: list
) -> None:
    root = tmp_path / f"tree{next(trees)}"
    regular, special = build(root, spec)
    try:
        checked, problems = check_within(root)
    finally:
        shutil.rmtree(root)
    parsed = [p.path for p in problems if p.message.startswith("Missing parentheses")]
    reported = [p.path for p in problems if p.message.startswith("cannot read")]
    assert checked == len(regular)
    assert sorted(parsed) == sorted(regular), "each regular .py file checked exactly once"
    assert sorted(reported) == sorted(special), "each special .py name reported exactly once"
    assert len(problems) == len(parsed) + len(reported), "nothing else, nothing twice"
