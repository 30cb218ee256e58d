"""One convention for every example's command line: bad input is one line and a non-zero exit.

A reader who mistypes a path should see ``prog: error: no such file: …``, not a traceback.
``run`` wraps a ``main()`` and turns the errors a user can cause into that line.

```python
import contextlib
import io

import pytest
from example_support.command_line import UsageError, run

def main() -> int:
    raise UsageError("--workers must be at least 1")

stderr = io.StringIO()
with pytest.raises(SystemExit) as stop, contextlib.redirect_stderr(stderr):
    run(main, prog="crawl")
assert stop.value.code == 2
assert stderr.getvalue().splitlines() == ["crawl: error: --workers must be at least 1"]
```
"""

from __future__ import annotations

import sys
from collections.abc import Callable

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """The user asked for something that cannot be done: exit 2, like argparse."""


def run(main: Callable[[], int | None], *, prog: str) -> None:
    """Call ``main`` and exit with its status; user-caused errors become one line on stderr."""
    try:
        status = main()
    except UsageError as error:
        _fail(prog, str(error), EXIT_USAGE)
    except KeyboardInterrupt:
        _fail(prog, "interrupted", EXIT_INTERRUPTED)
    except FileNotFoundError as error:
        _fail(prog, f"no such file: {error.filename}", EXIT_FAILURE)
    except PermissionError as error:
        _fail(prog, f"permission denied: {error.filename}", EXIT_FAILURE)
    except OSError as error:
        _fail(prog, error.strerror or str(error), EXIT_FAILURE)
    sys.exit(status or 0)


def _fail(prog: str, message: str, code: int) -> None:
    print(f"{prog}: error: {message}", file=sys.stderr)
    sys.exit(code)
