"""Regular expressions compiled on first use.

cclint's modules hold some seventy patterns, and a job script meets fewer than half of
them: compiling them all at import took about a fifth of a plain run's start-up. A module
writes `NAME = lazy(r"...", flags)` where it would write `re.compile(...)`; the pattern is
compiled the first time one of its methods is used, and from then on `NAME.search` costs
what it costs on a compiled pattern (the methods are kept on the object).
"""

from __future__ import annotations

import re

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
            "groupindex", "groups")


class LazyPattern:
    """`re.compile(pattern, flags)`, done when first needed. `.pattern` and `.flags` are
    the arguments, readable without compiling."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str):  # called only for what the instance does not hold yet
        if name not in _METHODS:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
