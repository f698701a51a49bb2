"""Light data classes: `dataclasses` costs start-up time, and cclint starts on every commit.

`dataclasses` writes and compiles the methods of each class when the class is defined:
0.5 to 1 ms a class, so the fifty of cclint were a fifth of its start-up. Two lighter
forms, with the behaviour of `dataclasses` that cclint relies on:

- `@record` (and `@record(frozen=True, order=True)`, `field(default_factory=...)`,
  `replace`, `fields`): declared like a dataclass, with shared generic methods instead of
  generated ones. For the many small classes of the model, settings and findings.
- `Record` / `FrozenRecord`: a base for the hottest classes (tokens, commands, spans), that
  list their fields in `__slots__` and write their own `__init__`; names starting with `_`
  are caches, left out of repr and equality.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
if TYPE_CHECKING:
    from typing import Any

_MISSING: Any = object()


class Record:
    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__ if name[0] != "_")

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__ if name[0] != "_")
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._values() == other._values()

    __hash__ = None  # mutable: like a dataclass, unhashable unless a subclass says otherwise


class FrozenRecord(Record):
    """A value never changed after construction: hashable, usable as a dict key."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())


# -- @record ----------------------------------------------------------------------------------

class Field:
    __slots__ = ("name", "default", "default_factory", "repr", "compare")

    def __init__(self, default=_MISSING, default_factory=_MISSING, repr=True, compare=True):
        self.name = ""
        self.default, self.default_factory = default, default_factory
        self.repr, self.compare = repr, compare


def field(*, default=_MISSING, default_factory=_MISSING, repr: bool = True, compare: bool = True) -> Any:
    return Field(default, default_factory, repr, compare)


def fields(obj) -> tuple[Field, ...]:
    return tuple(obj.__record_fields__.values())


def replace(obj, **changes):
    """A copy of `obj` with some fields changed (as `dataclasses.replace`)."""
    values = {name: getattr(obj, name) for name in obj.__record_fields__}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(obj)(**values)


def record(cls=None, /, *, frozen: bool = False, order: bool = False):
    """Declare a data class (fields from the annotations, as `@dataclass`)."""
    def wrap(cls):
        return _make_record(cls, frozen, order)
    return wrap if cls is None else wrap(cls)


def _make_record(cls, frozen: bool, order: bool):
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        found.update(getattr(base, "__record_fields__", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        spec.name = name
        if isinstance(value, Field):  # the class keeps the plain default, as with dataclasses
            if spec.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        found[name] = spec
    cls.__record_fields__ = found
    cls.__record_names__ = tuple(found)
    cls.__record_defaults__ = {f.name: f.default for f in found.values() if f.default is not _MISSING}
    cls.__record_factories__ = tuple((f.name, f.default_factory) for f in found.values()
                                     if f.default_factory is not _MISSING)
    cls.__record_compare__ = tuple(f.name for f in found.values() if f.compare)
    for name, method in (("__init__", _init), ("__repr__", _repr), ("__eq__", _eq)):
        if name not in cls.__dict__:
            setattr(cls, name, method)
    if "__hash__" not in cls.__dict__:
        cls.__hash__ = _hash if frozen else None  # as dataclasses: eq without frozen is unhashable
    if frozen:
        cls.__setattr__, cls.__delattr__ = _frozen, _frozen
    if order:
        cls.__lt__, cls.__le__ = _lt, _le
        cls.__gt__, cls.__ge__ = _gt, _ge
    return cls


def _init(self, *args, **kwargs) -> None:
    """Set the fields with dict operations (no loop in Python over the fields)."""
    names = self.__record_names__
    values = self.__dict__  # a new instance's: empty (setting it also passes a frozen guard)
    if not kwargs and len(args) == len(names):  # the common call: every field, in order
        values.update(zip(names, args))
        return
    if len(args) > len(names):
        raise TypeError(f"{type(self).__name__}() takes {len(names)} arguments, {len(args)} given")
    values.update(self.__record_defaults__)
    values.update(zip(names, args))
    if kwargs:
        if not kwargs.keys() <= self.__record_fields__.keys():
            name = next(n for n in kwargs if n not in self.__record_fields__)
            raise TypeError(f"{type(self).__name__}() got an unexpected argument {name!r}")
        if args and not kwargs.keys().isdisjoint(names[:len(args)]):
            name = next(n for n in kwargs if n in names[:len(args)])
            raise TypeError(f"{type(self).__name__}() got two values for {name!r}")
        values.update(kwargs)
    if len(values) < len(names):
        for name, factory in self.__record_factories__:
            if name not in values:
                values[name] = factory()
        for name in names:
            if name not in values:
                raise TypeError(f"{type(self).__name__}() missing argument {name!r}")


def _key(self) -> tuple:
    return tuple(getattr(self, name) for name in self.__record_compare__)


def _repr(self) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__.values() if f.repr)
    return f"{type(self).__name__}({shown})"


def _eq(self, other):
    if type(other) is not type(self):
        return NotImplemented
    return _key(self) == _key(other)


def _hash(self) -> int:
    return hash(_key(self))


def _frozen(self, name, *value):
    raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")


def _compare(op):
    def method(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return op(_key(self), _key(other))
    return method


_lt = _compare(lambda a, b: a < b)
_le = _compare(lambda a, b: a <= b)
_gt = _compare(lambda a, b: a > b)
_ge = _compare(lambda a, b: a >= b)
