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

from example_support.command_line import run


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


class DocMember:
    """``Property.__doc__``: the class's docstring, and for an instance its ``_doc`` slot.

    The built-in keeps a property's docstring in a C-level member, not in an instance
    ``__dict__`` (it has none). A subclass's own ``__doc__`` (None without a docstring) hides
    the member, which is why the built-in writes a subclass instance's docstring with setattr:
    into its ``__dict__``, or nowhere if ``__slots__ = ()`` left it without one.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        return self.text if obj is None else obj._doc

    def __set__(self, obj: Any, value: object) -> None:
        obj._doc = value

    def __delete__(self, obj: Any) -> None:
        obj._doc = None


class Property:
    __doc__ = DocMember(
        """Emulates the built-in ``property``: getter, setter and deleter behind one attribute."""
    )
    # No "__dict__": like the built-in, a property and a subclass with __slots__ = () have none.
    __slots__ = ("_doc", "_doc_from_getter", "_fdel", "_fget", "_fset", "_name")
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
        self._name: str | None = None
        self._doc, self._doc_from_getter = None, False
        _store_doc(self, fget, doc)

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
        # None keeps the current function, as in the built-in; type(self), not Property: a
        # subclass's decorators keep making the subclass.
        fget = self._fget if fget is None else fget
        fset = self._fset if fset is None else fset
        fdel = self._fdel if fdel is None else fdel
        # A borrowed docstring is borrowed again from the getter; an explicit one is passed on.
        doc = None if self._doc_from_getter and fget is not None else self._doc
        new = type(self)(fget, fset, fdel, doc)
        if isinstance(new, Property):
            new._name = self._name
        return new

    def getter(self, fget: Callable) -> Any:
        """A copy of this property with another getter (used as ``@name.getter``)."""
        return self._copy(fget, None, None)

    def setter(self, fset: Callable) -> Any:
        """A copy of this property with a setter (used as ``@name.setter``)."""
        return self._copy(None, fset, None)

    def deleter(self, fdel: Callable) -> Any:
        """A copy of this property with a deleter (used as ``@name.deleter``)."""
        return self._copy(None, None, fdel)

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


def _store_doc(prop: Property, fget: Callable | None, doc: str | None) -> None:
    """Where the built-in ``property.__init__`` puts the docstring; it moved in 3.12."""
    exact = type(prop) is Property
    if sys.version_info < (3, 12):
        # 3.11: an explicit doc goes to the member (which a subclass's __doc__ hides); a getter's
        # docstring, even None, is set as an attribute on a subclass instance.
        prop._doc = doc
        if doc is None and fget is not None:
            borrowed = getattr(fget, "__doc__", _MISSING)
            if borrowed is _MISSING:
                return
            if exact:
                prop._doc = borrowed
            else:
                prop.__doc__ = borrowed
            prop._doc_from_getter = True
        return
    if doc is None and fget is not None:
        doc = getattr(fget, "__doc__", _MISSING)
        if doc is _MISSING:
            if sys.version_info < (3, 13):
                return
            doc = None
        prop._doc_from_getter = doc is not None
    if exact:
        prop._doc = doc
        return
    try:
        prop.__doc__ = doc  # into the subclass instance's __dict__, if it has one
    except AttributeError:
        # No __dict__ (__slots__ = ()): an explicit doc is dropped silently, as through 3.11;
        # a docstring borrowed from the getter is an error, as it always was.
        if prop._doc_from_getter:
            raise


_MISSING = object()


def main() -> int:
    from examples.pycon_us_2022.attributes import side_by_side

    return side_by_side.main(["property"], prog="property_in_python")


if __name__ == "__main__":
    run(main, prog="property_in_python")
