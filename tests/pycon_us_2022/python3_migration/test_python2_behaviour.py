"""What the page says Python 2 did, checked on a real Python 2.7 when one is installed.

The interpreter is ``$PYTHON2`` if set, else pyenv's 2.7.18, else ``python2.7`` on the PATH.
Without one, these tests skip; the pickles they would regenerate stay covered by the bytes
committed in ``python2_pickles.py``, which the cache tests and the page's doctests use.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import textwrap
from functools import cmp_to_key
from pathlib import Path

import pytest

from examples.pycon_us_2022.python3_migration import python2_pickles


def _python2() -> str | None:
    candidates = [
        os.environ.get("PYTHON2"),
        str(Path.home() / ".pyenv" / "versions" / "2.7.18" / "bin" / "python"),
        shutil.which("python2.7"),
    ]
    for candidate in filter(None, candidates):
        try:  # a pyenv shim exists but fails when 2.7 is not selected: ask it for its version
            done = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True, text=True, timeout=30, check=False,
            )  # fmt: skip
        except OSError:
            continue
        if done.returncode == 0 and done.stdout.strip() == "(2, 7)":
            return candidate
    return None


PYTHON2 = _python2()
needs_python2 = pytest.mark.skipif(PYTHON2 is None, reason="no Python 2.7 interpreter here")


def run_python2(source: str, stdin: bytes = b"") -> str:
    assert PYTHON2 is not None
    done = subprocess.run(
        [PYTHON2, "-c", textwrap.dedent(source)],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("ascii").strip()


@needs_python2
def test_the_committed_pickles_are_what_python2_writes() -> None:
    for name, expression in python2_pickles.PYTHON2_SOURCE.items():
        written = run_python2(f"""
            import binascii, pickle, sys
            sys.stdout.write(binascii.hexlify(pickle.dumps({expression}, 2)))
        """)
        assert bytes.fromhex(written) == getattr(python2_pickles, name), name


@needs_python2
def test_nested_exits_the_managers_it_entered_when_a_later_one_fails_to_enter() -> None:
    log = run_python2("""
        import contextlib, warnings
        warnings.simplefilter("ignore")  # nested is deprecated since 2.7
        log = []
        @contextlib.contextmanager
        def step(name, fail=False):
            if fail:
                raise IOError("cannot enter " + name)
            log.append("enter " + name)
            try:
                yield name
            finally:
                log.append("exit " + name)
        try:
            with contextlib.nested(step("db"), step("cache", fail=True)):
                log.append("body")
        except IOError:
            log.append("IOError")
        print(",".join(log))
    """)
    assert log == "enter db,exit db,IOError"


@needs_python2
def test_nested_cannot_close_a_manager_whose_neighbour_fails_to_be_built() -> None:
    # nested(open(a), open(b)): both arguments are evaluated before nested runs, so when the
    # second raises, the first already exists and nothing will ever call its __exit__.
    closed = run_python2("""
        import contextlib, warnings
        warnings.simplefilter("ignore")
        class Resource(object):
            def __init__(self, name, fail=False):
                if fail:
                    raise IOError("cannot open " + name)
                self.name, self.closed = name, False
            def __enter__(self):
                return self
            def __exit__(self, *exc_info):
                self.closed = True
        built = []
        def resource(name, fail=False):
            built.append(Resource(name, fail))
            return built[-1]
        try:
            with contextlib.nested(resource("a"), resource("b", fail=True)):
                pass
        except IOError:
            pass
        print(",".join("%s=%s" % (r.name, r.closed) for r in built))
    """)
    assert closed == "a=False"


@needs_python2
def test_python2_sorted_with_cmp_and_key_compares_the_keys() -> None:
    # The page's cmp_and_key helper must sort exactly like this.
    words = ["pear", "fig", "apple", "kiwi", "plum"]
    python2 = run_python2(f"""
        def descending(a, b):
            return (a < b) - (a > b)
        print(",".join(sorted({words!r}, cmp=descending, key=len)))
    """)

    def descending(a: int, b: int) -> int:
        return (a < b) - (a > b)

    compare_keys = cmp_to_key(descending)
    assert python2 == ",".join(sorted(words, key=lambda word: compare_keys(len(word))))


@needs_python2
def test_python2_orders_none_before_numbers_before_strings() -> None:
    assert run_python2("print(sorted([4, 'x', None, 2]))") == "[None, 2, 4, 'x']"


@needs_python2
def test_python2_cannot_read_python3s_default_protocol_but_reads_protocol_2() -> None:
    source = """
        import pickle, sys
        try:
            print(pickle.loads(sys.stdin.read()))
        except ValueError as error:
            print("ValueError: %s" % error)
    """
    default = run_python2(source, stdin=pickle.dumps({"sku": "A1"}))
    assert default == f"ValueError: unsupported pickle protocol: {pickle.DEFAULT_PROTOCOL}"
    assert run_python2(source, stdin=pickle.dumps({"sku": "A1"}, protocol=2)) == "{u'sku': u'A1'}"


@needs_python2
def test_python2_accepts_the_python3_spellings_the_page_recommends() -> None:
    compiled = run_python2(r"""
        sources = [
            "from __future__ import print_function\nprint('hello')\n",
            "raise ValueError('bad price')\n",
            "mode = 0o755\n",
            "try:\n    pass\nexcept ValueError as error:\n    pass\n",
        ]
        for source in sources:
            compile(source, "legacy.py", "exec")
        print(len(sources))
    """)
    assert compiled == "4"


@needs_python2
def test_python2_mixes_str_and_unicode_only_while_the_bytes_are_ascii() -> None:
    result = run_python2(r"""
        print(repr("socks: " + u"A1"))
        try:
            "caf\xc3\xa9" + u"!"
        except UnicodeDecodeError as error:
            print(error.reason)
    """)
    assert result.splitlines() == ["u'socks: A1'", "ordinal not in range(128)"]
