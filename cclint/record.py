"""`Record`: a light base for the data classes built on every run (tokens, commands, spans).

`dataclasses` writes and compiles the methods of a class when the class is defined: about
0.6 ms each, so forty of them were a sixth of cclint's start-up. A Record lists its fields
in `__slots__` and writes its own `__init__`; this base adds repr and equality over the
fields (names starting with `_` are caches, left out).
"""

from __future__ import annotations


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
