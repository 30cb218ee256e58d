"""``property`` written in Python: a data descriptor that calls the functions you give it.

The talk ended on properties as "descriptors made simple". Written out, a property is a class with
``__get__``, ``__set__`` and ``__delete__``: because it defines ``__set__`` it is a *data*
descriptor, so it wins over the instance's ``__dict__`` during lookup. ``ReadOnly``, the small
descriptor the re-implementations use for attributes such as ``fget`` and ``__func__``, shows the
same protocol from the other side: a ``__set__`` that refuses.

```python
from examples.pycon_us_2022.attributes.property_in_python import Property

class Circle:
    def __init__(self, radius):
        self.radius = radius

    @Property
    def diameter(self):
        "Twice the radius."
        return 2 * self.radius

    @diameter.setter
    def diameter(self, value):
        self.radius = value / 2

circle = Circle(1)
circle.diameter = 10
assert circle.radius == 5 and Circle.diameter.__doc__ == "Twice the radius."
```

Run it to compare it with the built-in, case by case (``--help`` for options).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from examples.command_line import run


class ReadOnly:
    """A data descriptor over a private slot that refuses assignment, like a C-level member."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name.strip('_')}"

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        return getattr(obj, self.slot)

    def __set__(self, obj: object, value: object) -> None:
        raise AttributeError("readonly attribute")  # the built-ins' own wording

    def __delete__(self, obj: object) -> None:
        raise AttributeError("readonly attribute")


class Property:
    """Emulates the built-in ``property``: getter, setter and deleter behind one attribute."""

    __slots__ = ("__dict__", "_doc_from_getter", "_fdel", "_fget", "_fset", "_name")
    fget = ReadOnly()
    fset = ReadOnly()
    fdel = ReadOnly()

    def __init__(
        self,
        fget: Callable | None = None,
        fset: Callable | None = None,
        fdel: Callable | None = None,
        doc: str | None = None,
    ) -> None:
        self._fget, self._fset, self._fdel = fget, fset, fdel
        # Like the built-in, remember whether the docstring was borrowed from the getter: a new
        # getter then brings its own docstring, while an explicit ``doc=`` stays.
        self._doc_from_getter = doc is None and getattr(fget, "__doc__", None) is not None
        self.__doc__ = fget.__doc__ if self._doc_from_getter else doc
        self._name: str | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name  # only used to write better error messages

    def _missing(self, obj: object, what: str) -> AttributeError:
        named = f" {self._name!r}" if self._name is not None else ""
        return AttributeError(f"property{named} of {type(obj).__qualname__!r} object has no {what}")

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        if obj is None:
            if objtype is None:
                raise TypeError("__get__(None, None) is invalid")
            return self  # through the class: the property object itself
        if self._fget is None:
            raise self._missing(obj, "getter")
        return self._fget(obj)

    def __set__(self, obj: object, value: object) -> None:
        if self._fset is None:
            raise self._missing(obj, "setter")
        self._fset(obj, value)

    def __delete__(self, obj: object) -> None:
        if self._fdel is None:
            raise self._missing(obj, "deleter")
        self._fdel(obj)

    def _copy(self, fget: Callable | None, fset: Callable | None, fdel: Callable | None) -> Any:
        # type(self), not Property: a subclass's decorators keep making the subclass.
        doc = None if self._doc_from_getter and fget is not None else self.__doc__
        new = type(self)(fget, fset, fdel, doc)
        new._name = self._name
        return new

    def getter(self, fget: Callable) -> Any:
        """A copy of this property with another getter (used as ``@name.getter``)."""
        return self._copy(fget, self._fset, self._fdel)

    def setter(self, fset: Callable) -> Any:
        """A copy of this property with a setter (used as ``@name.setter``)."""
        return self._copy(self._fget, fset, self._fdel)

    def deleter(self, fdel: Callable) -> Any:
        """A copy of this property with a deleter (used as ``@name.deleter``)."""
        return self._copy(self._fget, self._fset, fdel)

    @property  # the built-in, used here only to expose a computed, read-only flag
    def __isabstractmethod__(self) -> bool:
        return any(
            getattr(function, "__isabstractmethod__", False)
            for function in (self._fget, self._fset, self._fdel)
        )

    # A class body runs top to bottom, so a plain ``if`` can give Python 3.13's ``__name__``
    # to the re-implementation only where the built-in has it too.
    if sys.version_info >= (3, 13):

        @property
        def __name__(self) -> str:
            if self._name is not None:
                return self._name
            if self._fget is not None and hasattr(self._fget, "__name__"):
                return self._fget.__name__
            raise AttributeError(f"{type(self).__name__!r} object has no attribute '__name__'")

        @__name__.setter
        def __name__(self, value: str) -> None:
            self._name = value


def main() -> int:
    from examples.pycon_us_2022.attributes import side_by_side

    return side_by_side.main(["property"], prog="property_in_python")


if __name__ == "__main__":
    run(main, prog="property_in_python")
