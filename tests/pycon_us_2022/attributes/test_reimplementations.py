"""Pure-Python property, classmethod, staticmethod, bound method and partial vs the real ones.

Two layers: every case of ``comparison_cases`` must give the same outcome with both
implementations (or differ exactly as documented), and the tests below state what that outcome
is, running each claim against the built-in and the re-implementation alike.
"""

from __future__ import annotations

import abc
import copy
import functools
import pickle
import sys
import types

import pytest

from examples.pycon_us_2022.attributes.methods_in_python import (
    BoundMethod,
    ClassMethod,
    Function,
    StaticMethod,
)
from examples.pycon_us_2022.attributes.partial_cases import add
from examples.pycon_us_2022.attributes.partial_in_python import Partial
from examples.pycon_us_2022.attributes.property_in_python import Property
from examples.pycon_us_2022.attributes.side_by_side import (
    CASES,
    compare,
    implementations,
    known_difference,
)

ALL_CASES = [(kind, case) for kind, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(("kind", "case"), ALL_CASES, ids=" / ".join)
def test_both_implementations_agree(kind: str, case: str) -> None:
    [row] = [row for row in compare(kind) if row.case == case]
    why = known_difference(kind, case)
    if why is None:
        assert row.builtin == row.ours
    else:
        # A documented difference must be real, or the note has gone stale.
        assert row.builtin != row.ours, why


def test_every_kind_has_a_builtin_and_a_twin() -> None:
    assert set(implementations()) == set(CASES)
    for builtin, ours in implementations().values():
        assert builtin is not ours
        assert ours.__module__.startswith("examples.pycon_us_2022.attributes.")


# property ------------------------------------------------------------------------------------


@pytest.fixture(params=[property, Property], ids=["property", "Property"])
def a_property(request: pytest.FixtureRequest) -> type:
    return request.param


def test_property_chains_getter_setter_deleter(a_property: type) -> None:
    class Account:
        def __init__(self) -> None:
            self._balance = 0

        @a_property
        def balance(self) -> int:
            "The balance."
            return self._balance

        @balance.setter
        def balance(self, value: int) -> None:
            if value < 0:
                raise ValueError("negative")
            self._balance = value

        @balance.deleter
        def balance(self) -> None:
            self._balance = 0

    account = Account()
    account.balance = 10
    assert account.balance == 10
    with pytest.raises(ValueError, match="negative"):
        account.balance = -1
    del account.balance
    assert account.balance == 0
    assert Account.balance.__doc__ == "The balance."
    assert type(Account.balance) is a_property
    assert "balance" not in vars(account)


def test_property_errors_name_the_attribute(a_property: type) -> None:
    class Sensor:
        reading = a_property(lambda self: 1)

    with pytest.raises(AttributeError, match=r"^property 'reading' of 'test_property_errors"):
        Sensor().reading = 2
    with pytest.raises(AttributeError, match=r"object has no deleter$"):
        del Sensor().reading


def test_property_fields_are_read_only(a_property: type) -> None:
    prop = a_property(len)
    for name in ("fget", "fset", "fdel"):
        with pytest.raises(AttributeError, match="readonly attribute"):
            setattr(prop, name, None)
    assert prop.fget is len
    assert prop.fset is None
    assert prop.fdel is None


def test_property_is_abstract_when_a_function_is(a_property: type) -> None:
    class Shape(abc.ABC):
        @a_property
        @abc.abstractmethod
        def area(self) -> float: ...

    with pytest.raises(TypeError, match="abstract"):
        Shape()


def test_property_subclass_with_empty_slots_has_no_dict(a_property: type) -> None:
    class Slotted(a_property):
        __slots__ = ()

    # No docstring to store (3.11 stores even a getter's None one), so every version builds it.
    slotted = Slotted(doc="kept nowhere")
    assert not hasattr(slotted, "__dict__")
    with pytest.raises(AttributeError, match="'Slotted' object has no attribute 'note'"):
        slotted.note = 1


def test_property_name_follows_the_running_python(a_property: type) -> None:
    class Sensor:
        reading = a_property(lambda self: 1)

    if sys.version_info >= (3, 13):  # property.__name__ is new in 3.13
        assert Sensor.reading.__name__ == "reading"
        assert a_property(len).__name__ == "len"
    else:
        assert not hasattr(Sensor.reading, "__name__")


# classmethod, staticmethod and bound methods ---------------------------------------------------


@pytest.mark.parametrize("a_classmethod", [classmethod, ClassMethod], ids=["builtin", "ours"])
def test_classmethod_binds_the_class(a_classmethod: type) -> None:
    class Base:
        @a_classmethod
        def create(cls: type) -> object:
            return cls()

    class Child(Base):
        pass

    assert type(Child.create()) is Child
    assert type(Child().create()) is Child
    assert Base.create.__self__ is Base
    assert isinstance(Base.create, types.MethodType)


@pytest.mark.parametrize("a_staticmethod", [staticmethod, StaticMethod], ids=["builtin", "ours"])
def test_staticmethod_returns_the_plain_function(a_staticmethod: type) -> None:
    def helper(x: int) -> int:
        "Double it."
        return 2 * x

    class Tools:
        double = a_staticmethod(helper)

    assert Tools.double is helper
    assert Tools().double is helper
    assert vars(Tools)["double"](4) == 8
    assert vars(Tools)["double"].__doc__ == "Double it."
    assert vars(Tools)["double"].__wrapped__ is helper


@pytest.mark.parametrize("a_method", [types.MethodType, BoundMethod], ids=["builtin", "ours"])
def test_a_bound_method_is_a_partial_on_self(a_method: type) -> None:
    class Person:
        def __init__(self, name: str) -> None:
            self.name = name

        def greet(self, greeting: str) -> str:
            return f"{greeting}, {self.name}"

    p1 = Person("name1")
    bound = a_method(Person.greet, p1)
    assert bound("Hi") == functools.partial(Person.greet, p1)("Hi") == p1.greet("Hi")
    assert bound.__self__ is p1
    assert bound.__func__ is Person.greet
    assert bound == a_method(Person.greet, p1)
    assert hash(bound) == hash(a_method(Person.greet, p1))


def test_function_descriptor_binds_like_a_function() -> None:
    def greet(self: object) -> str:
        return f"hello from {type(self).__name__}"

    class Real:
        hello = greet

    class Modelled:
        hello = Function(greet)

    assert Real.hello is greet
    assert Modelled.hello is greet
    assert Real().hello() == "hello from Real"
    assert Modelled().hello() == "hello from Modelled"
    assert isinstance(Modelled().hello, BoundMethod)


def test_classmethod_chaining_follows_the_running_python() -> None:
    def build(impl: type) -> type:
        class Config:
            @impl
            @property
            def name(cls: type) -> str:
                return "config"

        return Config

    if sys.version_info < (3, 13):
        assert build(classmethod).name == build(ClassMethod).name == "config"
    else:  # a method of the property object, which fails only when called
        for impl in (classmethod, ClassMethod):
            assert isinstance(build(impl).name, types.MethodType)
            with pytest.raises(TypeError, match=r"^'property' object is not callable$"):
                build(impl).name()


@pytest.mark.parametrize("a_classmethod", [classmethod, ClassMethod], ids=["builtin", "ours"])
def test_classmethod_of_a_non_callable_fails_only_when_called(a_classmethod: type) -> None:
    class Odd:
        answer = a_classmethod(42)

    fetched = Odd.answer  # the lookup succeeds: a method object is made without a check
    assert type(fetched) is types.MethodType
    assert fetched.__self__ is Odd
    with pytest.raises(TypeError, match=r"^'int' object is not callable$"):
        fetched()


# functools.partial -----------------------------------------------------------------------------


@pytest.fixture(params=[functools.partial, Partial], ids=["functools.partial", "Partial"])
def a_partial(request: pytest.FixtureRequest) -> type:
    return request.param


def test_partial_merges_and_flattens(a_partial: type) -> None:
    add5 = a_partial(add, 5)
    assert add5(10) == 15
    both = a_partial(a_partial(dict, a=1, b=2), c=3)
    assert both.func is dict
    assert both.args == ()
    assert both.keywords == {"a": 1, "b": 2, "c": 3}
    assert both(b=20) == {"a": 1, "b": 20, "c": 3}


def test_partial_pickles_and_copies(a_partial: type) -> None:
    original = a_partial(add, 5)
    original.label = "five more"
    for clone in (pickle.loads(pickle.dumps(original)), copy.deepcopy(original)):
        assert type(clone) is a_partial
        assert clone(1) == 6
        assert clone.label == "five more"
        assert (clone.func, clone.args, clone.keywords) == (add, (5,), {})


def test_a_shallow_copy_shares_what_functools_shares(a_partial: type) -> None:
    # functools.partial has no __copy__: copy.copy goes through __reduce__ and __setstate__,
    # which keep the very tuple, keywords dict and attribute dict of the original.
    original = a_partial(dict, 1, a=1)
    original.note = "shared"
    clone = copy.copy(original)
    assert clone.args is original.args
    assert clone.keywords is original.keywords
    assert clone.__dict__ is original.__dict__


def test_partial_rejects_bad_input(a_partial: type) -> None:
    with pytest.raises(TypeError, match="takes at least one argument"):
        a_partial()
    with pytest.raises(TypeError, match="the first argument must be callable"):
        a_partial(5)
    with pytest.raises(TypeError, match="invalid partial state"):
        a_partial(add).__setstate__(("not", "four"))
