"""``functools.partial`` written in Python: the speaker's model of a bound method.

A partial object stores a function and the first arguments to give it; calling the partial adds
your arguments after them and merges keyword arguments (yours win). The talk used it to explain
what ``instance.method`` returns: the method's function with ``self`` already filled in.

```python
from examples.pycon_us_2022.attributes.partial_in_python import Partial

def add(a, b):
    return a + b

add5 = Partial(add, 5)
assert add5(10) == 15
nested = Partial(Partial(add), 1)  # a partial of a partial is flattened into one
assert nested.func is add and nested.args == (1,)
```

Run it to compare it with ``functools.partial``, case by case (``--help`` for options).
"""

from __future__ import annotations

import reprlib
import sys
import warnings
from types import GenericAlias, MethodType
from typing import Any

from example_support.command_line import run
from examples.pycon_us_2022.attributes.property_in_python import ReadOnly


class Partial:
    """Emulates ``functools.partial``: a callable with some arguments fixed in advance."""

    __slots__ = ("__dict__", "__weakref__", "_args", "_func", "_keywords")
    func = ReadOnly()
    args = ReadOnly()
    keywords = ReadOnly()

    def __new__(cls, *args: Any, **keywords: Any) -> Partial:
        if not args:
            raise TypeError(f"type {cls.__name__!r} takes at least one argument")
        func, *rest = args
        if not callable(func):
            raise TypeError("the first argument must be callable")
        # Flatten a partial of a partial (one that carries no extra attributes), so that
        # calling it costs one call, not a chain of them.
        if _flattens(func):
            rest = [*func._args, *rest]
            keywords = {**func._keywords, **keywords}
            func = func._func
        self = super().__new__(cls)
        self._func, self._args, self._keywords = func, tuple(rest), keywords
        return self

    def __call__(self, /, *args: Any, **keywords: Any) -> Any:
        return self._func(*self._args, *args, **{**self._keywords, **keywords})

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        parts = [repr(self._func), *map(repr, self._args)]
        parts += [f"{key}={value!r}" for key, value in self._keywords.items()]
        return f"{_type_name(type(self))}({', '.join(parts)})"

    def __reduce__(self) -> tuple:
        # Constructor and state, as the built-in does: pickle round-trips it, and copy.copy
        # (functools.partial has no __copy__) hands the state straight to __setstate__.
        state = (self._func, self._args, self._keywords, self.__dict__ or None)
        return type(self), (self._func,), state

    def __setstate__(self, state: object) -> None:
        if not isinstance(state, tuple) or len(state) != 4:
            raise TypeError("invalid partial state")
        func, args, keywords, namespace = state
        if (
            not callable(func)
            or not isinstance(args, tuple)
            or (keywords is not None and not isinstance(keywords, dict))
        ):
            raise TypeError("invalid partial state")
        # Like the C code, keep the very tuple and dicts (a shallow copy shares them with its
        # original) and convert only what is not exactly a tuple or a dict.
        self._func = func
        self._args = args if type(args) is tuple else tuple(args)
        self._keywords = {} if keywords is None else keywords
        if type(self._keywords) is not dict:
            self._keywords = dict(self._keywords)
        self.__dict__ = {} if namespace is None else namespace

    __class_getitem__ = classmethod(GenericAlias)

    # Python 3.13 warns when a partial stored on a class is fetched through an instance, and
    # 3.14 makes it bind like a function. The class body picks the behaviour of the running
    # Python, so the re-implementation keeps matching the built-in.
    if sys.version_info >= (3, 14):

        def __get__(self, obj: object, objtype: type | None = None) -> Any:
            return self if obj is None else MethodType(self, obj)

    elif sys.version_info >= (3, 13):

        def __get__(self, obj: object, objtype: type | None = None) -> Any:
            if obj is None:
                return self
            warnings.warn(
                "functools.partial will be a method descriptor in future Python versions; "
                "wrap it in staticmethod() if you want to preserve the old behavior",
                FutureWarning,
                stacklevel=2,
            )
            return self


def _flattens(func: object) -> bool:
    if not isinstance(func, Partial) or func.__dict__:
        return False
    # Before 3.13 the built-in looked at the call slot: a subclass with its own __call__ is
    # called as it is. From 3.13 on, any partial is unwrapped.
    return sys.version_info >= (3, 13) or type(func).__call__ is Partial.__call__


def _type_name(cls: type) -> str:
    # The built-in writes its own name with its module; before 3.13, subclasses got their bare
    # name, and from 3.13 on their module and qualified name too.
    if cls is Partial or sys.version_info >= (3, 13):
        return f"{cls.__module__}.{cls.__qualname__}"
    return cls.__name__


def main() -> int:
    from examples.pycon_us_2022.attributes import side_by_side

    return side_by_side.main(["partial"], prog="partial_in_python")


if __name__ == "__main__":
    run(main, prog="partial_in_python")
