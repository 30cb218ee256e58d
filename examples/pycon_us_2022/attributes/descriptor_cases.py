"""Cases that put property, classmethod, staticmethod and bound methods beside their twins.

Every case is a function of one argument, the implementation under test (``property`` or
``Property``, ``types.MethodType`` or ``BoundMethod`` …), and returns what a program would
observe. ``side_by_side.py`` calls each case with both implementations and compares the two
outcomes; the tests do the same, so a case is a claim that both must satisfy. Run this module to
compare these four kinds (``--help`` for options).

```python
from examples.pycon_us_2022.attributes.descriptor_cases import PROPERTY
from examples.pycon_us_2022.attributes.property_in_python import Property

shadow = PROPERTY["a data descriptor beats the instance"]
assert shadow(property) == shadow(Property) == "from the property"
```
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from typing import Any

from example_support.command_line import run

Case = Callable[[Any], object]


def _tag(value: object) -> str:
    return f"tagged {value}"


# property ---------------------------------------------------------------------------------


def _temperature(impl: Any) -> type:
    class Temperature:
        def __init__(self) -> None:
            self.log: list[str] = []
            self._celsius = 20

        def _get(self) -> int:
            "Degrees Celsius."
            self.log.append("get")
            return self._celsius

        def _set(self, value: int) -> None:
            self.log.append(f"set {value}")
            self._celsius = value

        def _delete(self) -> None:
            self.log.append("delete")
            del self._celsius

        celsius = impl(_get)
        celsius = celsius.setter(_set)
        celsius = celsius.deleter(_delete)

    return Temperature


def _chained(impl: Any) -> object:
    reading = _temperature(impl)()
    reading.celsius = 25
    del reading.celsius
    reading._celsius = 30
    return reading.celsius, reading.log


def _missing(impl: Any, action: str) -> object:
    class Sensor:
        reading = impl(lambda self: 1)
        silent = impl()

    sensor = Sensor()
    if action == "set":
        sensor.reading = 2
    elif action == "delete":
        del sensor.reading
    return sensor.silent


def _unnamed(impl: Any) -> object:
    class Sensor:
        pass

    Sensor.late = impl()  # added after the class body: __set_name__ never runs
    return Sensor().late


def _nested(impl: Any) -> object:
    class Outer:
        class Inner:
            value = impl(lambda self: 1)

    Outer.Inner().value = 2


def _shadow(impl: Any) -> object:
    class Sensor:
        reading = impl(lambda self: "from the property")

    sensor = Sensor()
    sensor.__dict__["reading"] = "from the instance"
    return sensor.reading  # a data descriptor wins over the instance's own dict


def _docs(impl: Any) -> object:
    def first(self: object) -> int:
        "First docstring."
        return 1

    def second(self: object) -> int:
        "Second docstring."
        return 2

    return (
        impl(first).__doc__,
        impl(first, doc="Explicit.").__doc__,
        impl(first).getter(second).__doc__,
        impl(first, doc="Explicit.").getter(second).__doc__,
        impl(first).setter(second).__doc__,
        impl(doc="Only a doc.").__doc__,
    )


def _abstract(impl: Any) -> object:
    @abc.abstractmethod
    def must_override(self: object) -> None: ...

    return impl(lambda self: 1).__isabstractmethod__, impl(must_override).__isabstractmethod__


def _slotted(impl: Any) -> object:
    class Slotted(impl):
        __slots__ = ()  # no instance __dict__, so nowhere to put a docstring or a note

    slotted = Slotted(doc="Dropped.")
    return hasattr(slotted, "__dict__"), slotted.__doc__, setattr(slotted, "note", 1)


def _subclass(impl: Any) -> object:
    class Logged(impl):
        pass

    return type(Logged(lambda self: 1).setter(lambda self, value: None)) is Logged


def _name_survives_copy(impl: Any) -> object:
    class Sensor:
        reading = impl(lambda self: 1)

    copied = Sensor.reading.setter(None)
    Sensor.other = copied  # no __set_name__ for this one: the name comes from the copy
    Sensor().other = 5


def _through_class(impl: Any) -> object:
    class Sensor:
        reading = impl(lambda self: 1)

    return Sensor.reading is vars(Sensor)["reading"]


PROPERTY: dict[str, Case] = {
    "getter, setter and deleter chaining": _chained,
    "through the class: the property itself": _through_class,
    "a data descriptor beats the instance": _shadow,
    "docstrings: borrowed, explicit, replaced": _docs,
    "assigning without a setter": lambda impl: _missing(impl, "set"),
    "deleting without a deleter": lambda impl: _missing(impl, "delete"),
    "reading without a getter": lambda impl: _missing(impl, "get"),
    "error message without __set_name__": _unnamed,
    "error message names the qualified class": _nested,
    "the name survives a setter copy": _name_survives_copy,
    "fget is read-only": lambda impl: setattr(impl(len), "fget", None),
    "__get__(None, None)": lambda impl: impl(len).__get__(None, None),
    "abstract when a function is": _abstract,
    "decorators copy the subclass": _subclass,
    "a subclass with empty __slots__": _slotted,
}


# classmethod and staticmethod ---------------------------------------------------------------


def _tagged(label: str) -> str:
    "Tag a label."
    return f"[{label}]"


def _class_site(impl: Any) -> tuple[type, type]:
    class Base:
        @impl
        def which(cls: type) -> str:
            "Say which class."
            return cls.__name__

    class Derived(Base):
        pass

    return Base, Derived


def _who_receives(impl: Any) -> object:
    base, derived = _class_site(impl)
    return base.which(), base().which(), derived.which(), derived().which()


def _wraps_property(impl: Any) -> object:
    class Config:
        @impl
        @property
        def name(cls: type) -> str:
            return cls.__name__.lower()

    value = Config.name  # 3.9-3.12: the property's value; 3.13+: a bound method of the property
    return value if isinstance(value, str) else type(value).__name__


def _non_callable(impl: Any, what: str) -> object:
    class Odd:
        answer = impl(42)

    method = Odd.answer  # the built-in fails only when the method is called
    return method.__func__ if what == "__func__" else (type(method).__name__, method())


def _static_site(impl: Any) -> object:
    class Tools:
        tag = impl(_tag)

    return Tools.tag is _tag, Tools().tag is _tag, Tools.tag(1)


def _copied(impl: Any) -> object:
    wrapper = impl(_tagged)
    return sorted(vars(wrapper).items()), wrapper.__wrapped__ is _tagged


def _arguments(impl: Any, *args: Any, **kwargs: Any) -> object:
    return impl(*args, **kwargs)


CLASSMETHOD: dict[str, Case] = {
    "the class is passed, whoever asks": _who_receives,
    "what the lookup returns": lambda impl: type(_class_site(impl)[0].which).__name__,
    "__func__ is the function": lambda impl: impl(_tagged).__func__ is _tagged,
    "name, docstring and annotations copied": _copied,
    "wrapping a property": _wraps_property,
    "wrapping a non-callable: fetched, then called": lambda impl: _non_callable(impl, "call"),
    "a non-callable's method: __func__": lambda impl: _non_callable(impl, "__func__"),
    "the wrapper itself is not callable": lambda impl: impl(_tagged)("x"),
    "no argument": lambda impl: _arguments(impl),
    "two arguments": lambda impl: _arguments(impl, _tagged, _tagged),
    "keyword argument": lambda impl: _arguments(impl, f=_tagged),
    "__func__ is read-only": lambda impl: setattr(impl(_tagged), "__func__", len),
    "__get__(None, None)": lambda impl: impl(_tagged).__get__(None, None),
    "repr": lambda impl: repr(impl(len)),
    "abstract when the function is": lambda impl: (
        impl(abc.abstractmethod(_tagged)).__isabstractmethod__
    ),
}

STATICMETHOD: dict[str, Case] = {
    "the plain function, whoever asks": _static_site,
    "callable directly": lambda impl: impl(_tagged)("x"),
    "name, docstring and annotations copied": _copied,
    "wrapping a built-in": lambda impl: (repr(impl(len)), impl(len)("abc")),
    "no argument": lambda impl: _arguments(impl),
    "keyword argument": lambda impl: _arguments(impl, f=_tagged),
    "__func__ is read-only": lambda impl: setattr(impl(_tagged), "__func__", len),
    "__get__(None, None)": lambda impl: impl(_tagged).__get__(None, None),
}


# bound methods: types.MethodType against BoundMethod ----------------------------------------


class Greeter:
    """An instance to bind to."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Greeter({self.name!r})"

    def greet(self, greeting: str = "Hello") -> str:
        "Greet by name."
        return f"{greeting}, {self.name}"


BOUND_METHOD: dict[str, Case] = {
    "the instance goes first": lambda impl: impl(Greeter.greet, Greeter("Ann"))("Hi"),
    "__self__ and __func__": lambda impl: (
        impl(Greeter.greet, ann := Greeter("Ann")).__self__ is ann,
        impl(Greeter.greet, ann).__func__ is Greeter.greet,
    ),
    "equal when bound to the same object": lambda impl: (
        impl(Greeter.greet, ann := Greeter("Ann")) == impl(Greeter.greet, ann),
        impl(Greeter.greet, ann) == impl(Greeter.greet, Greeter("Ann")),
    ),
    "repr": lambda impl: repr(impl(Greeter.greet, Greeter("Ann"))),
    "attributes come from the function": lambda impl: (
        impl(Greeter.greet, Greeter("Ann")).__name__,
        impl(Greeter.greet, Greeter("Ann")).__doc__,
    ),
    "an unknown attribute": lambda impl: impl(Greeter.greet, Greeter("Ann")).missing,
    "a function that is not callable": lambda impl: impl(1, Greeter("Ann")),
    "binding to None": lambda impl: impl(Greeter.greet, None),
    "__self__ is read-only": lambda impl: setattr(impl(Greeter.greet, 1), "__self__", 2),
}


def main() -> int:
    from examples.pycon_us_2022.attributes import side_by_side

    kinds = ["property", "classmethod", "staticmethod", "bound method"]
    return side_by_side.main(kinds, prog="descriptor_cases")


if __name__ == "__main__":
    run(main, prog="descriptor_cases")
