"""Parsers for the numeric and resource values of sbatch options (slurm-facts.md §4.1–§4.7).

Each parser returns the value in a useful unit, or raises `ValueError` whose message is what
sbatch itself prints. `validate.py` runs them for every directive; the resource rules use
them to read time limits, memory and GPU counts. Where Slurm releases differ, the parser
takes the target version (None = unknown: the newest behaviour). Behaviour marked "22.05"
was checked against the real sbatch 22.05 (tests/differential).
"""

from __future__ import annotations

import re
from cclint.patterns import lazy
from cclint.record import record

from cclint.slurm_version import SlurmVersion

INT_MAX = 2**31 - 1
_C_SPACE = " \t\n\v\f\r"
_TIME_CHARS = lazy(r"^[0-9:-]+$")
_MEMORY = lazy(r"^\+?([0-9]+)(?:([kKmMgGtT])[bB]?)?$")
_STRTOL = lazy(r"^[ \t\n\v\f\r]*([+-]?)([0-9]*)")
_TRES_SUFFIX = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4, "p": 1024 ** 5,
                "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3, "tib": 1024 ** 4, "pib": 1024 ** 5,
                "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3, "tb": 1000 ** 4, "pb": 1000 ** 5}
_TRES_COUNT = lazy(r"^\+?([0-9]*)([a-zA-Z]*)$")


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
        if newer(version, 23, 2):  # str_to_nodes: out of range is -1 (22.05 truncates to an int)
            return (number if 0 <= number <= INT_MAX else -1), not rest.strip(_C_SPACE)
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
    """A job size list (`1,4,8`, `2-16:2`) as 24.11 reads it: every number below 16384, then
    the list read as a bitmap (bit_unfmt); empty items read as 0."""
    top = 0
    for token in filter(None, re.split(r"[,:-]", text)):
        number, rest = strtol(token)
        if rest == token or rest or number >= 16384:
            raise ValueError(f'"{token}" is not a valid node count')
        top = max(top, number)
    pairs = _bitfmt_pairs(text)
    if pairs is None or any(not 0 <= x <= top for pair in pairs for x in pair):
        raise ValueError(message)
    bits = [n for lo, hi in pairs for n in range(lo, hi + 1)]
    if not bits:  # `,1` or `5-5:1` set no size: the counts stay -1
        raise ValueError("invalid number of nodes (-N -1--1)")
    return min(bits), max(bits)


def _bitfmt_pairs(text: str) -> list[tuple[int, int]] | None:
    """bitstring.c `bitfmt2int`: `a-b,c` (other characters ignored), or one `a-b:step`."""
    if ":" not in text:
        pairs, total, start = [], 0, -1
        for i, ch in enumerate(text + ","):
            if "0" <= ch <= "9":
                total = total * 10 + int(ch)
            elif ch == "-":
                start, total = total, 0
            elif ch == ",":
                if i == 0:
                    break
                pairs.append((total if start == -1 else start, total))
                start, total = -1, 0
        return pairs
    first, rest = strtol(text)
    if not rest.startswith("-"):
        return None
    last, rest = strtol(rest[1:])
    if not rest.startswith(":"):
        return None
    step, rest = strtol(rest[1:])
    if rest or last < first or step <= 0:
        return None
    return [(n, n) for n in range(first, last, step)]


# -- GPUs and generic resources -------------------------------------------------------------

GRES_ERROR = "Invalid generic resource (gres) specification"
MIXED_TYPES = "Invalid GRES specification (with and without type identification)"


@record(frozen=True)
class GresItem:
    name: str
    type: str  # '' when untyped
    count: int
    empty_type: bool = False  # 23.02+: `gpu::1`, a type named '' (sbatch counts it as typed)


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
    if newer(version, 23, 2):
        return _tres_item(item[5:] if item.startswith("gres/") else item)
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


def _tres_number(text: str) -> int | None:
    """`_is_valid_number` of slurm_protocol_defs.c (23.02+): digits first, then a suffix."""
    match = re.fullmatch(r"([0-9]+)([a-zA-Z]*)", text)
    if not match or match.group(2).lower() not in _TRES_SUFFIX or int(match.group(1)) >= 2**64 - 1:
        return None
    return int(match.group(1)) * _TRES_SUFFIX[match.group(2).lower()] % 2**64


def _tres_item(text: str) -> GresItem:
    """One item as `slurm_get_next_tres` reads it (23.02+; observed on 24.11 and 25.11): the
    count follows the last `=`, else the last `:` (a word there is a type, count 1); the type
    is what follows the first `:` of the rest, so `gpu::1` has an empty type and
    `gpu:h100:1:2` the type `h100:1`. An item with no name (`:1`, `5`) has the name ''."""
    head, sep, tail = text.rpartition("=") if "=" in text else text.rpartition(":")
    type_ = None
    if sep:
        if not tail:
            raise ValueError(GRES_ERROR)
        count = _tres_number(tail)
        if count is None:
            if sep == "=":
                raise ValueError(GRES_ERROR)
            type_, count = tail, 1
    else:
        head, count = text, _tres_number(text)
        if count is not None:
            return GresItem("", "", max(count, 1))  # a bare number: no name, whatever the count
        count = 1
    if ":" in head:
        if type_ is not None:
            raise ValueError(GRES_ERROR)
        head, _, type_ = head.partition(":")
    return GresItem(head, type_ or "", count, type_ == "")


def parse_gres(value: str, version: SlurmVersion | None = None,
               notes: list[str] | None = None) -> list[GresItem]:
    """`--gres`: comma list of items; empty items are skipped; `none` alone means nothing.

    Items with a count of 0 are dropped, as sbatch does. From 23.02 an item without a name
    ends the list (what follows is never read). `notes`, when given, gets what sbatch passes
    on although it cannot mean what it says.
    """
    if (value or "").lower() == "none":
        return []
    return _gres_list((value or "").split(","), version, notes, "")


def parse_gpus(value: str, version: SlurmVersion | None = None,
               notes: list[str] | None = None) -> list[GresItem]:
    """`--gpus` and `--gpus-per-*`: `[type:]count` items, each read as `gpu:<item>`."""
    return _gres_list((value or "").split(","), version, notes, "gpu:")


def parse_gpus_per_task(value: str, version: SlurmVersion | None = None,
                        notes: list[str] | None = None) -> list[GresItem]:
    """`--gpus-per-task`. 22.05 reads it like --gpus. From 23.02 (observed on 24.11) it becomes
    the `gres/gpu[:type]=N` entry of --tres-per-task: the type is what precedes the first `:`
    (else `=`), N the leading number of the rest (strtol), and N = 0 drops the request."""
    if not newer(version, 23, 2):
        return parse_gpus(value, version, notes)
    text = value or ""
    cut = text.find(":") if ":" in text else text.find("=")
    type_, rest = (text[:cut], text[cut + 1:]) if cut >= 0 else ("", text)
    count, after = strtol(rest)
    count = to_int32(count)
    if notes is not None and (after or not count) and text not in ("0", ""):
        read = f"{count} GPU{'s' if count != 1 else ''} per task" if count else "no GPU per task"
        where = f"after the type `{type_}`" if cut >= 0 else "at the start"
        notes.append(f"sbatch reads only the number {where} and ignores the rest: `{text}` asks for {read}")
    if not count:
        return []
    return _gres_list([f"gpu:{type_}={count}" if cut >= 0 else f"gpu={count}"], version, None, "")


def tres_gres_items(value: str, version: SlurmVersion | None = None) -> list[GresItem]:
    """The GRES of `--tres-per-task` (23.02+): the items naming `gres/...` (the others, such as
    cpu=N, are not GRES), read as --gres items."""
    texts = []
    for item in (value or "").split(","):
        at = item.find("gres")
        if at >= 0:
            text = item[at + 4:]
            texts.append(text[1:] if text.startswith("/") else text)
    return _gres_list(texts, version, None, "")


def _gres_list(raw: list[str], version: SlurmVersion | None, notes: list[str] | None,
               prefix: str) -> list[GresItem]:
    items = []
    for k, text in enumerate(raw):
        item = _gres_item(prefix + text, version) if text else None
        if item is None or not item.count:
            continue
        if not item.name:  # 23.02+: the list ends here, as sbatch reads it
            if notes is not None:
                rest = " and ignores what follows" if any(raw[k + 1:]) else ""
                notes.append(f"`{text}` names no GRES: sbatch stops reading the list there{rest}")
            break
        if notes is not None and ":" in item.type:
            notes.append(f"`{text}` has a field too many: sbatch passes it on as {item.count} "
                         f"'{item.name}' of a type named `{item.type}`, which no node has, so the "
                         "controller cannot place the job")
        elif notes is not None and item.empty_type:
            notes.append(f"`{text}` has an empty type: sbatch passes it on as a type named '', "
                         "not as no type: what the controller makes of it is not known")
        items.append(item)
    return items


def gres_typed(items: list[GresItem]) -> dict[tuple[str, str], bool]:
    """Whether each GRES record (name, type) counts as typed. An empty type (23.02+) shares the
    untyped record (same type id): the record is typed when its first item had the empty type."""
    typed: dict[tuple[str, str], bool] = {}
    for item in items:
        typed.setdefault((item.name, item.type), bool(item.type) or item.empty_type)
    return typed


def mixed_types(typed: dict[tuple[str, str], bool]) -> bool:
    """One GRES asked for both with and without a type."""
    with_type = {name for (name, _), is_typed in typed.items() if is_typed}
    return any(not is_typed and name in with_type for (name, _), is_typed in typed.items())


def check_gres_types(items: list[GresItem]) -> None:
    """One GRES may not be asked for both with and without a type."""
    if mixed_types(gres_typed(items)):
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
