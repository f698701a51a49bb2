"""The small grammars of sbatch option values (slurm-facts.md §4.5, §4.7–§4.13).

Every checker takes the value (and the target Slurm version where releases differ) and
either raises `ValueError` with sbatch's own message or returns notes: things sbatch accepts
without a word but that do not do what they seem to (unknown `--mail-type` words, a
`--nice` that is not a number...). Checked against sbatch 22.05 (tests/differential).
"""

from __future__ import annotations

import re

from cclint.header.values import INT_MAX, newer, parse_count, strtol, time_seconds, to_int32
from cclint.patterns import lazy
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
_DEP_JOB = lazy(r"[0-9]+(?:_(?:[0-9]+|\*|\[[0-9,\-:%]+\]))?(?:\+[0-9]+)?(?:\([A-Za-z_]+\))?")


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


def check_mem_bind(value: str, version: SlurmVersion | None = None) -> Notes:
    # A comma followed by a number belongs to a map/mask list; other commas separate tokens.
    tokens = re.split(r",(?![0-9])", value or "")
    words = ("p", "prefer", "q", "quiet", "v", "verbose", "no", "none", "rank", "local")
    if not newer(version, 25, 5):
        words += ("nosort", "sort")  # gone in 25.11 (observed; 24.11 has them)
    for token in tokens:
        low = token.lower()
        if low == "help":
            raise ValueError("--mem-bind=help prints the help and exits without submitting")
        if low in words:
            continue
        if low.startswith(("map_mem", "mapmem", "mask_mem", "maskmem")):
            head = "map_mem" if low.startswith(("map_mem", "mapmem")) else "mask_mem"
            cut = re.search(r"[:=]", token)
            if not cut or cut.end() >= len(token):
                raise ValueError(f'missing list for "--mem-bind={head}:<list>"')
            continue
        raise ValueError(f'unrecognized --mem-bind argument "{token}"')
    return []


def check_gpu_bind(value: str, version: SlurmVersion | None = None) -> Notes:
    """22.05: `closest` and `none` match on their first letter; lists are checked digit by
    digit. From 23.02 (observed on 24.11): tres_bind.c, whole prefixes (`closest`, `none`)."""
    if newer(version, 23, 2):
        return _check_tres_bind(value)
    error = ValueError(f"Invalid --gpu-bind argument: gpu:{value}")
    text = value or ""
    if text[:8].lower() == "verbose,":
        text = text[8:]
    low = text.lower()
    if low.startswith(("per_task:", "single:")):  # a negative number is refused (22.05)
        number, _ = strtol(text.partition(":")[2])
        if number < 0:
            raise error
        return []
    if low[:1] in ("c", "n"):
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


def _check_tres_bind(value: str) -> Notes:
    """`tres_bind_verify_cmdline("gres/gpu:" + value)`: `+` separates bindings."""
    error = f"Invalid --gpu-bind argument: {value}"
    pieces = [p for p in (value or "").split("+")]
    for k, piece in enumerate(pieces):
        if k and not piece:
            continue  # strtok skips empty pieces
        shared = False
        if k:
            name, colon, piece = piece.partition(":")
            if not colon or not name.startswith("gres/"):
                raise ValueError(error)
            shared = name[5:] in ("mps", "shard")
        problem = _gres_bind(piece, shared)
        if problem is not None:
            raise ValueError((problem + "\n" if problem else "") + error)
    return []


def _gres_bind(arg: str, shared: bool) -> str | None:
    """tres_bind.c `_valid_gres_bind`: None if valid, else what it printed first ('' if nothing)."""
    if arg[:8].lower() == "verbose,":
        arg = arg[8:]
    low = arg.lower()
    if low.startswith("none"):
        return None
    if low.startswith("per_task:") or (low.startswith("single:") and not shared):
        number, _ = strtol(arg[9 if low.startswith("per_task:") else 7:])
        return "" if number < 0 or number >= 2**63 - 1 else None
    if shared:
        return ""
    if low.startswith("closest"):
        return None
    for prefixes, hexa in ((("map_gpu:", "map:"), False), (("mask_gpu:", "mask:"), True)):
        if low.startswith(prefixes):
            return _bind_numbers(arg[9 if hexa else 8:], hexa)  # `map:` skips 8 too, as Slurm does
    return ""


def _bind_numbers(text: str, hexa: bool) -> str | None:
    digits = "0123456789abcdefABCDEF" if hexa else "0123456789"
    for token in filter(None, text.split(",")):
        if hexa and token.startswith("0x"):
            token = token[2:]
        bad = next((c for c in token if c not in digits and c != "*"), None)
        if bad is not None:
            return f"Failed to validate {token}, offending character is {bad}"
        head, star, tail = token.partition("*")
        number = int(head, 16 if hexa else 10) if head else None
        if number is None and not star or (number or 0) >= 2**63 - 1:
            return ""
        if star and (not tail.isdigit() or "*" in tail) and tail != "":
            return ""
    return None


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


# -- host lists ------------------------------------------------------------------------------

_MAX_RANGE = 65536  # MAX_SLURM_NODES: hosts in one bracketed range


def _host_tokens(text: str) -> list[str]:
    """hostlist.c `_next_tok`: split on space, tab, comma and newline, except inside [...]."""
    tokens, i, seps = [], 0, " \t,\n"
    while i < len(text):
        while i < len(text) and text[i] in seps:
            i += 1
        if i >= len(text):
            break
        start = parse = i
        while True:
            while i < len(text) and text[i] not in seps:
                i += 1
            opening = text.find("[", parse)
            if opening < 0 or opening > i:
                break
            closing = text.find("]", parse)
            if closing < 0 or closing < opening:
                break
            if closing < i:
                parse = closing + 1
                continue
            i = closing
        tokens.append(text[start:i])
    return tokens


def _host_range(text: str) -> bool:
    """hostlist.c `_parse_single_range` (one dimension): `lo[-hi]`, decimal, lo <= hi."""
    if "x" in text:
        return False
    lo_text, dash, hi_text = text.partition("-")
    if dash and hi_text.startswith("-"):
        return False
    low, rest = strtol(lo_text.lstrip(" \t\n\v\f\r"))
    if rest == lo_text.lstrip(" \t\n\v\f\r") or lo_text.strip().startswith("-"):
        return False
    if hi_text:
        high, rest = strtol(hi_text)
        if rest == hi_text or hi_text.strip().startswith("-"):
            return False
    else:
        high = low
    return not rest and low <= high and high - low + 1 <= _MAX_RANGE


def hostlist_valid(text: str, version: SlurmVersion | None) -> bool:
    """Whether `hostlist_create` reads a host list (`n[1-4,7]x,gpu2`): each bracket holds
    ranges; from 23.02 (observed on 24.11) a `[` without its `]` is refused too (22.05 keeps
    such a word as a host name) and text may follow `]` (22.05 refuses it)."""
    for token in _host_tokens(text):
        opening = token.rfind("[")
        if opening < 0:
            continue
        prefix, inside = token[:opening], token[opening + 1:]
        closing = inside.find("]")
        if closing < 0:
            if newer(version, 23, 2):
                return False
            continue
        if inside[closing + 1:] and not newer(version, 23, 2):
            return False  # 22.05 allows nothing after `]` (24.11 keeps it as a suffix)
        if not all(_host_range(r) for r in inside[:closing].split(",")):
            return False
        outer = prefix.rfind("[")  # one more range in the prefix (`rack[1-2]n[1-4]`)
        if outer >= 0 and "]" in prefix[outer:]:
            if not all(_host_range(r) for r in prefix[outer + 1:prefix.index("]", outer)].split(",")):
                return False
    return True


# -- CPU frequency ------------------------------------------------------------------------------

_FREQ_LOW, _FREQ_MEDIUM, _FREQ_HIGH, _FREQ_HIGHM1 = (0x80000001, 0x80000002, 0x80000003,
                                                     0x80000004)
GOVERNORS = ("conservative", "ondemand", "performance", "powersave", "userspace", "schedutil")
DEFAULT_GOVERNORS = ("ondemand", "performance", "userspace")  # CpuFreqGovernors default


def _governor(text: str, version: SlurmVersion | None = None) -> str | None:
    low = text.lower()
    prefixes = [("co", "conservative"), ("perf", "performance"), ("pow", "powersave"),
                ("user", "userspace"), ("onde", "ondemand")]
    if newer(version, 23, 2):
        prefixes.append(("sche", "schedutil"))
    for prefix, name in prefixes:
        if low.startswith(prefix):
            return name
    return None


def _frequency(text: str, version: SlurmVersion | None = None) -> int:
    low = text.lower()
    for prefix, code in (("lo", _FREQ_LOW), ("him1", _FREQ_HIGHM1), ("highm1", _FREQ_HIGHM1),
                         ("hi", _FREQ_HIGH), ("med", _FREQ_MEDIUM)):
        if low.startswith(prefix):
            return code
    number, rest = strtol(text)  # strtoul; 22.05 ignores trailing text, later releases do not
    number &= 0xFFFFFFFF
    if number and not (rest and newer(version, 23, 2)):
        return number
    raise ValueError(f'unrecognized --cpu-freq argument "{text}"\nInvalid --cpu-freq argument')


def check_cpu_freq(value: str, governors: tuple[str, ...] | None = None,
                   version: SlurmVersion | None = None, default_set: bool | None = None) -> Notes:
    """`p1[-p2][:gov]`; `governors` are the slurm.conf CpuFreqGovernors, None if unknown;
    `default_set`: whether slurm.conf sets CpuFreqDef (None: not known)."""
    text = value or ""
    tail = "\nInvalid --cpu-freq argument"
    colon, dash = text.find(":"), text.find("-")
    p3 = text[colon + 1:] if colon >= 0 else None
    if dash >= 0:
        p1, p2 = text[:dash], (text[dash + 1:colon] if colon >= 0 else text[dash + 1:])
    else:
        p1, p2 = (text[:colon] if colon >= 0 else text), None
    later = newer(version, 23, 2)  # cpu_freq_verify_cmdline as in 24.11 (22.05 observed before)
    chosen = _governor(p1, version)
    if chosen:
        if p3 is not None:
            raise ValueError(f"governor cannot be specified twice {p1}{{-}}:{p3} in --cpu-freq{tail}")
        low = 0xFFFFFFFE  # NO_VAL: a governor is not a frequency
    else:
        low = _frequency(p1, version)
    notes: Notes = []
    if p2 is not None and later and p3 is None and not default_set:
        message = ("You must explicitly choose a governor when defining a range. Please specify "
                   "only one value for the desired frequency (p1) or choose a specific governor (p3).")
        if default_set is False:
            raise ValueError(message + tail)
        notes.append(f"a range needs a governor (`{text}:ondemand`) unless the cluster sets CpuFreqDef: "
                     f"otherwise sbatch says \"{message}\"")
    if p2 is not None and _frequency(p2, version) < low:
        raise ValueError(f"min cpu-frec ({p1}) must be < max cpu-freq ({p2}){tail}")
    if p3 is not None:
        if p2 is None and not later:
            raise ValueError(f"gov on cpu-frec ({p3}) illegal without max{tail}")
        chosen = _governor(p3, version)
        if chosen is None:
            raise ValueError(f"illegal governor: {p3} on --cpu-freq{tail}")
        if later and p2 is None and chosen != "userspace":
            raise ValueError(f"gov on cpu-frec ({p3}) illegal without max{tail}")
        if later and p2 is not None and chosen == "userspace":
            raise ValueError(f"{p3} governor does not support a range. Please specify only one value "
                             f"for the desired frequency (p1) or choose a different governor.{tail}")
    elif later and p2 is None and not chosen:
        chosen = "userspace"  # one frequency: the userspace governor sets it
    if chosen and chosen not in (governors if governors is not None else DEFAULT_GOVERNORS):
        message = f"governor of {text if later else chosen} is not allowed in slurm.conf"
        if governors is None:
            return notes + [f"the default CpuFreqGovernors is {','.join(DEFAULT_GOVERNORS)}: unless "
                            f"your cluster allows {chosen}, sbatch says \"{message}\""]
        raise ValueError(message + tail)
    return notes


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


def check_gres_flags(value: str, version: SlurmVersion | None,
                     multiple_sharing: bool | None = None) -> Notes:
    """22.05: exactly one flag. 23.11+: a comma list read with strtok (empty items skipped),
    each flag checked in turn; `multiple_sharing`: whether slurm.conf's SelectTypeParameters
    has MULTIPLE_SHARING_GRES_PJ (None: not known)."""
    listed = newer(version, 23, 11)
    flags = [f.lower() for f in (value or "").split(",") if f or not listed]
    known = ["disable-binding", "enforce-binding"]
    if listed:
        known += ["one-task-per-sharing", "multiple-tasks-per-sharing"]
    elif len(flags) > 1:
        raise ValueError("Invalid --gres-flags specification")  # 22.05 reads exactly one flag
    for flag in flags:
        if flag == "allow-task-sharing":
            raise ValueError("--gres-flags=allow-task-sharing is only used with srun.")
        if flag not in known:
            raise ValueError("Invalid --gres-flags specification" + (f": {flag}" if listed else ""))
    for pair in (("disable-binding", "enforce-binding"),
                 ("one-task-per-sharing", "multiple-tasks-per-sharing")):
        if pair[0] in flags and pair[1] in flags:
            raise ValueError(f"Invalid --gres-flags combo: {pair[0]} and {pair[1]} are mutually "
                             "exclusive.")
    if "one-task-per-sharing" in flags and not multiple_sharing:
        message = ("In order to use --gres-flags=one-task-per-sharing you must also have "
                   "SelectTypeParameters=MULTIPLE_SHARING_GRES_PJ in your slurm.conf")
        if multiple_sharing is False:
            raise ValueError(message)
        return [f"unless the cluster's SelectTypeParameters has MULTIPLE_SHARING_GRES_PJ, sbatch "
                f"says \"{message}\""]
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


def check_tres_per_task(value: str, version: SlurmVersion | None = None,
                        cpus_given: bool = False) -> Notes:
    """slurm_opt.c `_validate_tres_per_task` (24.11): an item may not start with a TRES that
    is not per task (mem, node...; a prefix match), and a `cpu` count must be positive (unless
    -c is given too, which is refused anyway). Nothing else is checked on the client."""
    text = value or ""
    low = text.lower()
    for kind in _FORBIDDEN_TRES:
        if low.startswith(kind) or "," + kind in low:
            raise ValueError(f"Invalid TRES for --tres-per-task: {kind}")
    at = low.find("cpu")
    if at >= 0 and not cpus_given:
        number, _ = strtol(text[at + 4:])
        if to_int32(number) <= 0:
            raise ValueError(f"Invalid --tres-per-task=cpu={to_int32(number)}")
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
