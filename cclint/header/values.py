"""Parsers for the numeric and resource values of sbatch options (slurm-facts.md §4.1–§4.7).

Each parser returns the value in a useful unit, or raises `ValueError` whose message is what
sbatch itself prints. `validate.py` runs them for every directive; the resource rules use
them to read time limits, memory and GPU counts. Where Slurm releases differ, the parser
takes the target version (None = unknown: the newest behaviour). Behaviour marked "22.05"
was checked against the real sbatch 22.05 (tests/differential).
"""

from __future__ import annotations

import re
from cclint.record import record

from cclint.slurm_version import SlurmVersion

INT_MAX = 2**31 - 1
_C_SPACE = " \t\n\v\f\r"
_TIME_CHARS = re.compile(r"^[0-9:-]+$")
_MEMORY = re.compile(r"^\+?([0-9]+)(?:([kKmMgGtT])[bB]?)?$")
_STRTOL = re.compile(r"^[ \t\n\v\f\r]*([+-]?)([0-9]*)")
_TRES_SUFFIX = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4, "p": 1024 ** 5,
                "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3, "tib": 1024 ** 4, "pib": 1024 ** 5,
                "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3, "tb": 1000 ** 4, "pb": 1000 ** 5}
_TRES_COUNT = re.compile(r"^\+?([0-9]*)([a-zA-Z]*)$")


def newer(version: SlurmVersion | None, major: int, minor: int) -> bool:
    """True when the target release is `major.minor` or later (an unknown version is newest)."""
    return version is None or version.at_least(major, minor)


def strtol(text: str) -> tuple[int, str]:
    """C `strtol(text, &end, 10)`: (value, rest). No digits: (0, text), as C leaves `end`."""
    match = _STRTOL.match(text)
    if not match or not match.group(2):
        return 0, text
    value = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
    value = max(-(2**63), min(2**63 - 1, value))  # LONG_MIN/LONG_MAX on overflow
    return value, text[match.end():]


def to_int32(value: int) -> int:
    """What C keeps when a long is stored in an int."""
    value &= 0xFFFFFFFF
    return value - 2**32 if value >= 2**31 else value


# -- time ---------------------------------------------------------------------------------

@record(frozen=True)
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
        if "0" <= ch <= "9":
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


def time_seconds(value: str, option: str = "time") -> int | None:
    """`time_str2secs`: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S; INFINITE/UNLIMITED/-1 -> None."""
    text = value or ""
    if text.lower() in ("-1", "infinite", "unlimited"):
        return None
    if not text or not _TIME_CHARS.match(text) or not _valid_timespec(text):
        raise ValueError(f"Invalid --{option} specification")
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if "-" in body:
        days_text, _, rest = body.partition("-")
        parts = [int(p) if p else 0 for p in rest.split(":")] if rest else [0]
        parts += [0] * (3 - len(parts))
        total = ((int(days_text or 0) * 24 + parts[0]) * 60 + parts[1]) * 60 + parts[2]
    else:
        parts = [int(p) if p else 0 for p in body.split(":")]
        if len(parts) == 3:
            total = (parts[0] * 60 + parts[1]) * 60 + parts[2]
        elif len(parts) == 2:
            total = parts[0] * 60 + parts[1]
        else:
            total = parts[0] * 60
    return -total if negative else total


def parse_time(value: str, option: str = "time") -> TimeLimit:
    """`time_str2mins`: seconds round up to whole minutes; a total of 0 means no limit."""
    seconds = time_seconds(value, option)
    if seconds is None:
        return TimeLimit(None, "unlimited")
    text = value[1:] if value.startswith("-") else value
    colons = text.count(":")
    form = ("D-H", "D-H:M", "D-H:M:S")[colons] if "-" in text else ("M", "M:S", "H:M:S")[colons]
    if seconds < 0:
        return TimeLimit(-((-seconds + 59) // 60), form, negative=True)
    minutes = (seconds + 59) // 60
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
    if not match or int(match.group(1)) > 2**63 - 1:
        raise ValueError(f"Invalid --{option} specification")
    number, unit = int(match.group(1)), (match.group(2) or "").upper()
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

def parse_count(value: str, option: str, allow_zero: bool = False,
                version: SlurmVersion | None = None) -> int:
    """`parse_int`: strtol, nothing may follow, > 0 (or >= 0). An empty value reads as 0."""
    number, rest = strtol(value or "")
    if rest or number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f'Invalid numeric value "{value}" for --{option}.')
    # 22.05 has no upper bound (its binary lacks the message); newer releases check it.
    if number >= INT_MAX and newer(version, 23, 2):
        raise ValueError(f"Numeric argument ({number}) too large for --{option}.")
    return number


def parse_nodes(value: str, version: SlurmVersion | None = None) -> tuple[int, int]:
    """`verify_node_count`: `N` or `min-max` (k/m suffixes); 23.02+ also size lists.

    Returns (min, max); max is 0 when no maximum was given.
    """
    text = value or ""
    message = f'"{value}" is not a valid node count'
    if ("," in text or ":" in text) and newer(version, 23, 2):
        return _node_size_list(text, message)

    def count(part: str) -> tuple[int, bool]:
        number, rest = strtol(part)
        if rest == part:  # no digits at all
            return -1, not rest.strip(_C_SPACE)
        if rest[:1] in ("k", "K"):
            number, rest = number * 1024, rest[1:]
        if rest[:1] in ("m", "M"):
            number, rest = number * 1024 * 1024, rest[1:]
        return to_int32(number), not rest.strip(_C_SPACE)

    if "-" in text:
        lo_text, _, hi_text = text.partition("-")
        low, ok = count(lo_text)
        if not ok:
            raise ValueError(f'"{lo_text}" is not a valid node count')
        low = max(low, 1) if low < 0 else low
        high, ok = count(hi_text)
        if not ok:
            raise ValueError(f'"{hi_text}" is not a valid node count')
    else:
        low, ok = count(text)
        if not ok or low < 0:
            raise ValueError(message)
        high = low
    if high != 0 and high < low:
        raise ValueError(f"Maximum node count {high} is less than minimum node count {low}")
    return low, high


def _node_size_list(text: str, message: str) -> tuple[int, int]:
    numbers: list[int] = []
    for item in text.split(","):
        rng, _, step = item.partition(":")
        lo, dash, hi = rng.partition("-")
        if not lo.isdigit() or (dash and not hi.isdigit()) or (step and not step.isdigit()):
            raise ValueError(message)
        numbers.extend([int(lo), int(hi or lo)])
    if not numbers or max(numbers) >= 16384:
        raise ValueError(message)
    return min(numbers), max(numbers)


# -- GPUs and generic resources -------------------------------------------------------------

GRES_ERROR = "Invalid generic resource (gres) specification"
MIXED_TYPES = "Invalid GRES specification (with and without type identification)"


@record(frozen=True)
class GresItem:
    name: str
    type: str  # '' when untyped
    count: int


def tres_count(text: str) -> int:
    """A GRES count: digits, then k/m/g/t/p (x1024), kib..pib (x1024) or kb..pb (x1000).

    As in C's strtoull, no digits at all reads as 0 (`gpu:k` asks for nothing).
    """
    match = _TRES_COUNT.match(text)
    if not text or not match or match.group(2).lower() not in _TRES_SUFFIX:
        raise ValueError(GRES_ERROR)
    return int(match.group(1) or 0) * _TRES_SUFFIX[match.group(2).lower()]


def _gres_item(item: str, version: SlurmVersion | None) -> GresItem:
    """`name[:type][:count]` (22.05: a last field that is not a count is the type)."""
    if item.startswith("gres/") and newer(version, 23, 2):
        item = item[5:]
    if "=" in item and newer(version, 23, 2):
        head, _, count_text = item.rpartition("=")
        base = _gres_item(head, version)
        return GresItem(base.name, base.type, tres_count(count_text))
    fields = item.split(":")
    name = fields[0]
    if len(fields) > 3:
        raise ValueError(GRES_ERROR)
    if len(fields) == 1:
        found = GresItem(name, "", 1)
    elif len(fields) == 2:
        if not fields[1]:
            raise ValueError(GRES_ERROR)
        try:
            found = GresItem(name, "", tres_count(fields[1]))
        except ValueError:
            found = GresItem(name, fields[1], 1)
    else:
        if not fields[1] or not fields[2]:
            raise ValueError(GRES_ERROR)
        found = GresItem(name, fields[1], tres_count(fields[2]))
    # An item that asks for 0 is dropped before its name or type is looked at.
    if found.count and (not name or "=" in name or "/" in name):
        raise ValueError(GRES_ERROR)
    return found


def parse_gres(value: str, version: SlurmVersion | None = None) -> list[GresItem]:
    """`--gres`: comma list of items; empty items are skipped; `none` alone means nothing.

    Items with a count of 0 are dropped, as sbatch does.
    """
    if (value or "").lower() == "none":
        return []
    items = [_gres_item(raw, version) for raw in (value or "").split(",") if raw]
    return [i for i in items if i.count]


def parse_gpus(value: str, version: SlurmVersion | None = None) -> list[GresItem]:
    """`--gpus` and `--gpus-per-*`: `[type:]count` items, each read as `gpu:<item>`."""
    items = [_gres_item("gpu:" + raw, version) for raw in (value or "").split(",") if raw]
    return [i for i in items if i.count]


def check_gres_types(items: list[GresItem]) -> None:
    """One GRES may not be asked for both with and without a type."""
    typed = {i.name for i in items if i.type}
    untyped = {i.name for i in items if not i.type}
    if typed & untyped:
        raise ValueError(MIXED_TYPES)


# -- host lists ---------------------------------------------------------------------------

def count_hosts(value: str, limit: int = 100000, unique: bool = True) -> int | None:
    """The number of hosts (distinct ones unless `unique` is False) in a hostlist
    (`n[1-4,7],gpu2`); None when it is a file (a `/`) or too long to expand. Text that is not
    a valid range is one host, as Slurm reads it."""
    if not value or "/" in value:
        return None
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            pieces.append(value[start:i])
            start = i + 1
    pieces.append(value[start:])
    hosts: list[str] = []
    for piece in pieces:
        names = [""]
        for part in re.split(r"(\[[^\]]*\])", piece):
            if part.startswith("["):
                numbers = []
                for rng in part[1:-1].split(","):
                    lo, dash, hi = rng.partition("-")
                    if not lo.isdigit() or (dash and not hi.isdigit()):
                        numbers = None
                        break
                    width = len(lo)
                    numbers += [str(n).zfill(width) for n in range(int(lo), int(hi or lo) + 1)]
                    if len(numbers) * len(names) > limit:
                        return None
                if numbers is None:  # not a range: Slurm keeps the text as one host name
                    names = [n + part for n in names]
                    continue
                names = [n + x for n in names for x in numbers]
            else:
                names = [n + part for n in names]
        hosts.extend(n for n in names if n)
    return (len(set(hosts)) if unique else len(hosts)) or None
