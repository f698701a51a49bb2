"""The date grammar of `--begin` and `--deadline` (slurm-facts.md §4.11; Slurm's `parse_time`).

Pieces, combined freely, with blanks, `-` and `T` between them skipped: `HH:MM[:SS]` with an
optional AM/PM, `MMDD[YY]`, `MM/DD[/YY]`, `MM.DD[.YY]`, `YYYY-MM-DD`, the words `today`,
`tomorrow`, `midnight`, `noon`, `elevenses` (not in 22.05), `fika`, `teatime`, and
`now[+-N[unit]]`; or `uts<epoch>`. Words match in any case, but a capital `T` is a separator
first: `Tomorrow` is invalid. A time without a date is the next such time; a date without a
year the next such date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cclint.header.values import newer, strtol
from cclint.slurm_version import SlurmVersion

_UNITS = (("seconds", 1), ("second", 1), ("minutes", 60), ("minute", 60), ("hours", 3600),
          ("hour", 3600), ("days", 86400), ("day", 86400), ("weeks", 604800), ("week", 604800))
_WORDS = (("today", None), ("tomorrow", None), ("midnight", (0, 0)), ("noon", (12, 0)),
          ("elevenses", (11, 0)), ("fika", (15, 0)), ("teatime", (16, 0)))


class _Bad(Exception):
    def __init__(self, pos: int):
        self.pos = pos


def _at(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else "\0"


def _digit(text: str, i: int) -> bool:
    return "0" <= _at(text, i) <= "9"


def _time_of_day(text: str, pos: int) -> tuple[int, int, int, int]:
    """HH:MM[:SS] [AM|PM] -> (hour, minute, second, next position)."""
    if not _digit(text, pos):
        raise _Bad(pos)
    hour = int(text[pos])
    pos += 1
    if _at(text, pos) != ":":
        if not _digit(text, pos):
            raise _Bad(pos)
        hour = hour * 10 + int(text[pos])
        pos += 1
    if hour > 23:
        raise _Bad(pos - 2)
    if _at(text, pos) != ":":
        raise _Bad(pos)
    pos += 1
    fields = []
    while True:
        if not _digit(text, pos) or not _digit(text, pos + 1):
            raise _Bad(pos + (1 if _digit(text, pos) else 0))
        value = int(text[pos:pos + 2])
        pos += 2
        if value > 59:
            raise _Bad(pos - 2)
        fields.append(value)
        if len(fields) == 2 or _at(text, pos) != ":":
            break
        pos += 1
    minute, second = fields[0], (fields[1] if len(fields) > 1 else 0)
    while _at(text, pos) in " \t\n\v\f\r" and pos < len(text):
        pos += 1
    suffix = text[pos:pos + 2].lower()
    if suffix == "pm":
        hour += 12
        if hour > 23:
            if hour != 24:
                raise _Bad(pos)
            hour = 12
        pos += 2
    elif suffix == "am":
        if hour > 11:
            if hour != 12:
                raise _Bad(pos)
            hour = 0
        pos += 2
    return hour, minute, second, pos


def _field(text: str, pos: int, low: int, high: int, checked: bool = False) -> tuple[int, int]:
    """One or two digits (a month or a day) within [low, high] -> (value, next position)."""
    if not checked and not _digit(text, pos):
        raise _Bad(pos)
    value = ord(text[pos]) - 48
    pos += 1
    if _digit(text, pos):
        value = value * 10 + int(text[pos])
        pos += 1
    if not low <= value <= high:
        raise _Bad(pos - 2)
    return value, pos


def _separator(text: str, pos: int) -> int:
    return pos + 1 if _at(text, pos) in "./" and pos < len(text) else pos


def _date(text: str, pos: int) -> tuple[int, int, int | None, int]:
    """YYYY-MM-DD, MMDD[YY], MM/DD[/YY], MM.DD[.YY] -> (month, day, year or None, next)."""
    if len(text) > pos + 7 and text[pos + 4] == "-" and text[pos + 7] == "-":
        for i in range(4):
            if not _digit(text, pos + i):
                raise _Bad(pos + i)
        year = int(text[pos:pos + 4])
        month, pos = _field(text, pos + 5, 1, 12, checked=True)
        day, pos = _field(text, pos + 1, 1, 31)
        return month, day, year, pos
    month, pos = _field(text, pos, 1, 12, checked=True)
    day, pos = _field(text, _separator(text, pos), 1, 31)
    pos = _separator(text, pos)
    year = None
    if _digit(text, pos):
        if not _digit(text, pos + 1):
            raise _Bad(pos + 1)
        short = int(text[pos:pos + 2])
        year = 2000 + short if short else None
        pos += 2
    return month, day, year, pos


def _delta(text: str, pos: int) -> tuple[int, int]:
    """`+N[unit]` after `now` (pos at the sign) -> (seconds, next position)."""
    count = digits = 0
    offset = pos + 1
    while offset < len(text) and text[offset] != "\n":
        if text[offset] in " \t\n\v\f\r":
            offset += 1
            continue
        unit = next((u for u in _UNITS if text[offset:offset + len(u[0])].lower() == u[0]), None)
        if unit is not None:
            offset += len(unit[0])
            count *= unit[1]
            break
        if _digit(text, offset):
            count = count * 10 + int(text[offset])
            digits += 1
            offset += 1
            continue
        raise _Bad(offset)
    if not digits:
        raise _Bad(pos)
    return count, offset


def parse_datetime(value: str, option: str = "begin", version: SlurmVersion | None = None,
                   now: datetime | None = None) -> datetime | None:
    """The moment a `--begin`/`--deadline` value names (local time), or ValueError.

    None: accepted, but too far away to represent (e.g. `now+99999999999999`).
    """
    text = value or ""
    error = f"Invalid --{option} specification"
    now = now or datetime.now().replace(microsecond=0)
    try:
        return _parse(text, version, now, error)
    except _Bad as bad:
        raise ValueError(f"Invalid time specification (pos={bad.pos}): {text}\n{error}") from None


def _parse(text: str, version: SlurmVersion | None, now: datetime, error: str) -> datetime | None:
    if text[:3].lower() == "uts":
        number, rest = strtol(text[3:])
        if number < 1000000 or number == 2**63 - 1 or rest:
            raise _Bad(0)
        return _from_epoch(number)
    hour = minute = second = -1
    date: tuple[int, int, int | None] | None = None
    pos = 0
    while pos < len(text) and text[pos] != "\n":
        ch = text[pos]
        if ch in " \t-T":
            pos += 1
            continue
        word = next((w for w in _WORDS if text[pos:pos + len(w[0])].lower() == w[0]), None)
        if word is not None and word[0] == "elevenses" and not newer(version, 23, 2):
            word = None
        if word is not None:
            pos += len(word[0])
            if word[0] == "today":
                date = (now.month, now.day, now.year)
            elif word[0] == "tomorrow":
                later = now + timedelta(days=1)
                date = (later.month, later.day, later.year)
            else:
                (hour, minute), second = word[1], 0
            continue
        if text[pos:pos + 3].lower() == "now":
            delta, i = 0, pos + 3
            while True:
                c = _at(text, i)
                if c in "+-" and i < len(text):
                    pos += i
                    delta, end = _delta(text, pos)
                    delta = -delta if c == "-" else delta
                    pos = end
                    break
                if c in " \t" and i < len(text):
                    i += 1
                    continue
                if i >= len(text) or c == "\n":
                    pos += i
                    break
                raise _Bad(pos + i)
            try:
                later = now + timedelta(seconds=delta)
            except OverflowError:
                return None
            date = (later.month, later.day, later.year)
            hour, minute, second = later.hour, later.minute, later.second
            continue
        if not _digit(text, pos):
            raise _Bad(pos)
        if _at(text, pos + 1) == ":" or _at(text, pos + 2) == ":":
            hour, minute, second, pos = _time_of_day(text, pos)
        else:
            month, day, year, pos = _date(text, pos)
            date = (month, day, year if year is not None else -1)
    if hour == -1 and date is None:
        raise ValueError(error)  # nothing given: sbatch reads it as time 0
    if hour == -1:
        hour = minute = second = 0
    if date is None:
        today = (hour, minute) > (now.hour, now.minute)
        day = now if today else now + timedelta(days=1)
        date = (day.month, day.day, day.year)
    month, day, year = date
    if year == -1:
        later = (month, day, hour, minute) > (now.month, now.day, now.hour, now.minute)
        year = now.year if later else now.year + 1
    try:  # mktime normalises 02/30 to 03/02
        return datetime(year, month, 1, hour, minute, second) + timedelta(days=day - 1)
    except (ValueError, OverflowError):
        return None


def _from_epoch(seconds: int) -> datetime | None:
    try:
        return datetime.fromtimestamp(seconds)
    except (ValueError, OverflowError, OSError):
        return None
