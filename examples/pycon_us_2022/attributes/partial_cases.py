"""Cases that put ``functools.partial`` beside ``Partial``, its pure-Python twin.

Each case takes the implementation under test and returns what a program would observe: the
notes' ``add5(10)``, argument merging, flattening, pickling, binding on a class, and the errors.
``side_by_side.py`` runs every case with both implementations and compares the outcomes. Run
this module to compare them (``--help`` for options).

```python
import functools
from examples.pycon_us_2022.attributes.partial_cases import PARTIAL
from examples.pycon_us_2022.attributes.partial_in_python import Partial

flatten = PARTIAL["a partial of a partial is flattened"]
assert flatten(functools.partial) == flatten(Partial) == ("add", (1, 2))
```
"""

from __future__ import annotations

import copy
import pickle
import warnings
import weakref
from collections.abc import Callable
from typing import Any

from example_support.command_line import run

Case = Callable[[Any], object]


def add(a: int, b: int) -> int:
    """The notes' function, at module level so that pickle can find it."""
    return a + b


# functools.partial ---------------------------------------------------------------------------


def _pickled(impl: Any) -> object:
    original = impl(add, 5)
    original.note = "kept"
    clone = pickle.loads(pickle.dumps(original))  # our own object: safe to unpickle
    return clone(10), clone.args, vars(clone), type(clone) is impl


def _as_class_attribute(impl: Any) -> object:
    class Adder:
        plus_one = impl(add, 1)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome: object = Adder().plus_one(2)
        except TypeError as error:  # 3.14+: it binds, and add() gets three arguments
            outcome = f"TypeError: {error}"
    return outcome, [warning.category.__name__ for warning in caught]


def _copy_shares_keywords(impl: Any) -> object:
    original = impl(add, b=1)
    return copy.copy(original).keywords is original.keywords  # no __copy__: via __reduce__


def _attributes_block_flattening(impl: Any) -> object:
    inner = impl(add, 1)
    inner.note = "has a __dict__ entry"
    return impl(inner, 2).func is inner


PARTIAL: dict[str, Case] = {
    "the notes' add5(10)": lambda impl: impl(add, 5)(10),
    "positional arguments are appended": lambda impl: impl(max, 1, 2)(3, 0),
    "keyword arguments merge, the call wins": lambda impl: impl(dict, a=1, b=2)(b=3, c=4),
    "a partial of a partial is flattened": lambda impl: (
        impl(impl(add, 1), 2).func.__name__,
        impl(impl(add, 1), 2).args,
    ),
    "attributes stop the flattening": _attributes_block_flattening,
    "func, args, keywords": lambda impl: (
        impl(add, 1, b=2).func is add,
        impl(add, 1, b=2).args,
        impl(add, 1, b=2).keywords,
    ),
    "func is read-only": lambda impl: setattr(impl(add), "func", max),
    "repr": lambda impl: repr(impl(max, 1, key=abs)),
    "pickle round trip": _pickled,
    "deep copy": lambda impl: copy.deepcopy(impl(add, [1]).args),
    "a shallow copy shares the keywords": _copy_shares_keywords,
    "weak references": lambda impl: (lambda p: weakref.ref(p)() is p)(impl(add)),
    "generic alias": lambda impl: repr(impl[int]),
    "stored on a class": _as_class_attribute,
    "no arguments": lambda impl: impl(),
    "a first argument that is not callable": lambda impl: impl(1),
    "a broken pickle state": lambda impl: impl(add).__setstate__((add, 1)),
}


def main() -> int:
    from examples.pycon_us_2022.attributes import side_by_side

    return side_by_side.main(["partial"], prog="partial_cases")


if __name__ == "__main__":
    run(main, prog="partial_cases")
