"""foracli.core.record behaves as the dataclasses it replaces, for what foracli uses."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from foracli.core.record import FrozenError, field, record, replace


@record
class Mark:
    name: str
    count: int = 0
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict, hash=False)
    where: str = field(default="", compare=False)


@dataclasses.dataclass(frozen=True)
class Twin:
    name: str
    count: int = 0
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = dataclasses.field(default_factory=dict, hash=False)
    where: str = dataclasses.field(default="", compare=False)


@record(frozen=False)
class Box:
    items: list[int] = field(default_factory=list)
    label: str = "box"


def test_init_takes_positions_keywords_and_defaults_as_a_dataclass_does() -> None:
    for cls in (Mark, Twin):
        one = cls("a", 2, ("x",), where="here")
        assert (one.name, one.count, one.tags, one.extra, one.where) == ("a", 2, ("x",), {}, "here")
        assert cls("b").count == 0
        with pytest.raises(TypeError):
            cls()  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            cls("a", nope=1)  # type: ignore[call-arg]


def test_each_instance_gets_its_own_default_factory_value() -> None:
    first, second = Mark("a"), Mark("a")
    first.extra["k"] = 1
    assert second.extra == {}
    assert Box().items is not Box().items


def test_equality_and_hash_follow_compare_and_hash_as_in_dataclasses() -> None:
    for cls in (Mark, Twin):
        assert cls("a", where="x") == cls("a", where="y")  # compare=False
        assert cls("a", extra={"k": 1}) != cls("a")  # compared, though not hashed
        assert hash(cls("a", extra={"k": 1})) == hash(cls("a"))
        assert cls("a") != cls("b")
    assert Mark("a") != Twin("a")  # another class is never equal
    assert hash(Mark("a", 3, ("t",))) == hash(("a", 3, ("t",)))
    assert hash(Twin("a", 3, ("t",))) == hash(("a", 3, ("t",)))


def test_a_frozen_record_refuses_assignment_and_a_mutable_one_is_unhashable() -> None:
    mark = Mark("a")
    with pytest.raises(FrozenError):
        mark.name = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del mark.name  # type: ignore[misc]
    box = Box()
    box.label = "other"
    assert box.label == "other"
    with pytest.raises(TypeError):
        hash(box)


def test_repr_names_the_shown_fields_as_dataclasses_does() -> None:
    assert repr(Mark("a", 1)) == repr(Twin("a", 1)).replace("Twin", "Mark")
    assert repr(Box()) == "Box(items=[], label='box')"


def test_replace_match_and_pickle() -> None:
    mark = Mark("a", 1, where="w")
    assert replace(mark, count=5) == Mark("a", 5)
    assert replace(mark, count=5).where == "w"
    with pytest.raises(TypeError):
        replace(mark, nope=1)
    match mark:
        case Mark(name, count):
            assert (name, count) == ("a", 1)
        case _:
            pytest.fail("no match")
    back = pickle.loads(pickle.dumps(mark))
    assert back == mark
    assert back.where == "w"


def test_a_field_without_a_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="has no default"):

        @record
        class Wrong:
            first: int = 0
            second: int
