"""Slurm release numbers, as given by `--slurm-version` or a cluster profile."""

from __future__ import annotations

from cclint.patterns import lazy
from cclint.record import record

_VERSION = lazy(r"^\s*(\d{2})\.(\d{1,2})(?:\.(\d+))?(?:[-.]?\w*)?\s*$")


def release(major_minor: tuple[int, int]) -> str:
    """(23, 2) -> `23.02`, as Slurm names its releases (the tables hold such pairs)."""
    return f"{major_minor[0]}.{major_minor[1]:02d}"


@record(frozen=True, order=True)
class SlurmVersion:
    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str | None) -> "SlurmVersion | None":
        """`22.05`, `23.02.8`, `24.11.1-1`; `None`, '' and 'unknown' mean not known."""
        if text is None or str(text).strip().lower() in ("", "unknown", "none"):
            return None
        match = _VERSION.match(str(text))
        if not match:
            raise ValueError(f"not a Slurm version: {text!r} (expected e.g. 23.02 or 24.11.1)")
        return cls(int(match[1]), int(match[2]), int(match[3] or 0))

    @property
    def major_minor(self) -> tuple[int, int]:
        return (self.major, self.minor)

    def at_least(self, major: int, minor: int) -> bool:
        return self.major_minor >= (major, minor)

    def __str__(self) -> str:
        return release(self.major_minor) + (f".{self.patch}" if self.patch else "")
