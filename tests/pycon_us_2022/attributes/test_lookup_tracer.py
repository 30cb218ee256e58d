"""The lookup tracer must find what Python finds, by the same route, for every kind of attribute."""

from __future__ import annotations

import pytest

from example_support.command_line import UsageError
from examples.pycon_us_2022.attributes.lookup_tracer import Trace, talk_objects, trace

CAST = talk_objects()
# Every route through the lookup: instance dict, class value, method, property (data
# descriptor), non-data descriptor, __getattr__, inherited method, metaclass data descriptor,
# class-side descriptor, and misses on instances and classes.
EXPRESSIONS = [
    ("p1", "name"),
    ("p1", "population"),
    ("p1", "greet"),
    ("p1", "initial"),
    ("p1", "age"),
    ("p1", "missing"),
    ("e1", "name"),
    ("e1", "id_number"),
    ("e1", "greet"),
    ("e1", "salary"),
    ("e1", "__class__"),
    ("Person", "population"),
    ("Person", "greet"),
    ("Person", "initial"),
    ("Person", "__name__"),
    ("Person", "__mro__"),
    ("Person", "mro"),
    ("Employee", "greet"),
    ("Employee", "missing"),
]


def real_outcome(obj: object, name: str) -> tuple[str, object]:
    try:
        return "value", getattr(obj, name)
    except AttributeError as error:
        return "error", str(error)


def traced_outcome(found: Trace) -> tuple[str, object]:
    if found.error is not None:
        return "error", found.error
    return "value", found.value()


@pytest.mark.parametrize(("label", "name"), EXPRESSIONS, ids=".".join)
def test_the_tracer_finds_what_getattr_finds(label: str, name: str) -> None:
    obj = CAST[label]
    found = trace(obj, name, label)
    kind, expected = real_outcome(obj, name)
    got_kind, got = traced_outcome(found)
    assert got_kind == kind
    if callable(expected) and hasattr(expected, "__self__"):
        assert got == expected, "a fresh bound method each time, but an equal one"
    else:
        assert got == expected


def test_a_property_wins_over_the_instance_dict() -> None:
    p1 = talk_objects()["p1"]
    p1.__dict__["initial"] = "shadow"
    found = trace(p1, "initial", "p1")
    assert found.value() == p1.initial == "P"
    assert "data descriptor" in found.steps[1]


def test_an_instance_value_wins_over_a_non_data_descriptor() -> None:
    p1 = talk_objects()["p1"]
    p1.age = 5
    found = trace(p1, "age", "p1")
    assert found.value() == p1.age == 5
    assert found.steps[1] == "p1.__dict__ has 'age': the instance's own value"


def test_objects_without_a_dict_are_traced() -> None:
    class Point:
        __slots__ = ("x",)

    point = Point()
    point.x = 1
    found = trace(point, "x", "point")
    assert found.value() == 1
    assert "data descriptor" in found.steps[1], "a slot is a member descriptor with __set__"
    missing = trace(point, "y", "point")
    assert "has no __dict__" in missing.steps[1]
    assert missing.error == real_outcome(point, "y")[1].split(" and no __dict__")[0]


def test_a_metaclass_attribute_is_found_after_the_class() -> None:
    class Meta(type):
        registry = "from the metaclass"

        def __getattr__(cls, name: str) -> str:
            return f"meta fallback for {name}"

    class Plugin(metaclass=Meta):
        pass

    assert trace(Plugin, "registry").value() == Plugin.registry
    assert trace(Plugin, "anything").value() == Plugin.anything == "meta fallback for anything"


def test_a_custom_getattribute_is_refused() -> None:
    class Odd:
        def __getattribute__(self, name: str) -> object:
            return 42

    with pytest.raises(UsageError, match="overrides __getattribute__"):
        trace(Odd(), "x")


def test_lines_show_numbered_steps_and_the_result() -> None:
    lines = trace(CAST["p1"], "missing", "p1").lines()
    assert lines[0] == "p1.missing   (p1 is a Person)"
    assert [line.split(".")[0].strip() for line in lines[1:-1]] == ["1", "2", "3"]
    assert lines[-1] == "  -> AttributeError: 'Person' object has no attribute 'missing'"


def test_the_cast_counts_its_population_from_zero() -> None:
    first, second = talk_objects(), talk_objects()
    assert first["Person"] is second["Person"]
    assert second["Person"].population == 4, "p1, p2, e1 and e2; reset on every call"
    assert vars(second["e1"]) == {"name": "Ella", "id_number": 1}
