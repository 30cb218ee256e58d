"""Differential properties: Hypothesis builds a scenario, and the built-in and its twin must agree.

Each scenario is a function of the implementation under test, like the cases of
``side_by_side.py``, but drawn at random from the ways a program uses the object: arguments,
nesting, copies, pickling, subclasses, docstrings, non-callables. ``side_by_side.outcome`` runs it
with each implementation and spells the re-implementation's class names as the built-in's, so
only behaviour (values, identities, exception types and messages) can differ.
"""

from __future__ import annotations

import abc
import copy
import pickle
from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from examples.pycon_us_2022.attributes.side_by_side import implementations, outcome


def attempt(step: Callable[[], object]) -> object:
    """One observation: the value, or the exception a program would catch."""
    try:
        return step()
    except Exception as error:  # the exception is the observation
        return f"{type(error).__name__}: {error}"


def assert_twins_agree(kind: str, scenario: Callable[[Any], object]) -> None:
    builtin, ours = implementations()[kind]
    assert outcome(scenario, ours, named_as=builtin) == outcome(scenario, builtin)


def collect(*args: object, **keywords: object) -> tuple:
    """What a partial finally calls; at module level so that pickle can find it."""
    return args, keywords


# functools.partial -----------------------------------------------------------------------------

small_args = st.lists(st.integers(-3, 3), max_size=3).map(tuple)
small_keywords = st.dictionaries(st.sampled_from("abc"), st.integers(-3, 3), max_size=3)
# One layer of ``impl(previous, *args, **keywords)``, and whether the previous partial carries
# an attribute (which stops the flattening).
layer = st.tuples(small_args, small_keywords, st.booleans())


@given(
    layers=st.lists(layer, min_size=1, max_size=3),
    call=st.tuples(small_args, small_keywords),
    subclass=st.sampled_from(["none", "plain", "own __call__"]),
)
def test_partial_twins_agree(layers: list, call: tuple, subclass: str) -> None:
    def scenario(impl: Any) -> object:
        if subclass == "plain":
            impl = type("Sub", (impl,), {})
        elif subclass == "own __call__":
            impl = type("Sub", (impl,), {"__call__": lambda self, *a, **k: ("own", a, k)})
        made: Any = collect
        for args, keywords, tagged in layers:
            if tagged:
                made.note = "tag"
            made = impl(made, *args, **keywords)
        clone = copy.copy(made)
        return (
            made.func is collect,
            made.args,
            made.keywords,
            made(*call[0], **call[1]),
            repr(made),
            vars(made),
            (clone.args is made.args, clone.keywords is made.keywords),
            clone.__dict__ is made.__dict__,
            attempt(lambda: vars(pickle.loads(pickle.dumps(made)))),
            copy.deepcopy(made).keywords == made.keywords,
        )

    assert_twins_agree("partial", scenario)


# property ----------------------------------------------------------------------------------------


def documented(self: Any) -> str:
    "A docstring."
    return "documented"


def undocumented(self: Any, *value: object) -> str:
    return "undocumented"


@abc.abstractmethod
def abstract(self: Any, *value: object) -> None: ...


FUNCTIONS = {"none": None, "documented": documented, "undocumented": undocumented}
FUNCTIONS["abstract"] = abstract
# The subclasses a program writes: none, a plain one, one with its own docstring, and one with
# empty __slots__ (which has no instance __dict__ to hold a docstring).
BASES = {
    "exact": lambda impl: impl,
    "subclass": lambda impl: type("Sub", (impl,), {}),
    "documented subclass": lambda impl: type("Sub", (impl,), {"__doc__": "Sub's docstring."}),
    "empty slots": lambda impl: type("Sub", (impl,), {"__slots__": ()}),
}
function_name = st.sampled_from(list(FUNCTIONS))


@given(
    base=st.sampled_from(list(BASES)),
    fget=function_name,
    fset=function_name,
    fdel=function_name,
    doc=st.sampled_from([None, "Explicit."]),
    copies=st.lists(st.tuples(st.sampled_from(["getter", "setter", "deleter"]), function_name)),
)
def test_property_twins_agree(
    base: str, fget: str, fset: str, fdel: str, doc: str | None, copies: list
) -> None:
    def scenario(impl: Any) -> object:
        cls = BASES[base](impl)
        made = cls(FUNCTIONS[fget], FUNCTIONS[fset], FUNCTIONS[fdel], doc)
        for method, name in copies:
            made = getattr(made, method)(FUNCTIONS[name])
        host = type("Host", (), {"value": made})  # type() calls __set_name__ as a class does
        instance = host()
        return (
            type(made).__name__,
            made.__doc__,
            hasattr(made, "__dict__"),
            made.__isabstractmethod__,
            [getattr(made, name) for name in ("fget", "fset", "fdel")],
            attempt(lambda: made.__name__),  # 3.13+
            attempt(lambda: instance.value),
            attempt(lambda: setattr(instance, "value", 1)),
            attempt(lambda: delattr(instance, "value")),
            attempt(lambda: setattr(made, "note", 1)),
            host.value is made,
        )

    assert_twins_agree("property", scenario)


# classmethod and staticmethod ----------------------------------------------------------------

WRAPPED = {
    "function": lambda: undocumented,
    "built-in": lambda: len,
    "class": lambda: dict,
    "abstract": lambda: abstract,
    "int": lambda: 42,
    "None": lambda: None,
    "property": lambda: property(undocumented),
    "staticmethod": lambda: staticmethod(undocumented),
}


@given(
    kind=st.sampled_from(["classmethod", "staticmethod"]),
    wrapped=st.sampled_from(list(WRAPPED)),
    args=small_args,
)
def test_method_wrapper_twins_agree(kind: str, wrapped: str, args: tuple) -> None:
    target = WRAPPED[wrapped]()

    def fetched(value: object) -> object:
        if not callable(target) and callable(value):
            # ClassMethod binds a stand-in when types.MethodType refuses the target: the page
            # documents that the method's __func__ is the one thing that differs.
            return type(value).__name__, value.__self__
        return type(value).__name__, getattr(value, "__func__", value) is target

    def scenario(impl: Any) -> object:
        wrapper = impl(target)
        host = type("Host", (), {"wrapped": wrapper})
        return (
            sorted(vars(wrapper)),
            wrapper.__func__ is target,
            wrapper.__wrapped__ is target,
            wrapper.__isabstractmethod__,
            repr(wrapper),
            attempt(lambda: fetched(host.wrapped)),
            attempt(lambda: fetched(host().wrapped)),
            attempt(lambda: host.wrapped(*args)),
            attempt(lambda: host().wrapped(*args)),
            attempt(lambda: wrapper(*args)),
            attempt(lambda: wrapper.__get__(None, None)),
        )

    assert_twins_agree(kind, scenario)


# bound methods ---------------------------------------------------------------------------------


class Shouter:
    def __call__(self, *args: object) -> str:
        return f"called with {len(args)}"


INSTANCES = {"int": lambda: 7, "list": lambda: [1], "None": lambda: None, "str": lambda: "s"}
CALLABLES = {"function": lambda: undocumented, "built-in": lambda: repr, "int": lambda: 42}
CALLABLES["callable object"] = Shouter


@given(
    func=st.sampled_from(list(CALLABLES)),
    instance=st.sampled_from(list(INSTANCES)),
    args=small_args,
)
def test_bound_method_twins_agree(func: str, instance: str, args: tuple) -> None:
    target, bound_to = CALLABLES[func](), INSTANCES[instance]()
    equal_twin = copy.copy(bound_to)  # equal, and not the same object unless immutable

    def scenario(impl: Any) -> object:
        method = impl(target, bound_to)
        again = impl(target, bound_to)
        return (
            method.__self__ is bound_to,
            method.__func__ is target,
            method == again,
            hash(method) == hash(again),
            attempt(lambda: method == impl(target, equal_twin)),
            attempt(lambda: method(*args)),
            attempt(lambda: method.__name__),
        )

    assert_twins_agree("bound method", scenario)
