"""Show, step by step, where Python finds ``obj.name``: the full version of the talk's ICPO rule.

The speaker's rule of thumb is *instance, class, parent, object*. The real order has one step
before the instance and one after the end:

1. a **data descriptor** (``__set__`` or ``__delete__``) found on the type's MRO wins at once;
2. then the instance's own ``__dict__``;
3. then what the type's MRO found (class, parents, ``object``): a non-data descriptor's
   ``__get__`` result, or the plain value;
4. then the class's ``__getattr__``, if it has one; and only then ``AttributeError``.

Steps 1 to 3 are ``object.__getattribute__``, which raises ``AttributeError`` when they find
nothing. Step 4 is not part of it: a class that defines ``__getattr__`` gets a different
``tp_getattro`` slot (CPython's ``_Py_slot_tp_getattr_hook`` in ``Objects/typeobject.c``),
which calls ``__getattribute__`` and falls back to ``__getattr__`` only when that raised
``AttributeError``.

For a class (``Person.population``) the roles shift: the metaclass plays the type, and the class's
own MRO plays the instance dictionary. ``trace`` re-does the lookup in Python and records each
step; the tests check its answer against the real ``getattr`` for every case.

```python
from examples.pycon_us_2022.attributes.lookup_tracer import talk_objects, trace

objects = talk_objects()
found = trace(objects["e1"], "name", "e1")
assert found.value() == "Ella" and found.steps[1].startswith("e1.__dict__ has 'name'")
```
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from example_support.command_line import UsageError, run


def _describe(value: object) -> str:
    kind = type(value).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    return f"{article} {kind}"


def _find_on_mro(owner: type, name: str) -> tuple[type | None, Any]:
    """The first class on ``owner``'s MRO whose own ``__dict__`` has ``name``, and the value."""
    for klass in owner.__mro__:
        if name in vars(klass):
            return klass, vars(klass)[name]
    return None, None


def _is_data_descriptor(value: object) -> bool:
    return hasattr(type(value), "__set__") or hasattr(type(value), "__delete__")


@dataclass
class Trace:
    """The steps of one lookup, and how it ended: a way to get the value, or an error message."""

    expression: str
    steps: list[str] = field(default_factory=list)
    value: Any = None  # a callable that produces the attribute's value, the way Python does
    error: str | None = None

    def lines(self) -> list[str]:
        shown = [self.expression]
        shown += [f"  {number}. {step}" for number, step in enumerate(self.steps, start=1)]
        if self.error is not None:
            shown.append(f"  -> AttributeError: {self.error}")
        else:
            shown.append(f"  -> {self.value()!r}")
        return shown


def trace(obj: object, name: str, label: str = "obj") -> Trace:
    """Look ``name`` up on ``obj`` the way Python does, writing down every step."""
    if isinstance(obj, type):
        return _trace_class(obj, name, label)
    found = Trace(f"{label}.{name}   ({label} is {_describe(obj)})")
    owner = type(obj)
    if owner.__getattribute__ is not object.__getattribute__:
        raise UsageError(f"{owner.__name__} overrides __getattribute__: no default lookup to show")
    mro = " -> ".join(klass.__name__ for klass in owner.__mro__)
    where, attribute = _find_on_mro(owner, name)
    if where is None:
        found.steps.append(f"type's MRO ({mro}): no {name!r}")
    else:
        found.steps.append(
            f"type's MRO ({mro}): {where.__name__}.__dict__ has {_describe(attribute)}"
        )
        if _is_data_descriptor(attribute):
            found.steps.append("it is a data descriptor: it wins, even over the instance")
            found.value = lambda: type(attribute).__get__(attribute, obj, owner)
            return found
    namespace = getattr(obj, "__dict__", None)
    if namespace is None:
        found.steps.append(f"{label} has no __dict__ (its class uses __slots__ or is built in)")
    elif name in namespace:
        found.steps.append(f"{label}.__dict__ has {name!r}: the instance's own value")
        found.value = lambda: namespace[name]
        return found
    else:
        keys = ", ".join(namespace) or "nothing"
        found.steps.append(f"{label}.__dict__ has no {name!r} (it holds: {keys})")
    if where is not None:
        if hasattr(type(attribute), "__get__"):
            found.steps.append(
                f"non-data descriptor: {where.__name__}.{name}.__get__({label}, ...)"
            )
            found.value = lambda: type(attribute).__get__(attribute, obj, owner)
        else:
            found.steps.append(f"a plain class attribute, read from {where.__name__}")
            found.value = lambda: attribute
        return found
    return _fall_back(found, owner, obj, name, f"{owner.__name__!r} object")


def _trace_class(cls: type, name: str, label: str) -> Trace:
    found = Trace(f"{label}.{name}   ({label} is the class {cls.__name__})")
    meta = type(cls)
    meta_where, meta_attribute = _find_on_mro(meta, name)
    if meta_where is not None and _is_data_descriptor(meta_attribute):
        found.steps.append(f"the metaclass {meta_where.__name__} has a data descriptor: it wins")
        found.value = lambda: type(meta_attribute).__get__(meta_attribute, cls, meta)
        return found
    mro = " -> ".join(klass.__name__ for klass in cls.__mro__)
    where, attribute = _find_on_mro(cls, name)
    if where is not None:
        found.steps.append(
            f"its own MRO ({mro}): {where.__name__}.__dict__ has {_describe(attribute)}"
        )
        if hasattr(type(attribute), "__get__"):
            found.steps.append(f"a descriptor: {where.__name__}.{name}.__get__(None, {label})")
            found.value = lambda: type(attribute).__get__(attribute, None, cls)
        else:
            found.steps.append("a plain value, returned as it is")
            found.value = lambda: attribute
        return found
    found.steps.append(f"its own MRO ({mro}): no {name!r}")
    if meta_where is not None:
        found.steps.append(f"the metaclass {meta_where.__name__} has {_describe(meta_attribute)}")
        if hasattr(type(meta_attribute), "__get__"):
            found.value = lambda: type(meta_attribute).__get__(meta_attribute, cls, meta)
        else:
            found.value = lambda: meta_attribute
        return found
    return _fall_back(found, meta, cls, name, f"type object {cls.__name__!r}")


def _fall_back(found: Trace, owner: type, obj: object, name: str, what: str) -> Trace:
    hook_owner, hook = _find_on_mro(owner, "__getattr__")
    if hook_owner is not None:
        found.steps.append(f"nothing found: {hook_owner.__name__}.__getattr__ gets a turn")
        found.value = lambda: hook(obj, name)
        return found
    found.steps.append("nothing found, and no __getattr__")
    found.error = f"{what} has no attribute {name!r}"
    return found


class LoudNumber:
    """The speaker's descriptor, without its prints: ``__get__`` and no ``__set__`` (non-data)."""

    def __init__(self, number: int) -> None:
        self.number = number

    def __get__(self, obj: object, objtype: type | None = None) -> int:
        return self.number


class Person:
    """The talk's person (population, name, greeting) plus this page's ``age`` and ``initial``."""

    population = 0
    age = LoudNumber(30)

    def __init__(self, name: str) -> None:
        self.name = name
        Person.population += 1

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def greet(self) -> str:
        return f"Hello, {self.name}"

    @property
    def initial(self) -> str:
        return self.name[0]


class Employee(Person):
    """The talk's employee (an ID number), plus this page's ``__getattr__`` for everything else."""

    def __init__(self, name: str, id_number: int) -> None:
        super().__init__(name)
        self.id_number = id_number

    def __getattr__(self, name: str) -> str:
        return f"(no {name!r}: ask HR)"


def talk_objects() -> dict[str, object]:
    """The talk's cast: two people and two employees, with a population counted from zero."""
    Person.population = 0
    people = {"p1": Person("Paula"), "p2": Person("Pedro")}
    staff = {"e1": Employee("Ella", 1), "e2": Employee("Emil", 2)}
    return {"Person": Person, "Employee": Employee, **people, **staff}


def main() -> int:
    cast = talk_objects()
    parser = argparse.ArgumentParser(
        prog="lookup_tracer",
        description="Show where Python finds OBJECT.NAME, step by step, on the talk's classes.",
        epilog=f"objects: {', '.join(cast)}; try p1.greet, e1.name, p1.initial, e1.salary",
    )
    parser.add_argument("expressions", nargs="+", metavar="OBJECT.NAME")
    for expression in parser.parse_args().expressions:
        label, dot, name = expression.partition(".")
        if not dot or not name.isidentifier():
            raise UsageError(f"expected OBJECT.NAME, got {expression!r}")
        if label not in cast:
            raise UsageError(f"unknown object {label!r}; choose from {', '.join(cast)}")
        print("\n".join(trace(cast[label], name, label).lines()))
    return 0


if __name__ == "__main__":
    run(main, prog="lookup_tracer")
