"""Check every directive's value the way sbatch does: value kind -> grammar (slurm-facts.md §4).

`value_issues(header, version, settings)` returns one `ValueIssue` per problem:
- `stage="sbatch"`: sbatch refuses the script on the client (what `sbatch --test-only` sees);
- `stage="slurmctld"`: sbatch passes the value on and the controller refuses the job;
- `stage="site"`: sbatch refuses it unless the cluster's configuration allows it, and the
  profile does not say (a GRES name the generic profile does not know);
- `stage="note"`: accepted, but it does not do what it seems to (`category` says how).

Most values are checked by the option's setter as soon as getopt reaches it, so every
occurrence counts. A few (GRES, GPUs, --hint, --propagate, arrays, dependencies) are only
read after all options, so only the occurrence that wins is checked (verified on 22.05).
"""

from __future__ import annotations

import re
from cclint.record import record
from collections.abc import Callable

from cclint.header import grammars as g
from cclint.header.model import Directive, Header
from cclint.spelling import edit_distance
from cclint.header.timespec import parse_datetime
from cclint.header.values import (
    GRES_ERROR, INT_MAX, check_gres_types, format_minutes, newer, parse_count, parse_gpus,
    parse_gpus_per_task, parse_gres, parse_memory, parse_nodes, parse_time, time_seconds,
    tres_gres_items,
)
from cclint.slurm_version import SlurmVersion

# Problems the getopt emulation records that leave the value unread.
_UNREAD = {"unknown", "ambiguous", "srun-only", "missing-value", "no-value-allowed", "early-pass"}


def hint_droppers(version: SlurmVersion | None) -> tuple[str, ...]:
    """Options that make sbatch drop --hint before reading it (facts §5.2): three up to 24.11
    (observed on 22.05 and 24.11), five in 25.11 (observed)."""
    names = ("ntasks-per-core", "threads-per-core", "extra-node-info")
    return names + (("cores-per-socket", "sockets-per-node") if newer(version, 25, 5) else ())


@record(frozen=True)
class ValueIssue:
    directive: Directive
    message: str  # sbatch's or slurmctld's own words (may hold several lines)
    stage: str  # 'sbatch' | 'slurmctld' | 'note'
    hint: str  # an accepted form, or how to get what was meant
    category: str = ""  # for notes: 'ignored' (dropped without a word) | 'misleading'
    why: str = ""  # what cclint knows beyond sbatch's words (a typo, the cluster's GRES)


class Refused(ValueError):
    """A refusal with more to say than sbatch's words: `why`, a `hint` that replaces the
    accepted form, and a `stage` other than the check's own ('site')."""

    def __init__(self, message: str, why: str = "", hint: str = "", stage: str = ""):
        super().__init__(message)
        self.why, self.hint, self.stage = why, hint, stage


@record(frozen=True)
class Site:
    """What the cluster's slurm.conf says, when a profile knows it (None: not known)."""

    gres_types: tuple[str, ...] | None = None
    gres_complete: bool = False  # gres_types is the whole GresTypes
    cpu_freq_governors: tuple[str, ...] | None = None
    cpu_freq_def: bool | None = None  # CpuFreqDef is set
    multiple_sharing_gres: bool | None = None  # SelectTypeParameters has MULTIPLE_SHARING_GRES_PJ
    stepmgr: bool | None = None  # SlurmctldParameters has enable_stepmgr
    max_array_size: int | None = None


class _Env:
    def __init__(self, d: Directive, version: SlurmVersion | None, site: Site, header: Header):
        self.d, self.version, self.site, self.header = d, version, site, header
        self.option = d.name


Checker = Callable[[str, _Env], list[str]]


def _memory(value: str, env: _Env) -> list[str]:
    mib = parse_memory(value, env.option)
    bare = re.fullmatch(r"\+?[0-9]+", value or "") is not None
    if bare and 0 < mib <= 256:
        return [f"a number without a unit is MiB: --{env.option}={value} asks for {mib} MiB, not "
                f"{mib} GB (write --{env.option}={mib}G for gigabytes)"]
    return []


def _time(value: str, env: _Env) -> list[str]:
    limit = parse_time(value, env.option)
    notes = []
    if limit.negative:
        notes.append(f"a negative time ({value}) is accepted but meaningless")
    elif limit.unlimited:
        # Not capped to the partition's MaxTime: a limit above it is refused or left pending
        # (slurm-facts §4.1, sbatch(1) --time).
        asks = "totals 0, which means no time limit at all" \
            if value.lower() not in ("infinite", "unlimited", "-1") else "asks for no time limit"
        notes.append(f"--{env.option}={value} {asks}: where the partition has a maximum time "
                     "(every partition of the Alliance clusters has one), the job is refused or "
                     "stays pending forever")
    elif limit.form == "M:S":
        minutes, seconds = (int(p or 0) for p in value.split(":"))
        if minutes < 10:
            notes.append(f"--{env.option}={value} is {minutes} min {seconds} s (MM:SS), not "
                         f"{minutes} h {seconds:02d} min; write --{env.option}="
                         f"{minutes:02d}:{seconds:02d}:00 for hours")
    return notes


def _count(value: str, env: _Env) -> list[str]:
    zero = env.option in ("core-spec", "wait-all-nodes")
    number = parse_count(value, env.option, allow_zero=zero, version=env.version)
    if env.option == "wait-all-nodes" and number > 1:
        raise ValueError("Invalid --wait-all-nodes specification")
    if number >= INT_MAX:
        return [f"{number} does not fit in a C int: Slurm {env.version} keeps a truncated number"]
    return []


def _nodes(value: str, env: _Env) -> list[str]:
    parse_nodes(value, env.version)
    return []


# Resources people ask for with --gres that are not GRES at all.
_NOT_GRES = {"cpu": "--cpus-per-task=4", "cpus": "--cpus-per-task=4", "mem": "--mem=16G", "memory": "--mem=16G",
             "node": "--nodes=2", "nodes": "--nodes=2"}


def _check_gres_names(items, env: _Env) -> None:
    """Each name must be one of the cluster's GresTypes, exactly (sbatch's `_get_next_gres`)."""
    known = env.site.gres_types
    for name in dict.fromkeys(i.name for i in items):
        if known is None or name in known:
            continue
        listed = ", ".join(known) or "none"
        value = env.d.value or ""
        if name.lower() in _NOT_GRES:
            example = _NOT_GRES[name.lower()]
            raise Refused(GRES_ERROR, f"`{name}` is not a generic resource",
                          f"{example.partition('=')[0]} instead, e.g. `{example}`")
        meant = next((k for k in known if name.lower() == k.lower()
                      or (len(k) >= 3 and edit_distance(name.lower(), k.lower()) == 1)), None)
        if meant is not None and env.option == "gres":
            fixed = re.sub(rf"(^|,)(gres/)?{re.escape(name)}(?=[:=,]|$)", rf"\g<1>\g<2>{meant}", value)
            raise Refused(GRES_ERROR, f"there is no GRES named `{name}`: did you mean `{meant}`?",
                          f"`--gres={fixed}` (GRES names are case-sensitive)")
        if env.site.gres_complete:
            raise Refused(GRES_ERROR, f"the cluster defines no GRES named `{name}` (its GRES: {listed})")
        raise Refused(GRES_ERROR, f"sbatch refuses it unless the cluster defines a GRES named `{name}` "
                      f"(GresTypes in its slurm.conf), and the profile only knows {listed}",
                      "the name as `sbatch --gres=help` lists it on the cluster (or give --cluster)",
                      stage="site")


def _gres_help(value: str, env: _Env) -> list[str]:
    if (value or "").lower() in ("help", "list"):
        raise ValueError(f"--gres={value} prints the configured GRES and exits without submitting")
    return []


def _gres(value: str, env: _Env) -> list[str]:
    if (value or "").lower() in ("help", "list"):
        return []  # reported by _gres_help, where it happens
    notes: list[str] = []
    items = parse_gres(value, env.version, notes)
    _check_gres_names(items, env)
    check_gres_types(items)
    return notes


def _gpus(value: str, env: _Env) -> list[str]:
    notes: list[str] = []
    parse = parse_gpus_per_task if env.option == "gpus-per-task" else parse_gpus
    items = parse(value, env.version, notes)
    _check_gres_names(items, env)
    check_gres_types(items)
    if any(i.type.lower() == "gpu" for i in items):
        meant = ",".join(i.type == "gpu" and str(i.count) or f"{i.type}:{i.count}" for i in items)
        notes.append(f"--{env.option}={value} asks for GPUs of a *type* named 'gpu'; write "
                     f"--{env.option}={meant}")
    return notes


def _tres_list(value: str, env: _Env) -> list[str]:
    g.check_tres_per_task(value, env.version, env.header.get("cpus-per-task", env.d.component) is not None)
    _check_gres_names(tres_gres_items(value, env.version), env)
    return []


def _datetime(value: str, env: _Env) -> list[str]:
    parse_datetime(value, env.option, env.version)
    return []


def _array(value: str, env: _Env) -> list[str]:
    size = env.site.max_array_size or g.DEFAULT_MAX_ARRAY_SIZE
    try:
        g.parse_array(value, size)
    except ValueError:
        if env.site.max_array_size is None:
            g.parse_array(value, 2**31)  # a syntax error: refused everywhere
            return [f"an index of {value} is above 1000, the default MaxArraySize - 1: unless your "
                    "cluster raised MaxArraySize, the job is refused at submission "
                    f"(\"{g.ARRAY_ERROR}\")"]
        raise
    return []


def _exclusive(value: str, env: _Env) -> list[str]:
    allowed = ["", "user", "mcs", "exclusive", "oversubscribe"]
    if newer(env.version, 24, 5):
        allowed.append("topo")
    if newer(env.version, 26, 5):
        allowed.append("allocation")
    if value.lower() not in allowed:
        raise ValueError("Invalid --exclusive specification")
    return []


def _enum(name: str, words: tuple[str, ...], message: str) -> Checker:
    def check(value: str, env: _Env) -> list[str]:
        if (value or "").lower() not in words:
            raise ValueError(message)
        return []
    check.__name__ = name
    return check


def _requeue(value: str, env: _Env) -> list[str]:
    """25.11 takes a value (older releases refuse one: unknown-option's getopt emulation)."""
    if value.lower() == "expedite":
        return []
    return [f"only `expedite` means something: sbatch reads --requeue={value} as --requeue"]


def _open_mode(value: str, env: _Env) -> list[str]:
    first = (value or "")[:1].lower()
    if first not in ("a", "t"):
        raise ValueError("Invalid --open-mode specification")
    if value.lower() not in ("append", "truncate"):
        word = "append" if first == "a" else "truncate"
        return [f"only the first letter counts: sbatch reads --open-mode={value} as {word}"]
    return []


def _filename(value: str, env: _Env) -> list[str]:
    return g.check_filename(value, env.version)


def _signal(value: str, env: _Env) -> list[str]:
    g.parse_signal(value, env.version)
    return []


def _simple(check: Callable[[str], list[str]]) -> Checker:
    return lambda value, env: check(value)


def _versioned(check: Callable[[str, SlurmVersion | None], list[str]]) -> Checker:
    return lambda value, env: check(value, env.version)


def _delay_boot(value: str, env: _Env) -> list[str]:
    time_seconds(value, env.option)
    return []


def _resv_ports(value: str, env: _Env) -> list[str]:
    if value:
        parse_count(value, env.option, allow_zero=True, version=env.version)
    return []


def _hint(value: str, env: _Env) -> list[str]:
    if any(env.header.get(name, env.d.component) for name in hint_droppers(env.version)):
        return []  # dropped before it is read (see the ignored-option rule)
    return g.check_hint(value)


def _propagate(value: str, env: _Env) -> list[str]:
    if env.header.get("get-user-env", env.d.component) is not None:
        return []  # sbatch leaves the limits alone then, and never reads the value (22.05)
    return g.check_propagate(value)


def _cpu_freq(value: str, env: _Env) -> list[str]:
    return g.check_cpu_freq(value, env.site.cpu_freq_governors, env.version, env.site.cpu_freq_def)


def _gres_flags(value: str, env: _Env) -> list[str]:
    return g.check_gres_flags(value, env.version, env.site.multiple_sharing_gres)


def _nodelist(value: str, env: _Env) -> list[str]:
    if "/" in value or "{" in value or g.hostlist_valid(value, env.version):
        return []  # a host file (read by sbatch, not here), or a list it reads
    raise ValueError("Invalid node list specified" if newer(env.version, 23, 2)
                     else "memory allocation failure")  # 22.05's words


def _autocomplete(value: str, env: _Env) -> list[str]:
    raise ValueError("--autocomplete prints the option names that start with its value and exits "
                     "without submitting")


# kind (or option name) -> (checker, when: 'each' occurrence or only the 'final' one, stage)
CHECKS: dict[str, tuple[Checker, str, str]] = {
    "gres-help": (_gres_help, "each", "sbatch"),  # the setter acts at once: prints, exits 0
    "time": (_time, "each", "sbatch"),
    "memory": (_memory, "each", "sbatch"),
    "count": (_count, "each", "sbatch"),
    "node-count-range": (_nodes, "each", "sbatch"),
    "gres": (_gres, "final", "sbatch"),
    "gpus-spec": (_gpus, "final", "sbatch"),
    "datetime": (_datetime, "each", "sbatch"),
    "array": (_array, "final", "slurmctld"),
    "dependency": (_simple(g.check_dependency), "final", "slurmctld"),
    "signal": (_signal, "each", "sbatch"),
    "mail-type": (_simple(g.check_mail_type), "each", "sbatch"),
    "distribution": (_simple(g.check_distribution), "each", "sbatch"),
    "filename-pattern": (_filename, "each", "sbatch"),
    "acctg-freq": (_simple(g.check_acctg_freq), "each", "sbatch"),
    "cpu-freq": (_cpu_freq, "each", "sbatch"),
    "mem-bind": (_versioned(g.check_mem_bind), "each", "sbatch"),
    "tres-bind-type": (_versioned(g.check_gpu_bind), "each", "sbatch"),
    "gpu-freq": (_simple(g.check_gpu_freq), "each", "sbatch"),
    "socket-core-thread": (_simple(g.check_extra_node_info), "each", "sbatch"),
    "license-list": (_simple(g.check_licenses), "final", "slurmctld"),
    "tres-list": (_tres_list, "each", "sbatch"),
    "margin-at-time": (_simple(g.check_mem_update), "each", "sbatch"),
    "count-at-time": (_versioned(g.check_switches), "each", "sbatch"),
    "signed-int-optional": (_simple(g.check_nice), "each", "sbatch"),
    "int-or-TOP": (_simple(g.check_priority), "each", "sbatch"),
    "rlimit-list-optional": (_propagate, "final", "sbatch"),
    # option-specific checks for the generic kinds 'enum', 'enum-list', 'enum-optional'...
    "exclusive": (_exclusive, "each", "sbatch"),
    "no-kill": (_enum("no_kill", ("", "off", "no", "set"), "Invalid --no-kill specification"),
                "each", "sbatch"),
    "requeue": (_requeue, "each", "sbatch"),
    "oom-kill-step": (_enum("oom", ("0", "1"), "Invalid --oom-kill-step specification"),
                      "each", "sbatch"),
    "kill-on-invalid-dep": (_enum("kill", ("yes", "no"), "Invalid --kill-on-invalid-dep specification"),
                            "each", "sbatch"),
    "open-mode": (_open_mode, "each", "sbatch"),
    "hint": (_hint, "final", "sbatch"),
    "profile": (_simple(g.check_profile), "each", "sbatch"),
    "gres-flags": (_gres_flags, "each", "sbatch"),
    "nodelist": (_nodelist, "each", "sbatch"),
    "autocomplete": (_autocomplete, "each", "sbatch"),
    "get-user-env": (_simple(g.check_get_user_env), "each", "sbatch"),
    "delay-boot": (_delay_boot, "each", "sbatch"),
    "resv-ports": (_resv_ports, "each", "sbatch"),
    "segment": (_simple(g.check_segment), "each", "sbatch"),
    "wait-all-nodes": (_count, "each", "sbatch"),
}
_BY_OPTION = {"exclusive", "no-kill", "requeue", "oom-kill-step", "kill-on-invalid-dep",
              "open-mode", "hint", "profile", "gres-flags", "get-user-env", "delay-boot",
              "resv-ports", "segment", "wait-all-nodes", "nodelist", "autocomplete"}


def checkers_for(d: Directive) -> list[tuple[Checker, str, str]]:
    if d.spec is None:
        return []
    if d.name in CHECKS and d.name in _BY_OPTION:
        return [CHECKS[d.name]]
    if d.name == "gres":
        return [CHECKS["gres-help"], CHECKS["gres"]]
    return [CHECKS[d.spec.kind]] if d.spec.kind in CHECKS else []


def readable(d: Directive) -> bool:
    """sbatch's setter sees this occurrence's value."""
    return d.spec is not None and (d.problem is None or d.problem.kind not in _UNREAD)


def value_issues(header: Header, version: SlurmVersion | None, site: Site | None = None) -> list[ValueIssue]:
    site = site or Site()
    issues: list[ValueIssue] = []
    for d in header.directives:
        if not readable(d) or (d.value is None and d.spec.arg != "required"):
            continue  # unread, or an optional argument left out (the default)
        for check, when, stage in checkers_for(d):
            if when == "final" and header.get(d.name, d.component) is not d:
                continue
            value = d.value or ""
            if stage == "slurmctld" and "$" in value:
                continue  # never expanded: variable-in-directive explains it
            try:
                notes = check(value, _Env(d, version, site, header))
            except ValueError as exc:
                more = exc if isinstance(exc, Refused) else Refused(str(exc))
                issues.append(ValueIssue(d, str(exc), more.stage or stage, more.hint or accepted_form(d, version),
                                         why=more.why))
                break
            issues += _notes(d, notes, version)
    return issues


def _notes(d: Directive, notes: list[str], version: SlurmVersion | None) -> list[ValueIssue]:
    out = []
    for note in notes:
        category = "ignored" if isinstance(note, g.Dropped) else "misleading"
        out.append(ValueIssue(d, str(note), "note", accepted_form(d, version), category))
    return out


# -- what to write instead -----------------------------------------------------------------

_UNITS = {"s": 1 / 60, "sec": 1 / 60, "m": 1, "min": 1, "mins": 1, "minutes": 1, "h": 60,
          "hr": 60, "hrs": 60, "hour": 60, "hours": 60, "d": 1440, "day": 1440, "days": 1440}

_FORMS = {
    "count": "a whole number of at least 1, e.g. --{o}=4",
    "node-count-range": "a node count or a range, e.g. --{o}=2 or --{o}=2-4",
    "gres": "name[:type][:count], e.g. --{o}=gpu:1 or --{o}=gpu:a100:2",
    "gpus-spec": "[type:]count, e.g. --{o}=1 or --{o}=a100:2",
    "datetime": "e.g. --{o}=now+1hour, --{o}=16:00, --{o}=tomorrow or --{o}=2025-06-30T08:00:00",
    "array": "ranges with an optional step and throttle, e.g. --{o}=0-99%10 (indexes 0 to 1000 by default)",
    "dependency": "type:jobid[:jobid...], e.g. --{o}=afterok:123456 (types: after, afterany, afterok, "
                  "afternotok, aftercorr, singleton)",
    "signal": "[B:]SIGNAL[@seconds], e.g. --{o}=B:USR1@300 (names: " + ", ".join(g.SIGNALS) + ")",
    "mail-type": "a comma list of " + ", ".join(g.MAIL_TYPES) + ", e.g. --{o}=END,FAIL",
    "distribution": "block|cyclic|arbitrary|plane=N, optionally :block|cyclic|fcyclic and ,pack, "
                    "e.g. --{o}=block:cyclic",
    "filename-pattern": "a path with %j (job id), %x (job name), %A/%a (array), e.g. --{o}=logs/%x-%j.out",
    "acctg-freq": "seconds, or task=N,energy=N,network=N,filesystem=N, e.g. --{o}=30",
    "cpu-freq": "low|medium|high|highm1|<kHz>, optionally -<max>[:governor], e.g. --{o}=high",
    "mem-bind": "[quiet|verbose,]none|rank|local|map_mem:<list>|mask_mem:<list>, e.g. --{o}=local",
    "tres-bind-type": "[verbose,]closest|none|single:N|per_task:N|map_gpu:<list>|mask_gpu:<list>, "
                      "e.g. --{o}=closest",
    "gpu-freq": "low|medium|high|highm1|<MHz>, optionally memory=<level>, e.g. --{o}=high",
    "socket-core-thread": "sockets[:cores[:threads]], each a number, min-max or *, e.g. --{o}=2:8:1",
    "tres-list": "cpu=N,gres/gpu[:type]=N, e.g. --{o}=cpu=4",
    "margin-at-time": "MARGIN@DELAY, e.g. --{o}=10@30",
    "count-at-time": "count[@max-wait], e.g. --{o}=1@1:00:00",
    "signed-int-optional": "a whole number attached with '=', e.g. --{o}=10",
    "int-or-TOP": "a whole number from 0 or TOP, e.g. --{o}=100",
    "rlimit-list-optional": "ALL, NONE or names from " + ",".join(g.RLIMITS) + ", e.g. --{o}=STACK",
    "license-list": "name[:count] joined by ',' (all) or '|' (any), not both, e.g. --{o}=matlab:1",
    "exclusive": "--exclusive alone, or --exclusive=user or --exclusive=mcs",
    "no-kill": "--no-kill alone, or --no-kill=off",
    "requeue": "--requeue alone, or --requeue=expedite (25.11+)",
    "oom-kill-step": "--oom-kill-step, --oom-kill-step=0 or --oom-kill-step=1",
    "kill-on-invalid-dep": "--kill-on-invalid-dep=yes or --kill-on-invalid-dep=no",
    "open-mode": "--open-mode=append or --open-mode=truncate",
    "hint": "compute_bound, memory_bound, multithread or nomultithread, e.g. --hint=nomultithread",
    "profile": "all, none, or a comma list of energy, task, lustre, network, e.g. --profile=task",
    "gres-flags": "--gres-flags=enforce-binding or --gres-flags=disable-binding",
    "get-user-env": "--get-user-env, or (up to 24.11) --get-user-env=10L",
    "delay-boot": "minutes or [D-]HH:MM:SS, e.g. --delay-boot=10",
    "resv-ports": "--resv-ports or --resv-ports=N",
    "segment": "a whole number from 1 to 65535, e.g. --segment=4",
    "wait-all-nodes": "--wait-all-nodes=0 or --wait-all-nodes=1",
}


def value_form(spec) -> str | None:
    """The accepted form of an option's value in general (editor hovers), None if unknown."""
    if spec.kind == "time" or spec.long == "delay-boot":
        return f"minutes, MM:SS, HH:MM:SS or D-HH:MM:SS, e.g. --{spec.long}=01:30:00 (a bare number is minutes)"
    if spec.kind == "memory":
        return f"a whole number with K, M, G or T, e.g. --{spec.long}=4G (a bare number is MiB)"
    form = _FORMS.get(spec.long) or _FORMS.get(spec.kind)
    return form.replace("{o}", spec.long) if form else None


def suggested_value(d: Directive) -> str | None:
    """What the student evidently meant, when a refused value says it (`90m`, `4.5G`)."""
    kind = d.spec.kind if d.spec else ""
    if kind == "time" and d.name != "delay-boot":
        guess = _guess_minutes(d.value or "")
        return format_minutes(guess) if guess is not None else None
    if kind == "memory":
        return _guess_memory(d.value or "")
    return None


def accepted_form(d: Directive, version: SlurmVersion | None) -> str:
    """What sbatch accepts for this option, from the bad value when it can be guessed."""
    kind = d.spec.kind if d.spec else ""
    option = d.name
    guess = suggested_value(d)
    if kind == "time" or option == "delay-boot":
        if guess is not None:
            return f"--{option}={guess} (minutes, MM:SS, HH:MM:SS or D-HH:MM:SS)"
        return f"minutes, MM:SS, HH:MM:SS or D-HH:MM:SS, e.g. --{option}=01:30:00 (a bare number is minutes)"
    if kind == "memory":
        if guess:
            return f"--{option}={guess} (a whole number with K, M, G or T; binary units)"
        return f"a whole number with K, M, G or T, e.g. --{option}=4G (a bare number is MiB)"
    form = _FORMS.get(option) or _FORMS.get(kind) or "see `sbatch --help` for the accepted form"
    return form.replace("{o}", option)


def _guess_minutes(value: str) -> int | None:
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]+)\s*", value)
    if match and match.group(2).lower() in _UNITS:
        minutes = float(match.group(1)) * _UNITS[match.group(2).lower()]
        return max(1, round(minutes))
    match = re.fullmatch(r"([0-9]+)h([0-9]+)m?", value.lower())
    if match:
        return int(match.group(1)) * 60 + int(match.group(2))
    return None


def _guess_memory(value: str) -> str | None:
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtT])(?:i?[bB])?\s*", value)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2).upper()
    if number == int(number):
        return f"{int(number)}{unit}"
    smaller = {"T": "G", "G": "M", "M": "K"}.get(unit)
    if smaller is None:
        return None
    return f"{round(number * 1024)}{smaller}"
