"""cclint.record.record behaves as the dataclasses features cclint relies on."""

from __future__ import annotations

import pickle
import re

import pytest

from cclint.record import field, fields, record, replace


@record(frozen=True, order=True)
class Version:
    major: int
    minor: int = 0
    note: str = field(default="", compare=False, repr=False)


@record
class Bag:
    name: str
    items: list = field(default_factory=list)


@record
class Child(Bag):
    size: int = 1


def test_init_defaults_and_factories():
    assert (Version(23, 2).major, Version(23).minor) == (23, 0)
    a, b = Bag("a"), Bag("b")
    a.items.append(1)
    assert b.items == []  # a fresh list for each instance
    assert Child("c", size=3).size == 3 and [f.name for f in fields(Child("c"))] == ["name", "items", "size"]


def test_argument_errors_are_type_errors():
    with pytest.raises(TypeError, match="missing argument 'major'"):
        Version()
    with pytest.raises(TypeError, match="unexpected argument 'patch'"):
        Version(1, patch=2)
    with pytest.raises(TypeError, match="two values for 'major'"):
        Version(1, major=2)
    with pytest.raises(TypeError, match="takes 3 arguments"):
        Version(1, 2, "x", 4)


def test_equality_hash_order_and_repr():
    assert Version(23, 2, note="a") == Version(23, 2, note="b")  # note: compare=False
    assert hash(Version(23, 2)) == hash(Version(23, 2)) and len({Version(1), Version(1)}) == 1
    assert Version(22, 5) < Version(23, 2) <= Version(23, 2) and Version(24) > Version(23, 11)
    assert repr(Version(23, 2, note="x")) == "Version(major=23, minor=2)"
    assert Bag("a") == Bag("a") and Bag("a") != Child("a")
    with pytest.raises(TypeError):
        hash(Bag("a"))  # mutable: unhashable, as a dataclass


def test_frozen_and_replace():
    v = Version(23, 2)
    with pytest.raises(AttributeError, match="frozen"):
        v.major = 24
    w = replace(v, minor=11)
    assert (v.minor, w.minor, w.major) == (2, 11, 23)
    with pytest.raises(TypeError, match="no field 'patch'"):
        replace(v, patch=1)


def test_records_survive_pickling():  # --jobs sends results between processes
    v = pickle.loads(pickle.dumps(Version(23, 2)))
    assert v == Version(23, 2) and hash(v) == hash(Version(23, 2))


def test_the_package_uses_record_not_dataclasses():
    """dataclasses costs 0.5-1 ms of start-up per class: the package uses @record."""
    from tests.conftest import TESTS

    root = TESTS.parent
    imports = re.compile(r"^\s*(from dataclasses import|import dataclasses)", re.M)
    offenders = [str(p.relative_to(root)) for folder in ("cclint", "rules") for p in (root / folder).rglob("*.py")
                 if imports.search(p.read_text("utf-8"))]
    assert offenders == [], offenders
