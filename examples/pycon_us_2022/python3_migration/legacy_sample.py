"""A small Python 2 code base to run the migration tools on, written into a temporary folder.

The talk walked one deliberately silly piece of code through the phases. This sample does the
same with a few modules and tests, each failing a *different* phase under Python 3: a ``print``
statement and ``raise E, "message"`` fail parsing; ``import cPickle`` and ``from Queue import
Queue`` parse but fail importing; ``dict.keys()[0]``, ``str`` meeting ``bytes``, ``__nonzero__``
and sorting ``None`` import fine and only fail when tests run (functional parity). The ``--demo``
option of each tool runs on it, so the page's examples need no setup and leave nothing behind.

```python
from examples.pycon_us_2022.python3_migration.legacy_sample import sample_tree

with sample_tree() as root:
    assert (root / "shop" / "prices.py").read_text().startswith("# Python 2")
assert not root.exists()
```
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from example_support.command_line import UsageError, run

FILES = {
    "shop/__init__.py": "",
    "shop/prices.py": """\
# Python 2: two statements that Python 3 cannot parse
def parse_price(text):
    if not text:
        raise ValueError, "no price"
    try:
        return float(text)
    except ValueError, error:
        return None
""",
    "shop/cache.py": """\
import cPickle


def load(blob):
    return cPickle.loads(blob)
""",
    "shop/views.py": """\
from shop.cache import load


def show(blob):
    return load(blob)
""",
    "shop/reports.py": """\
from Queue import Queue

PENDING = Queue()
""",
    "shop/catalogue.py": """\
class Basket(object):
    def __init__(self, items):
        self.items = items

    def __nonzero__(self):  # Python 3 calls __bool__, and never this
        return len(self.items) > 0


def first_sku(stock):
    return stock.keys()[0]


def label(name, sku):
    return name + ": " + sku  # sku arrives as bytes from the database driver


def by_rating(ratings):
    return sorted(ratings)  # Python 2 put None before every number
""",
    "tests/__init__.py": "",
    "tests/test_catalogue.py": """\
from shop.catalogue import Basket, by_rating, first_sku, label


def test_empty_basket_is_falsy():
    assert not Basket([])


def test_first_sku():
    assert first_sku({"A1": 3}) == "A1"


def test_first_sku_of_two():
    assert first_sku({"A1": 3, "B2": 1}) in ("A1", "B2")


def test_label():
    assert label("socks", b"A1") == "socks: A1"


def test_label_again():
    assert label("shoes", b"B2") == "shoes: B2"


def test_unrated_first():
    assert by_rating([4, None, 2]) == [None, 2, 4]


def test_rated():
    assert by_rating([4, 2]) == [2, 4]
""",
}


def write_sample(root: Path) -> Path:
    """Write the sample code base under ``root`` and return ``root``."""
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@contextmanager
def sample_tree() -> Iterator[Path]:
    """The sample code base in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="legacy-sample-") as folder:
        yield write_sample(Path(folder))


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="legacy_sample",
        description="Write the sample Python 2 code base into an empty or new folder.",
    )
    parser.add_argument("folder", type=Path, help="where to write it (must be empty or new)")
    args = parser.parse_args()
    taken = args.folder.is_symlink() or args.folder.exists()  # a link loop "does not exist"
    if taken and (not args.folder.is_dir() or any(args.folder.iterdir())):
        raise UsageError(f"{args.folder} exists and is not an empty folder")
    args.folder.mkdir(parents=True, exist_ok=True)
    write_sample(args.folder)
    print(f"wrote {len(FILES)} files under {args.folder}")
    return 0


if __name__ == "__main__":
    run(main, prog="legacy_sample")
