"""Pickles as Python 2.7 wrote them, byte for byte, for trying Python 3's unpickler on them.

Each constant is ``pickle.dumps(value, 2)`` run by CPython 2.7.18 on the Python 2 expression in
``PYTHON2_SOURCE``. Protocol 2 is the highest Python 2 knows, and what a cache shared by both
versions had to use. ``tests/pycon_us_2022/python3_migration/test_python2_behaviour.py``
regenerates them with a real Python 2.7 when one is installed and checks they are unchanged.

In the bytes: ``U`` is a Python 2 ``str`` (SHORT_BINSTRING, raw bytes with no encoding), ``X``
is a ``unicode`` (BINUNICODE, UTF-8), and ``c__builtin__\\nset`` names the class of a set the
Python 2 way.
"""

from __future__ import annotations

PYTHON2_SOURCE = {
    "ORDER": "{'sku': 'A1', 'label': u'caf\\xe9'}",
    "RAW_TEXT": "'caf\\xc3\\xa9'",
    "SIZES": "{'sku': 'A1', 'sizes': set([38, 40])}",
}

# An ASCII str key and value, and a unicode value.
ORDER = (
    b"\x80\x02}q\x00(U\x03skuq\x01U\x02A1q\x02U\x05labelq\x03X\x05\x00\x00\x00caf\xc3\xa9q\x04u."
)
# A str holding the UTF-8 bytes of "café": to Python 2 just five bytes.
RAW_TEXT = b"\x80\x02U\x05caf\xc3\xa9q\x00."
# A set inside a dict: the pickle calls __builtin__.set.
SIZES = (
    b"\x80\x02}q\x00(U\x03skuq\x01U\x02A1q\x02U\x05sizesq\x03c__builtin__\nset\nq\x04]q\x05"
    b"(K(K&e\x85q\x06Rq\x07u."
)
