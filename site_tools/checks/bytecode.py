"""One bytecode cache for every process of the suite, kept from one run to the next.

Where ``PYTHONDONTWRITEBYTECODE`` is set (some machines and CI set it), every process of the
suite, the pytest-xdist workers and the hundreds of programs the tests start, otherwise compiled
Django, Celery or SQLAlchemy from source on every run. The root conftest calls ``share`` before
the workers start, so they and every process they start inherit it, and ``forget_temporary`` at
the end of the session.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path


def share(folder: Path) -> Path:
    """Write and read bytecode under ``folder``, in this process and every one it starts.

    A folder the caller already chose (``PYTHONPYCACHEPREFIX``) is kept. Returns the folder used.
    """
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(folder))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"]
    sys.dont_write_bytecode = False
    return Path(sys.pycache_prefix)


def forget_temporary(prefix: Path, keep: Path, temporary: Path | None = None) -> list[Path]:
    """Drop the bytecode of files that lived in the temporary folder, except under ``keep``.

    The copies the tests make there (a scaffolded talk, say) never come back at the same path,
    so their bytecode is never read again and the cache would grow with every run. A clone that
    itself lives in the temporary folder (``keep``) keeps its own and its environment's.
    Returns what was removed.
    """
    temporary = (temporary or Path(tempfile.gettempdir())).resolve()
    cached = prefix / temporary.relative_to(temporary.anchor)
    removed = []
    for entry in sorted(cached.iterdir()) if cached.is_dir() else ():
        if not keep.resolve().is_relative_to(temporary / entry.name):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
