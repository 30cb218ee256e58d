"""``classmethod``, ``staticmethod`` and bound methods, written in Python.

The talk's last revelation: a method call is attribute lookup plus a descriptor. A function
stored on a class has a ``__get__``; fetched through an instance, it returns a *bound method*,
which remembers the instance (``__self__``) and the function (``__func__``) and puts the instance
in front of the arguments, the way ``functools.partial`` would. ``classmethod`` binds the class
instead of the instance, and ``staticmethod`` binds nothing at all.

```python
from examples.pycon_us_2022.attributes.methods_in_python import ClassMethod, StaticMethod

class Counter:
    made = 0

    @ClassMethod
    def describe(cls):
        return f"{cls.__name__}: {cls.made}"

    @StaticMethod
    def double(number):
        return 2 * number

assert Counter().describe() == Counter.describe() == "Counter: 0"
assert Counter.double(21) == Counter().double(21) == 42
```

Run it to compare these with the built-ins, case by case (``--help`` for options).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from types import MethodType
from typing import Any

from example_support.command_line import run
from examples.pycon_us_2022.attributes.property_in_python import ReadOnly

# What the built-ins copy from the function they wrap (Python 3.10+), so that help() and
# introspection see the function's name and docstring on the wrapper.
COPIED = ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__")
# Python 3.9 to 3.12 let classmethod wrap another descriptor (a property, say) by calling its
# __get__; 3.11 deprecated that and 3.13 removed it.
CHAINS_DESCRIPTORS = sys.version_info < (3, 13)


def _one_callable(kind: type, args: tuple, kwargs: dict) -> Any:
    """The built-ins' argument checks, with their wording."""
    if kwargs:
        raise TypeError(f"{kind.__name__}() takes no keyword arguments")
    if len(args) != 1:
        raise TypeError(f"{kind.__name__} expected 1 argument, got {len(args)}")
    return args[0]


class _InstanceOnly:
    """A read-only view of a slot that exists on instances only.

    ``inspect.unwrap`` follows ``__wrapped__`` from the *class* too; a plain property there would
    lead tools such as ``inspect.getsource`` to a property object instead of source code.
    """

    def __init__(self, slot: str) -> None:
        self.slot = slot

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        if obj is None:
            raise AttributeError(self.slot)
        return getattr(obj, self.slot)

    def __set__(self, obj: object, value: object) -> None:
        raise AttributeError("readonly attribute")


class _Wrapper:
    """What classmethod and staticmethod share: the wrapped function and its copied names."""

    __slots__ = ("__dict__", "_func")
    __func__ = ReadOnly()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._func = _one_callable(type(self), args, kwargs)
        for name in COPIED:
            with contextlib.suppress(AttributeError):
                self.__dict__[name] = getattr(self._func, name)

    __wrapped__ = _InstanceOnly("_func")

    @property
    def __isabstractmethod__(self) -> bool:
        return bool(getattr(self._func, "__isabstractmethod__", False))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self._func!r})>"


class _NotCallable:
    # What ClassMethod binds in place of something that cannot be called. The built-in makes a
    # method object around anything, and only calling it fails; types.MethodType refuses a
    # non-callable at once. So the stand-in is bound, and raises the built-in's error when the
    # method is called. (A comment, not a docstring: the method's __doc__ is the target's.)

    __slots__ = ("target",)
    __doc__ = property(lambda self: self.target.__doc__)  # type: ignore[assignment]

    def __init__(self, target: object) -> None:
        self.target = target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self.target).__name__!r} object is not callable")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)  # __qualname__ and friends, for the method's repr

    def __repr__(self) -> str:
        return f"<stand-in for {self.target!r}>"


class ClassMethod(_Wrapper):
    """Emulates ``classmethod``: whoever fetches it, the function receives the class first."""

    __slots__ = ("_bindable",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One stand-in per wrapper, so that two fetches give equal methods, as they do with
        # the built-in.
        self._bindable = self._func if callable(self._func) else _NotCallable(self._func)

    def __get__(self, obj: object, cls: type | None = None) -> Any:
        if obj is None and cls is None:
            raise TypeError("__get__(None, None) is invalid")
        if cls is None:
            cls = type(obj)
        if CHAINS_DESCRIPTORS and hasattr(type(self._func), "__get__"):
            return type(self._func).__get__(self._func, cls, cls)
        # The real method type, so that a program sees exactly what the built-in returns;
        # BoundMethod below shows what that type does.
        return MethodType(self._bindable, cls)


class StaticMethod(_Wrapper):
    """Emulates ``staticmethod``: no binding at all, the plain function comes back."""

    __slots__ = ()

    def __get__(self, obj: object, cls: type | None = None) -> Any:
        if obj is None and cls is None:
            raise TypeError("__get__(None, None) is invalid")
        return self._func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._func(*args, **kwargs)  # callable since Python 3.10, like the built-in


class BoundMethod:
    # Emulates ``types.MethodType``: a function with its first argument already chosen. (A
    # comment, not a docstring: like a real method, an instance shows its function's __doc__.)

    __slots__ = ("_func", "_self")
    __doc__ = property(lambda self: self._func.__doc__)  # type: ignore[assignment]
    __func__ = ReadOnly()
    __self__ = ReadOnly()

    def __init__(self, func: Callable, instance: object) -> None:
        if not callable(func):
            raise TypeError("first argument must be callable")
        if instance is None:
            raise TypeError("instance must not be None")
        self._func, self._self = func, instance

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._func(self._self, *args, **kwargs)  # the "rewriting" the talk described

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BoundMethod):
            return NotImplemented
        return self._self is other._self and self._func == other._func

    def __hash__(self) -> int:
        return hash((id(self._self), self._func))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._func, name)  # __name__, __doc__ … come from the function

    def __repr__(self) -> str:
        name = getattr(self._func, "__qualname__", "?")
        return f"<bound method {name} of {self._self!r}>"


class Function:
    """A function wrapper whose ``__get__`` does what a real function's does: bind on access."""

    def __init__(self, func: Callable) -> None:
        self.func = func

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        if obj is None:
            return self.func  # fetched through the class: the plain function
        return BoundMethod(self.func, obj)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.func(*args, **kwargs)


def main() -> int:
    from examples.pycon_us_2022.attributes import side_by_side

    return side_by_side.main(
        ["classmethod", "staticmethod", "bound method"], prog="methods_in_python"
    )


if __name__ == "__main__":
    run(main, prog="methods_in_python")
