"""Phase 1, parsability: does every ``.py`` file of a tree parse and compile with the target Python?

Yelp's first phase was "try to parse every file with Python 3 and file a ticket for each that
fails". This checker does that for any tree and any upgrade: it reads each file with the encoding
its coding cookie declares (Python 2 code often has one), parses it with the *target grammar*
(``--target 3.11`` refuses syntax newer than 3.11, via ``ast.parse(feature_version=...)``), then
compiles the tree so the compiler's own checks run too (``'return' outside function``, the
``SyntaxWarning`` for an invalid escape such as ``"\\d"``). It works in parallel with a progress
bar and never stops at a bad file: undecodable bytes, symlink loops, unreadable files and names
that are not regular files (a FIFO called ``x.py`` is skipped, never waited on) become
``file:line: message`` lines. Exit status 0 means everything parsed, 1 that something did not,
2 bad usage, or no ``.py`` file at all where it was pointed: fit for CI and a pre-commit hook.

```python
from examples.pycon_us_2022.python3_migration.parsability import check_source

assert check_source(b"print 'hello'\\n", "old.py")[0].message.startswith("Missing parentheses")
assert check_source(b"match = 1\\n", "new.py") == []
```
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import io
import os
import sys
import tokenize
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.python3_migration.legacy_sample import sample_tree
from examples.pycon_us_2022.python3_migration.regular_files import read_regular

# ast.parse accepts feature versions from 3.7 (the oldest its grammar still knows) to its own.
OLDEST_TARGET = (3, 7)
RUNNING = sys.version_info[:2]
# Folders no project wants checked; more with --exclude.
ALWAYS_SKIPPED = ("__pycache__", ".*")
# Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 64


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as ``file:line: message`` like a compiler (and editors) print them."""

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        tag = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {tag}{self.message}"


def decode(source: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """The text of a source file, decoded the way Python would: PEP 263 cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    except SyntaxError as error:  # an unknown codec in the cookie, or a BOM that contradicts it
        return None, [Problem(path, error.lineno or 1, str(error.msg))]
    try:
        return source.decode(encoding), []
    except UnicodeDecodeError as error:
        line = source.count(b"\n", 0, error.start) + 1
        byte = source[error.start : error.start + 1].hex()
        return None, [Problem(path, line, f"not valid {encoding} text (byte 0x{byte})")]


def check_source(source: bytes, path: str, target: tuple[int, int] | None = None) -> list[Problem]:
    """Problems with one file's bytes under the ``target`` grammar (default: the running one)."""
    text, problems = decode(source, path)
    if text is None:
        return problems
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if target is None:  # the running grammar: one call, the work compileall does
                compile(text, path, "exec", dont_inherit=True)
            else:
                tree = ast.parse(text, filename=path, feature_version=target)
                # The compiler finds what the grammar allows but Python refuses ('break' outside
                # a loop), so the tree is compiled too.
                compile(tree, path, "exec", dont_inherit=True)
        except SyntaxError as error:  # IndentationError and TabError are SyntaxErrors too
            problems.append(Problem(path, error.lineno or 1, str(error.msg)))
        except ValueError as error:  # null bytes, on Python 3.11
            problems.append(Problem(path, 1, str(error)))
        except (RecursionError, MemoryError):
            problems.append(Problem(path, 1, "too deeply nested to parse"))
    for warning in caught:
        if issubclass(warning.category, SyntaxWarning | DeprecationWarning):
            problems.append(Problem(path, warning.lineno, str(warning.message), "warning"))
    return sorted(set(problems))


def check_file(path: str, target: tuple[int, int] | None = None) -> list[Problem]:
    """Read and check one file; a file that cannot be read is a problem, not a crash."""
    return _read_and_check(path, target)[1]


def _read_and_check(path: str, target: tuple[int, int] | None) -> tuple[bool, list[Problem]]:
    """(was the file read, its problems): a file not read is reported at line 0, not counted."""
    try:
        source = read_regular(path)
    except OSError as error:  # permission denied, a link loop or broken link, a FIFO, a socket
        return False, [Problem(path, 0, f"cannot read: {error.strerror or error}")]
    return True, check_source(source, path, target)


def python_files(
    roots: Sequence[str], exclude: Sequence[str] = (), problems: list[Problem] | None = None
) -> Iterator[str]:
    """Every ``.py`` file under ``roots`` (named files as they are), in a stable order.

    Symlinked folders are not followed, so a link loop cannot make the walk endless; a folder
    that cannot be listed is reported in ``problems`` and skipped. A path named twice (a file
    and its folder) is yielded once. Whether each is a regular file is ``check_file``'s test.
    """
    skipped = (*ALWAYS_SKIPPED, *exclude)
    seen: set[str] = set()
    for root in roots:
        if not os.path.isdir(root):  # noqa: PTH112 (str paths all along: millions of files)
            if os.path.normpath(root) not in seen:
                seen.add(os.path.normpath(root))
                yield root
            continue

        def unlistable(error: OSError) -> None:
            if problems is not None:
                reason = error.strerror or str(error)
                problems.append(Problem(str(error.filename), 0, f"cannot list: {reason}"))

        for folder, dirs, files in os.walk(root, onerror=unlistable, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, p) for p in skipped))
            for name in sorted(files):
                path = os.path.join(folder, name)  # noqa: PTH118
                if name.endswith(".py") and os.path.normpath(path) not in seen:
                    seen.add(os.path.normpath(path))
                    yield path


def check_tree(
    roots: Sequence[str],
    *,
    target: tuple[int, int] | None = None,
    jobs: int = 1,
    exclude: Sequence[str] = (),
    progress: bool = False,
) -> tuple[int, list[Problem]]:
    """Check every Python file under ``roots``; return how many were read and the problems found.

    A ``.py`` name that is not a regular file (a FIFO, a socket, a broken link) is a problem at
    line 0 and is not counted as checked.
    """
    problems: list[Problem] = []
    paths = list(python_files(roots, exclude, problems))
    check = partial(_read_and_check, target=target)
    results: Iterable[tuple[bool, list[Problem]]]
    if jobs > 1 and len(paths) >= POOL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor  # only when it pays: slow to import

        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(check, paths, chunksize=max(1, min(256, len(paths) // (jobs * 8))))
    else:
        pool, results = None, map(check, paths)
    checked = 0
    try:
        for read, found in _with_progress(results, len(paths), progress):
            checked += read
            problems.extend(found)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return checked, problems


def _with_progress(results: Iterable, total: int, enabled: bool) -> Iterable:
    if not enabled:
        return results
    from tqdm import tqdm  # the plots group; imported only when a person watches

    return tqdm(results, total=total, unit="file", file=sys.stderr, leave=False)


def parse_target(text: str) -> tuple[int, int]:
    """``"3.11"`` -> ``(3, 11)``, within the grammars this interpreter can emulate."""
    try:
        major, minor = (int(part) for part in text.split("."))
    except ValueError:
        raise UsageError(f"--target wants MAJOR.MINOR such as 3.11, not {text!r}") from None
    if (major, minor) > RUNNING:
        running = ".".join(map(str, RUNNING))
        raise UsageError(
            f"this is Python {running}; it cannot parse {text} syntax: run the check with "
            f"Python {text} (uv run --python {text} ...)"
        )
    if (major, minor) < OLDEST_TARGET:
        raise UsageError(f"--target must be at least {'.'.join(map(str, OLDEST_TARGET))}")
    return major, minor


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="parsability",
        description="Parse and compile every .py file with a target grammar; print file:line "
        "problems. Exit 0 if all parse, 1 if some do not, 2 on bad usage or no .py file found.",
    )
    parser.add_argument("paths", nargs="*", help="files (any name) and folders (their .py files)")
    parser.add_argument("--target", type=parse_target, help="grammar to accept, e.g. 3.11")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--exclude", action="append", default=[], help="folder name glob to skip")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--demo", action="store_true", help="check the talk-style sample tree")
    args = parser.parse_args(argv)
    # File names are bytes on POSIX; one that is not UTF-8 prints escaped (\udce9), like Python's
    # own tracebacks, rather than crashing a strict stdout halfway through the report.
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not args.paths and not args.demo:
        raise UsageError("give files or folders to check (or --demo)")
    for path in args.paths:
        if not os.path.lexists(path):
            raise UsageError(f"no such file or folder: {path}")
    with ExitStack() as stack:
        roots, shown_from = args.paths, None
        if args.demo:
            shown_from = stack.enter_context(sample_tree())
            roots = [str(shown_from)]
        count, problems = check_tree(
            roots,
            target=args.target,
            jobs=args.jobs,
            exclude=args.exclude,
            progress=not args.no_progress and sys.stderr.isatty(),
        )
    if count == 0 and not problems:  # an empty tree, or one reached only through folder links
        where = ", ".join(args.paths)
        raise UsageError(f"no .py files found in {where} (symlinked folders are not followed)")
    for problem in problems:
        if shown_from is not None:  # the sample's temporary folder means nothing to a reader
            problem = replace(problem, path=os.path.relpath(problem.path, shown_from))
        print(problem)
    errors = sum(problem.severity == "error" for problem in problems)
    warned = len(problems) - errors
    grammar = ".".join(map(str, args.target or RUNNING))
    print(
        f"{_plural(count, 'file')} checked with the Python {grammar} grammar: "
        f"{_plural(errors, 'error')}, {_plural(warned, 'warning')}"
    )
    return 1 if errors or (args.strict and warned) else 0


if __name__ == "__main__":
    run(main, prog="parsability")
