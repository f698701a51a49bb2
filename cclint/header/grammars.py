"""The small grammars of sbatch option values (slurm-facts.md §4.5, §4.7–§4.13).

Every checker takes the value (and the target Slurm version where releases differ) and
either raises `ValueError` with sbatch's own message or returns notes: things sbatch accepts
without a word but that do not do what they seem to (unknown `--mail-type` words, a
`--nice` that is not a number...). Checked against sbatch 22.05 (tests/differential).
"""

from __future__ import annotations

import re

from cclint.header.values import INT_MAX, newer, parse_count, strtol, time_seconds, to_int32
from cclint.slurm_version import SlurmVersion

Notes = list[str]


class Dropped(str):
    """A note about a value, or part of one, that sbatch drops without a word."""

# -- job arrays (checked by slurmctld at submission) ---------------------------------------

ARRAY_ERROR = "Invalid job array specification"
DEFAULT_MAX_ARRAY_SIZE = 1001


def parse_array(value: str, max_size: int = DEFAULT_MAX_ARRAY_SIZE) -> tuple[list[tuple[int, int, int]], int]:
    """`N`, `N-M`, `N-M:S` joined by commas, `%T` throttle -> ([(first, last, step)], throttle)."""
    text = value or ""
    throttle = 0
    if "%" in text:
        number, _ = strtol(text.partition("%")[2])
        throttle = max(0, number)
    ranges = []
    for token in text.split(","):
        token = token.partition("%")[0]
        match = re.fullmatch(r"\[?([0-9]+)(?:-([0-9]*)(?::([0-9]+))?)?\]?", token)
        if not match:
            raise ValueError(ARRAY_ERROR)
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first  # `0-` reads as 0-0
        step = int(match.group(3)) if match.group(3) else 1
        if last < first or step <= 0 or step >= max_size or last >= max_size:
            raise ValueError(ARRAY_ERROR)
        ranges.append((first, last, step))
    return ranges, throttle


# -- dependencies (checked by slurmctld at submission) --------------------------------------

DEPENDENCY_ERROR = "Job dependency problem"
DEPENDENCY_TYPES = ("after", "afterany", "afterok", "afternotok", "aftercorr", "afterburstbuffer",
                    "expand")
_DEP_JOB = re.compile(r"[0-9]+(?:_(?:[0-9]+|\*|\[[0-9,\-:%]+\]))?(?:\+[0-9]+)?(?:\([A-Za-z_]+\))?")


def check_dependency(value: str) -> Notes:
    text = value or ""
    if text in ("", "0"):
        return []
    if "," in text and "?" in text:
        raise ValueError(DEPENDENCY_ERROR)
    for item in re.split(r"[,?]", text):
        if item.lower() == "singleton":
            continue
        kind, sep, jobs = item.partition(":")
        if not sep:  # old form: a bare job id means afterany
            kind, jobs = "afterany", item
        if kind.lower() not in DEPENDENCY_TYPES or not jobs:
            raise ValueError(DEPENDENCY_ERROR)
        for job in jobs.split(":"):
            match = _DEP_JOB.fullmatch(job)
            if not match or int(re.match(r"[0-9]+", job).group()) == 0:
                raise ValueError(DEPENDENCY_ERROR)
            plus = re.search(r"\+([0-9]+)", job)
            if plus and int(plus.group(1)) == 0:
                raise ValueError(DEPENDENCY_ERROR)
    return []


# -- signal, mail ------------------------------------------------------------------------------

SIGNALS = {"HUP": 1, "INT": 2, "QUIT": 3, "ABRT": 6, "KILL": 9, "ALRM": 14, "TERM": 15,
           "CHLD": 17, "USR1": 10, "USR2": 12, "PIPE": 13, "URG": 23, "CONT": 18, "STOP": 19,
           "TSTP": 20, "TTIN": 21, "TTOU": 22, "XCPU": 24}
_NEWER_SIGNALS = ("CHLD", "PIPE")  # not known by name to sbatch 22.05 (the numbers work)


def parse_signal(value: str, version: SlurmVersion | None = None) -> tuple[str, int, int]:
    """`[R|B|RB|BR][:]<sig>[@<secs>]` -> (flags, signal number, seconds before the end).

    As 22.05 reads the flags: an optional R, an optional B, an optional R, in that order,
    then an optional colon (so `RR:USR1` passes and `BB:USR1` does not); a number is kept
    modulo 65536 and must not be 0.
    """
    error = ValueError("Invalid --signal specification")
    text = value or ""
    flags = ""
    for letter in "RBR":
        if text[:1].upper() == letter:
            flags, text = flags + letter, text[1:]
    if text.startswith(":"):
        text = text[1:]
    sig_text, at, secs_text = text.partition("@")
    number, rest = strtol(sig_text)
    if rest != sig_text:  # a number
        sig = number & 0xFFFF if not rest.strip(" \t\n\v\f\r") else 0
    else:
        name = sig_text.lstrip(" \t\n\v\f\r").upper()
        name = name[3:] if name.startswith("SIG") else name
        name = name.rstrip(" \t\n\v\f\r")
        known = name not in _NEWER_SIGNALS or newer(version, 23, 2)
        sig = SIGNALS.get(name, 0) if known else 0
    if sig < 1:
        raise error
    seconds = 60
    if at:
        seconds, rest = strtol(secs_text)
        if rest or not 0 <= seconds <= 65535:
            raise error
    return flags, sig, seconds


MAIL_TYPES = ("NONE", "BEGIN", "END", "FAIL", "REQUEUE", "ALL", "INVALID_DEPEND", "STAGE_OUT",
              "TIME_LIMIT", "TIME_LIMIT_90", "TIME_LIMIT_80", "TIME_LIMIT_50", "ARRAY_TASKS")


def check_mail_type(value: str) -> Notes:
    words = [w for w in (value or "").split(",") if w]
    known = [w for w in words if w.upper() in MAIL_TYPES]
    if not known:
        raise ValueError("Invalid --mail-type specification")
    unknown = [w for w in words if w.upper() not in MAIL_TYPES]
    if unknown:
        return [Dropped(f"sbatch silently drops {', '.join(repr(w) for w in unknown)} (valid "
                        f"words: {', '.join(MAIL_TYPES)})")]
    return []


# -- placement and binding ----------------------------------------------------------------------

def check_distribution(value: str) -> Notes:
    error = ValueError("Invalid --distribution specification")
    text = (value or "").lower()
    if text.startswith("plane"):
        size = text[5:]
        number, rest = strtol(size[1:]) if size.startswith("=") else (0, size)
        if rest or number <= 0 or size[1:2] in (" ", "\t"):
            raise ValueError("Invalid plane size or size not specified\n"
                             "Invalid --distribution specification")
        return []
    levels, comma, pack = text.partition(",")
    if comma and pack not in ("pack", "nopack", ""):
        raise error
    if levels in ("pack", "nopack") and not comma:
        return []
    parts = [p for p in levels.split(":") if p]  # strtok: empty levels vanish
    if not parts or len(parts) > 3:
        raise error
    if parts[0] in ("arbitrary", "hostfile"):
        if len(parts) > 1:
            raise error
        return []
    if parts[0] not in ("block", "cyclic", "*"):
        raise error
    if any(p not in ("block", "cyclic", "fcyclic", "*", "") for p in parts[1:]):
        raise error
    return []


def check_mem_bind(value: str) -> Notes:
    # A comma followed by a number belongs to a map/mask list; other commas separate tokens.
    tokens = re.split(r",(?![0-9])", value or "")
    for token in tokens:
        low = token.lower()
        if low == "help":
            raise ValueError("--mem-bind=help prints the help and exits without submitting")
        if low in ("p", "prefer", "nosort", "sort", "q", "quiet", "v", "verbose", "no", "none",
                   "rank", "local"):
            continue
        if low.startswith(("map_mem", "mapmem", "mask_mem", "maskmem")):
            head = "map_mem" if low.startswith(("map_mem", "mapmem")) else "mask_mem"
            cut = re.search(r"[:=]", token)
            if not cut or cut.end() >= len(token):
                raise ValueError(f'missing list for "--mem-bind={head}:<list>"')
            continue
        raise ValueError(f'unrecognized --mem-bind argument "{token}"')
    return []


def check_gpu_bind(value: str) -> Notes:
    """22.05: `closest` and `none` match on their first letter; lists are checked digit by digit."""
    error = ValueError(f"Invalid --gpu-bind argument: gpu:{value}")
    text = value or ""
    if text[:8].lower() == "verbose,":
        text = text[8:]
    low = text.lower()
    if low[:1] in ("c", "n") or low.startswith(("per_task:", "single:")):
        return []
    for prefix, digits in (("map_gpu:", "0123456789"), ("mask_gpu:", "0123456789abcdefABCDEF")):
        if low.startswith(prefix):
            for item in text[len(prefix):].split(","):
                item = item.partition("*")[0]
                if prefix == "mask_gpu:" and item.startswith("0x"):
                    item = item[2:]
                bad = next((c for c in item if c not in digits), None)
                if bad is not None:
                    raise ValueError(f"Failed to validate {item}, offending character is {bad}\n"
                                     f"Invalid --gpu-bind argument: gpu:{value}")
            return []
    raise error


def check_gpu_freq(value: str) -> Notes:
    """`[memory=]level` items and `verbose`; levels are lower case (22.05), or MHz."""
    error = ValueError(f"Invalid --gpu-freq argument: gpu:{value}")
    tokens = (value or "").split(",")
    if not value:
        raise error
    for token in filter(None, tokens):
        if token == "verbose":
            continue
        key, eq, level = token.rpartition("=")
        if eq and key != "memory":
            raise error
        if level not in ("low", "medium", "high", "highm1") and not level.isdigit():
            raise error
    return []


def check_hint(value: str) -> Notes:
    for token in (value or "").split(","):
        if token.lower() == "help":
            raise ValueError("--hint=help prints the help and exits without submitting")
        if token.lower() not in ("compute_bound", "memory_bound", "multithread", "nomultithread"):
            raise ValueError(f'unrecognized --hint argument "{token}", see --hint=help')
    return []


# -- CPU frequency ------------------------------------------------------------------------------

_FREQ_LOW, _FREQ_MEDIUM, _FREQ_HIGH, _FREQ_HIGHM1 = (0x80000001, 0x80000002, 0x80000003,
                                                     0x80000004)
GOVERNORS = ("conservative", "ondemand", "performance", "powersave", "userspace")
DEFAULT_GOVERNORS = ("ondemand", "performance", "userspace")  # CpuFreqGovernors default


def _governor(text: str) -> str | None:
    low = text.lower()
    for prefix, name in (("co", "conservative"), ("perf", "performance"), ("pow", "powersave"),
                         ("user", "userspace"), ("onde", "ondemand")):
        if low.startswith(prefix):
            return name
    return None


def _frequency(text: str) -> int:
    low = text.lower()
    for prefix, code in (("lo", _FREQ_LOW), ("him1", _FREQ_HIGHM1), ("highm1", _FREQ_HIGHM1),
                         ("hi", _FREQ_HIGH), ("med", _FREQ_MEDIUM)):
        if low.startswith(prefix):
            return code
    number, _ = strtol(text)  # strtoul: trailing text is ignored
    number &= 0xFFFFFFFF
    if number:
        return number
    raise ValueError(f'unrecognized --cpu-freq argument "{text}"\nInvalid --cpu-freq argument')


def check_cpu_freq(value: str, governors: tuple[str, ...] | None = None) -> Notes:
    """`p1[-p2[:gov]]`; `governors` are the slurm.conf CpuFreqGovernors, None if unknown."""
    text = value or ""
    tail = "\nInvalid --cpu-freq argument"
    colon, dash = text.find(":"), text.find("-")
    p3 = text[colon + 1:] if colon >= 0 else None
    if dash >= 0:
        p1, p2 = text[:dash], (text[dash + 1:colon] if colon >= 0 else text[dash + 1:])
    else:
        p1, p2 = (text[:colon] if colon >= 0 else text), None
    chosen = _governor(p1)
    if chosen:
        if p3 is not None:
            raise ValueError(f"governor cannot be specified twice {p1}{{-}}:{p3} in --cpu-freq{tail}")
        low = 0xFFFFFFFE  # NO_VAL: a governor is not a frequency
    else:
        low = _frequency(p1)
    if p2 is not None and _frequency(p2) < low:
        raise ValueError(f"min cpu-frec ({p1}) must be < max cpu-freq ({p2}){tail}")
    if p3 is not None:
        if p2 is None:
            raise ValueError(f"gov on cpu-frec ({p3}) illegal without max{tail}")
        chosen = _governor(p3)
        if chosen is None:
            raise ValueError(f"illegal governor: {p3} on --cpu-freq{tail}")
    if chosen and chosen not in (governors if governors is not None else DEFAULT_GOVERNORS):
        message = f"governor of {chosen} is not allowed in slurm.conf"
        if governors is None:
            return [f"the default CpuFreqGovernors is {','.join(DEFAULT_GOVERNORS)}: unless your "
                    f"cluster allows {chosen}, sbatch says \"{message}\""]
        raise ValueError(message + tail)
    return []


# -- accounting, limits, misc --------------------------------------------------------------------

def check_acctg_freq(value: str) -> Notes:
    """Each item: a number (the task interval), or `task=`, `energy=`, `network=`,
    `filesystem=` followed by a number, found anywhere in it (as Slurm searches)."""
    def number(text: str) -> int:
        value, rest = strtol(text)
        return -1 if rest == text else to_int32(value)

    for token in (value or "").split(","):
        if not token:
            continue
        low = token.lower()
        valid = number(token) != -1
        for key in ("task=", "energy=", "network=", "filesystem="):
            at = low.find(key)
            valid = valid or (at >= 0 and number(token[at + len(key):]) != -1)
        if not valid:
            raise ValueError(f"Invalid --acctg-freq specification: {token}")
    return []


RLIMITS = ("AS", "CORE", "CPU", "DATA", "FSIZE", "MEMLOCK", "NOFILE", "NPROC", "RSS", "STACK")


def check_propagate(value: str) -> Notes:
    text = value or ""
    if text in ("", "ALL", "NONE"):
        return []
    for name in text.split(","):
        bare = name[7:] if name.startswith("RLIMIT_") else name
        if name and bare not in RLIMITS:
            raise ValueError(f"Bad rlimit name: {bare}\n--propagate={text} is not valid.")
    return []


def check_profile(value: str) -> Notes:
    """Each word is searched for all, none, energy, task, lustre or network (any case)."""
    tokens = (value or "").split(",")
    if not any(k in t.lower() for t in tokens
               for k in ("all", "none", "energy", "task", "lustre", "network")):
        raise ValueError(f"invalid --profile={value} option")
    return []


def check_gres_flags(value: str, version: SlurmVersion | None) -> Notes:
    error = ValueError("Invalid --gres-flags specification")
    flags = [f.lower() for f in (value or "").split(",")]
    if "allow-task-sharing" in flags:
        raise ValueError("--gres-flags=allow-task-sharing is only used with srun.")
    known = ["disable-binding", "enforce-binding"]
    if newer(version, 23, 11):
        known += ["one-task-per-sharing", "multiple-tasks-per-sharing"]
    elif len(flags) > 1:
        raise error  # 22.05 reads exactly one flag
    if any(f not in known for f in flags):
        raise error
    for pair in (("disable-binding", "enforce-binding"),
                 ("one-task-per-sharing", "multiple-tasks-per-sharing")):
        if pair[0] in flags and pair[1] in flags:
            raise ValueError(f"Invalid --gres-flags combo: {pair[0]} and {pair[1]} are mutually "
                             "exclusive.")
    return []


def check_nice(value: str) -> Notes:
    if not value:
        return []
    number, rest = strtol(value)
    if abs(number) > 2147483645:
        raise ValueError("Invalid --nice value, out of range (+/- 2147483645)")
    if rest or value != value.strip():
        return [f"sbatch reads --nice={value} as {number}: only a whole number counts"]
    return []


def check_priority(value: str) -> Notes:
    if (value or "").upper() == "TOP":
        return []
    number, rest = strtol(value or "")
    if number < 0:
        raise ValueError("Priority must be >= 0")
    if number >= 4294967294:
        raise ValueError("Priority must be < 4294967294")
    if rest:
        return [f"sbatch reads --priority={value} as {number}: only a whole number or TOP counts"]
    return []


def check_switches(value: str, version: SlurmVersion | None) -> Notes:
    count, at, wait = (value or "").partition("@")
    parse_count(count, "switches", version=version)
    if at:
        try:
            time_seconds(wait, "switches")
        except ValueError:
            return [Dropped(f"the wait time '{wait}' is not a valid time: sbatch ignores it")]
    return []


def check_extra_node_info(value: str) -> Notes:
    """`S[:C[:T]]`, each a count, `min-max` or `*` (k/m suffixes)."""
    for field, what in zip((value or "").split(":"), ("first", "second", "third")):
        if field == "" or field.startswith("*"):
            continue
        error = ValueError(f'Invalid numeric value "{field}" for {what} arg of -B.')
        low, rest = _suffixed(field)
        if (rest and not rest.startswith("-")) or low < 0:
            raise error
        if low > INT_MAX:
            raise ValueError(f"Numeric argument ({low}) to big for {what} arg of -B.")
        if rest:
            high, rest = _suffixed(rest[1:])
            if (rest and not rest.startswith("-")) or high <= 0:
                raise error
            if high > INT_MAX:
                raise ValueError(f"Numeric argument ({high}) to big for {what} arg of -B.")
    return []


def _suffixed(text: str) -> tuple[int, str]:
    number, rest = strtol(text)
    if rest[:1] in ("k", "K"):
        return number * 1024, rest[1:]
    if rest[:1] in ("m", "M"):
        return number * 1048576, rest[1:]
    return number, rest


def check_get_user_env(value: str) -> Notes:
    """`[timeout][S|L]` (up to 24.11): a number, then S or L; what follows is not read."""
    _, rest = strtol(value or "")
    if rest and rest[0] not in "SsLl":
        raise ValueError("Invalid --get-user-env specification")
    return []


_FORBIDDEN_TRES = ("mem", "energy", "node", "billing", "fs", "vmem", "pages", "bb")


def check_tres_per_task(value: str) -> Notes:
    for item in (value or "").split(","):
        name, eq, count = item.rpartition("=")
        kind = name.split("/")[0].lower()
        if kind in _FORBIDDEN_TRES:
            raise ValueError(f"Invalid TRES for --tres-per-task: {kind}")
        if not eq or not name or not count.isdigit():
            raise ValueError("Invalid --tres-per-task specification")
    return []


def check_licenses(value: str) -> Notes:
    if "," in (value or "") and "|" in value:
        raise ValueError("Invalid license specification")
    return []


def check_mem_update(value: str) -> Notes:
    margin, at, delay = (value or "").partition("@")
    if not at:
        raise ValueError("--mem-update requires MARGIN@DELAY format")
    number, rest = strtol(margin.rstrip("%"))
    if rest or not 1 <= number <= 65535:
        raise ValueError("Invalid --mem-update specification")
    try:
        time_seconds(delay, "mem-update")
    except ValueError:
        raise ValueError("Invalid --mem-update specification") from None
    return []


def check_segment(value: str) -> Notes:
    number, rest = strtol(value or "")
    if rest or not value or not 0 <= number <= 65535:
        raise ValueError("Invalid --segment specification")
    return []


# -- filename patterns (replaced on the compute node) -----------------------------------------------

def filename_symbols(version: SlurmVersion | None) -> str:
    symbols = "AajJNnstux"
    if newer(version, 24, 11):
        symbols += "b"
    if newer(version, 25, 11):
        symbols += "rS"
    return symbols


def check_filename(value: str, version: SlurmVersion | None) -> Notes:
    """`%A %a %j ...` with optional zero padding; a backslash turns replacement off."""
    text = value or ""
    if "\\" in text:
        return ["a backslash in the path turns off every %-pattern (Slurm keeps the text as typed)"]
    symbols = filename_symbols(version)
    notes = []
    for match in re.finditer(r"%(%|[0-9]*)(.?)", text):
        if match.group(1) == "%":
            continue
        letter = match.group(2)
        if letter not in symbols:
            later = {"b": "24.11", "r": "25.11", "S": "25.11"}.get(letter)
            why = f" (it needs Slurm {later})" if later else ""
            notes.append(f"'%{match.group(1)}{letter}' is not a Slurm pattern{why}: it stays as typed")
    return notes
