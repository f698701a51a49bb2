"""Parsers for the values of sbatch options (slurm-facts.md §4).

Each parser returns the value in a useful unit, or raises `ValueError` whose message is what
sbatch itself prints. The validator (`validate.py`) runs them for every directive; the
resource rules use them to read time limits, memory and GPU counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TIME_CHARS = re.compile(r"^[0-9:-]+$")
_MEMORY = re.compile(r"^\+?([0-9]+)([kKmMgGtT]?)([bB]?)$")
_COUNT = re.compile(r"^[ \t]*\+?[0-9]+$")
_TRES_SUFFIX = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4, "p": 1024 ** 5,
                "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3, "tib": 1024 ** 4, "pib": 1024 ** 5,
                "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3, "tb": 1000 ** 4, "pb": 1000 ** 5}
_TRES_COUNT = re.compile(r"^([0-9]+)([a-zA-Z]*)$")


# -- time ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimeLimit:
    minutes: int | None  # None: no limit (INFINITE, UNLIMITED, -1, or a total of 0)
    form: str  # 'M', 'M:S', 'H:M:S', 'D-H', 'D-H:M', 'D-H:M:S', 'unlimited'
    negative: bool = False

    @property
    def unlimited(self) -> bool:
        return self.minutes is None


def _valid_timespec(text: str) -> bool:
    digits = dashes = colons = 0
    in_digit = False
    for ch in text:
        if ch.isdigit():
            if not in_digit:
                digits += 1
                in_digit = True
        elif ch == "-":
            in_digit = False
            if colons:
                return False
            dashes += 1
        elif ch == ":":
            in_digit = False
            colons += 1
        else:
            return False
    if not digits or dashes > 1 or colons > 2:
        return False
    need = {(1, 1): 3, (1, 2): 4, (0, 1): 2, (0, 2): 3}.get((dashes, colons), 0)
    return digits >= need


def parse_time(value: str, option: str = "time") -> TimeLimit:
    """`time_str2mins`: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S; INFINITE/UNLIMITED/-1."""
    text = value.strip() if value else ""
    if text.lower() in ("-1", "infinite", "unlimited"):
        return TimeLimit(None, "unlimited")
    if not text or not _TIME_CHARS.match(text) or not _valid_timespec(text):
        raise ValueError(f"Invalid --{option} specification")
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if "-" in body:
        days_text, _, rest = body.partition("-")
        parts = [int(p) if p else 0 for p in rest.split(":")] if rest else [0]
        form = ("D-H", "D-H:M", "D-H:M:S")[len(parts) - 1]
        hours = int(days_text or 0) * 24 + parts[0]
        minutes = parts[1] if len(parts) > 1 else 0
        seconds = parts[2] if len(parts) > 2 else 0
        total = (hours * 60 + minutes) * 60 + seconds
    else:
        parts = [int(p) if p else 0 for p in body.split(":")]
        form = ("M", "M:S", "H:M:S")[len(parts) - 1]
        if len(parts) == 3:
            total = (parts[0] * 60 + parts[1]) * 60 + parts[2]
        elif len(parts) == 2:
            total = parts[0] * 60 + parts[1]
        else:
            total = parts[0] * 60
    if negative:
        return TimeLimit(-((total + 59) // 60), form, negative=True)
    minutes = (total + 59) // 60
    return TimeLimit(minutes if minutes > 0 else None, form)


def format_minutes(minutes: int) -> str:
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}-{hours:02d}:{mins:02d}:00"
    return f"{hours:02d}:{mins:02d}:00"


def describe_minutes(minutes: int) -> str:
    if minutes % 1440 == 0 and minutes >= 1440:
        return f"{minutes // 1440} day{'s' if minutes >= 2880 else ''}"
    if minutes % 60 == 0 and minutes >= 60:
        return f"{minutes // 60} h"
    if minutes >= 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes} min"


# -- memory -------------------------------------------------------------------------------

def parse_memory(value: str, option: str = "mem") -> int:
    """`str_to_mbytes`: an integer, one optional K/M/G/T (any case), one optional B. MiB."""
    match = _MEMORY.match(value or "")
    if not match:
        raise ValueError(f"Invalid --{option} specification")
    number, unit = int(match.group(1)), match.group(2).upper()
    if unit == "K":
        return (number + 1023) // 1024
    return number * {"": 1, "M": 1, "G": 1024, "T": 1024 * 1024}[unit]


def describe_mib(mib: int) -> str:
    if mib % 1024 == 0 and mib >= 1024:
        return f"{mib // 1024} GiB"
    if mib >= 1024:
        return f"{mib / 1024:.1f} GiB"
    return f"{mib} MiB"


# -- counts -------------------------------------------------------------------------------

def parse_count(value: str, option: str, allow_zero: bool = False) -> int:
    """`parse_int`: decimal, leading blanks and `+` accepted, nothing after, > 0."""
    if not _COUNT.match(value or ""):
        raise ValueError(f'Invalid numeric value "{value}" for --{option}.')
    number = int(value.strip().lstrip("+"))
    if number >= 2147483647:
        raise ValueError(f"Numeric argument ({number}) too large for --{option}.")
    if number <= 0 and not (allow_zero and number == 0):
        raise ValueError(f'Invalid numeric value "{value}" for --{option}.')
    return number


def parse_nodes(value: str) -> tuple[int, int]:
    """`N` or `min-max` (k/m suffixes) -> (min, max); size lists -> (smallest, largest)."""
    text = value or ""
    message = f'"{value}" is not a valid node count'
    if "," in text or ":" in text:
        numbers: list[int] = []
        for item in text.split(","):
            rng, _, step = item.partition(":")
            lo, _, hi = rng.partition("-")
            if not lo.isdigit() or (hi and not hi.isdigit()) or (step and not step.isdigit()):
                raise ValueError(message)
            numbers.extend([int(lo), int(hi or lo)])
        if not numbers or max(numbers) >= 16384:
            raise ValueError(message)
        return min(numbers), max(numbers)
    lo_text, dash, hi_text = text.partition("-")

    def number(part: str) -> int:
        m = re.match(r"^([0-9]+)([kKmM]?)$", part)
        if not m:
            raise ValueError(message)
        return int(m.group(1)) * {"": 1, "K": 1024, "M": 1024 * 1024}[m.group(2).upper()]

    low = number(lo_text) if lo_text else 1
    high = number(hi_text) if dash and hi_text else low
    if high < low:
        raise ValueError(f"Maximum node count {high} is less than minimum node count {low}")
    return low, high


# -- GPUs and generic resources -------------------------------------------------------------

@dataclass(frozen=True)
class GresItem:
    name: str
    type: str  # '' when untyped
    count: int


def _tres_count(text: str) -> int:
    m = _TRES_COUNT.match(text)
    if not m or m.group(2).lower() not in _TRES_SUFFIX:
        raise ValueError("Invalid Trackable RESource (TRES) specification")
    return int(m.group(1)) * _TRES_SUFFIX[m.group(2).lower()]


def parse_gres(value: str) -> list[GresItem]:
    """`name[:type][:count]` items joined by commas; `none` is empty."""
    if (value or "").lower() == "none":
        return []
    items = []
    for raw in (value or "").split(","):
        item = raw[5:] if raw.startswith("gres/") else raw
        if not item:
            raise ValueError("Invalid Trackable RESource (TRES) specification")
        head, sep, last = item.rpartition(":") if ":" in item else item.rpartition("=")
        if sep and last[:1].isdigit():
            count = _tres_count(last)
            rest = head
        elif sep and last == "":
            raise ValueError("Invalid Trackable RESource (TRES) specification")
        else:
            count, rest = 1, item
        name, _, gres_type = rest.partition(":")
        if ":" in gres_type or not name:
            raise ValueError("Invalid Trackable RESource (TRES) specification")
        if count:
            items.append(GresItem(name, gres_type, count))
    return items


def parse_gpus(value: str) -> list[GresItem]:
    """`[type:]count` items of --gpus and --gpus-per-*: each becomes gres/gpu:item."""
    items = []
    for raw in (value or "").split(","):
        if not raw:
            raise ValueError("Invalid generic resource (gres) specification")
        head, sep, last = raw.rpartition(":")
        if not sep:
            head, last = "", raw
        if not last[:1].isdigit():
            raise ValueError("Invalid generic resource (gres) specification")
        count = _tres_count(last)
        if ":" in head:
            raise ValueError("Invalid generic resource (gres) specification")
        if count:
            items.append(GresItem("gpu", head, count))
    return items
