"""What a profile file may contain, and how its values are read.

`check(data)` lists every problem of one file as (key path, message), so that the loader
can point at the file and line; `build(data)` turns the merged, checked data of a chain of
files into a `Profile`. Every value may be `null`: it means "not known for this cluster"
and, in a profile that `extends` another, removes the inherited value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cclint.header.values import parse_memory, parse_time
from cclint.profile import (
    AccountPolicy, GpuModel, GpuPolicy, GpuSlice, GresPolicy, NodePolicy, NodeType, PartitionLimit,
    PartitionPolicy, Profile, TimePolicy,
)
from cclint.slurm_version import SlurmVersion
from cclint.spelling import closest

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
if TYPE_CHECKING:
    from typing import Any

Path = tuple[str, ...]
Problem = tuple[Path, str]

SEVERITIES = ("error", "warning", "info", "off")
STATUSES = ("active", "policy", "retired")
# Keys that describe one file and are never inherited through `extends`.
OWN_KEYS = ("name", "extends", "description", "status", "retired")


class Spec:
    what = "a value"

    def check(self, value: Any, path: Path) -> Iterator[Problem]:
        raise NotImplementedError


class Str(Spec):
    what = "a string"

    def __init__(self, pattern: str | None = None, what: str | None = None):
        self.pattern = re.compile(pattern) if pattern else None
        if what:
            self.what = what

    def check(self, value, path):
        if not isinstance(value, str):
            yield path, f"expected {self.what}, got {_shown(value)}"
        elif self.pattern is not None and not self.pattern.fullmatch(value):
            yield path, f"expected {self.what}, got {value!r}"


class Bool(Spec):
    def check(self, value, path):
        if not isinstance(value, bool):
            yield path, f"expected true or false, got {_shown(value)}"


class Int(Spec):
    def __init__(self, minimum: int = 1):
        self.minimum = minimum

    def check(self, value, path):
        if isinstance(value, bool) or not isinstance(value, int):
            yield path, f"expected a whole number, got {_shown(value)}"
        elif value < self.minimum:
            yield path, f"expected a number of at least {self.minimum}, got {value}"


class Choice(Spec):
    def __init__(self, *choices: str):
        self.choices = choices

    def check(self, value, path):
        if value not in self.choices:
            yield path, f"expected one of {', '.join(self.choices)}, got {_shown(value)}"


class SeverityValue(Choice):
    """error | warning | info | off (YAML 1.1 readers turn a bare `off` into false: accepted)."""

    def __init__(self):
        super().__init__(*SEVERITIES)

    def check(self, value, path):
        if value is not False:
            yield from super().check(value, path)


class Parsed(Spec):
    """A value that one of cclint's own parsers must accept (the parser's error is the message)."""

    def __init__(self, parse):
        self.parse = parse

    def check(self, value, path):
        try:
            self.parse(value)
        except ValueError as exc:
            yield path, str(exc)


def Time() -> Parsed:  # noqa: N802 - reads like the other specs in the tables below
    """A walltime as --time takes it (`7-00:00:00`, `24:00:00`, `15`), or minutes as a number."""
    return Parsed(lambda value: minutes(value))  # defined below


def Memory() -> Parsed:  # noqa: N802
    """A size as --mem takes it (`750G`, `4000M`), or MiB as a number."""
    return Parsed(lambda value: mebibytes(value))


def Version() -> Parsed:  # noqa: N802
    return Parsed(lambda value: version(value))


class ListOf(Spec):
    def __init__(self, item: Spec):
        self.item = item

    def check(self, value, path):
        if not isinstance(value, list):
            yield path, f"expected a list, got {_shown(value)}"
            return
        for k, item in enumerate(value):
            if item is None:
                yield path + (str(k),), "empty list item"
            else:
                yield from self.item.check(item, path + (str(k),))


class MapOf(Spec):
    """A mapping whose keys are names chosen by the profile (GPU models, partitions, rules)."""

    def __init__(self, value: Spec, key: Str | None = None):
        self.value, self.key = value, key or Str(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", "a name")

    def check(self, value, path):
        if not isinstance(value, dict):
            yield path, f"expected a mapping, got {_shown(value)}"
            return
        for key, item in value.items():
            here = path + (str(key),)
            problems = list(self.key.check(key, here))
            if problems:
                yield here, f"bad key: {problems[0][1]}"
            elif item is not None:
                yield from self.value.check(item, here)


class Map(Spec):
    """A mapping with fixed keys: an unknown key is an error (with the closest known key)."""

    def __init__(self, fields: dict[str, Spec]):
        self.fields = fields

    def check(self, value, path):
        if not isinstance(value, dict):
            yield path, f"expected a mapping, got {_shown(value)}"
            return
        for key, item in value.items():
            here = path + (str(key),)
            spec = self.fields.get(key) if isinstance(key, str) else None
            if spec is None:
                close = closest(str(key), self.fields)
                hint = f" (did you mean {close!r}?)" if close else \
                    f" (known keys: {', '.join(self.fields)})"
                yield here, f"unknown key {key!r}{hint}"
            elif item is not None:
                yield from spec.check(item, here)


URL = Str(r"https?://\S+", "an http(s) URL")
NAME = Str(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", "a profile name")
PREFIX = Str(r"[A-Za-z0-9][A-Za-z0-9_-]*", "an account prefix such as def-")
RULE = Str(r"[A-Za-z]+(-[A-Za-z]+)*|CC\d{3}|cc\d{3}", "a rule name or code")

PARTITION_LIMIT = Map({"cpus": Int(), "memory": Memory(), "gpus": Int(0), "time": Time()})
GPU_MODEL = Map({
    "description": Str(), "aliases": ListOf(Str()), "per_node": Int(), "counts": ListOf(Int()),
    "cores": Int(), "memory": Memory(), "node": Map({"cores": Int(), "memory": Memory()}),
})
GPU_SLICE = Map({"of": Str(), "aliases": ListOf(Str()), "cores": Int(), "memory": Memory()})

SCHEMA = Map({
    "name": NAME,
    "extends": Str(what="a profile name or a path to a .yaml file"),
    "description": Str(),
    "status": Choice(*STATUSES),
    "url": URL,
    "slurm_version": Version(),
    "internet": Bool(),
    "wheelhouse": Bool(),
    "notes": Str(),
    "severity": MapOf(SeverityValue(), key=RULE),
    "time": Map({"max": Time(), "min": Time(), "min_test": Time(), "required": Bool(), "url": URL}),
    "account": Map({"required": Bool(), "prefixes": ListOf(PREFIX), "url": URL}),
    "partitions": Map({
        "policy": Choice("discouraged", "normal"), "allowed": ListOf(Str()),
        "limits": MapOf(PARTITION_LIMIT), "url": URL,
    }),
    "gpus": Map({
        "models": MapOf(GPU_MODEL), "slices": MapOf(GPU_SLICE), "max_slices_per_job": Int(),
        "retired": MapOf(Str()), "url": URL,
    }),
    "nodes": Map({
        "types": MapOf(Map({"cores": Int(), "memory": Memory()})), "complete": Bool(),
        "memory_ignored": Bool(), "whole": Bool(), "url": URL,
    }),
    "gres": Map({"types": ListOf(Str(r"[A-Za-z0-9_]+", "a GRES name such as gpu")), "complete": Bool(),
                 "url": URL}),
    "retired": Map({"since": Str(), "replaced_by": NAME, "note": Str(), "suggested": ListOf(NAME)}),
    # What a cluster was (retired clusters with no successor keep their own facts):
    "schedulers": ListOf(Map({"name": Str(), "period": Str(), "submit": Str()})),
    "storage": MapOf(Map({"kind": Choice("node-local", "shared"), "description": Str()}),
                     key=Str(r"\$?[A-Za-z_][A-Za-z0-9_]*", "a variable name such as $LSCRATCH")),
})
RETIRED_KEYS = {"name", "description", "status", "url", "retired", "notes"}


def check(data: Any) -> list[Problem]:
    """Every problem of one profile file, before merging."""
    if not isinstance(data, dict):
        return [((), f"a profile is a mapping of keys (name:, extends:, time:, ...), got {_shown(data)}")]
    problems = list(SCHEMA.check(data, ()))
    retired = data.get("retired")
    if retired is not None:
        replaced = isinstance(retired, dict) and retired.get("replaced_by")
        for key in data if replaced else ():
            if key not in RETIRED_KEYS:
                problems.append(((str(key),), "a retired cluster's profile only names its replacement "
                                  "(retired: {since, replaced_by, note}); put limits in the replacement"))
        if not replaced and not (isinstance(retired, dict) and retired.get("suggested")):
            problems.append((("retired",), "retired: needs replaced_by: NAME, or, when no successor is "
                             "documented, suggested: [NAMES] (and the cluster's own facts)"))
    return problems


def check_merged(data: dict) -> list[Problem]:
    """Problems that show only once the chain is merged (references between sections)."""
    problems: list[Problem] = []
    gpus = data.get("gpus") or {}
    models = {k for k, v in (gpus.get("models") or {}).items() if v is not None}
    for name, piece in (gpus.get("slices") or {}).items():
        if piece is None:
            continue
        of = piece.get("of")
        if not of:
            problems.append((("gpus", "slices", name), "a slice needs of: MODEL (the GPU it is cut from)"))
        elif of not in models:
            problems.append((("gpus", "slices", name, "of"),
                             f"{of!r} is not one of the GPU models of this profile ({', '.join(sorted(models)) or 'none'})"))
    for name, model in (gpus.get("models") or {}).items():
        if not model:
            continue
        per_node = model.get("per_node")
        for count in model.get("counts") or []:
            if per_node and count > per_node:
                problems.append((("gpus", "models", name, "counts"),
                                 f"{count} GPUs per node is more than per_node ({per_node})"))
    return problems


# -- values ---------------------------------------------------------------------------------

def minutes(value: Any) -> int | None:
    return _amount(value, _time_minutes, "number of minutes", "a time such as 7-00:00:00 or 24:00:00",
                   "a time such as 7-00:00:00, 24:00:00 or 15 (minutes)", "time")


def mebibytes(value: Any) -> int | None:
    return _amount(value, lambda text: parse_memory(text.strip()), "size in MiB",
                   "a size such as 750G or 4000M", "a size such as 750G or 4000M (Slurm units: G = GiB)",
                   "size")


def _time_minutes(text: str) -> int:
    limit = parse_time(text)
    return -1 if limit.negative else limit.minutes


def _amount(value: Any, parse, unit: str, example: str, example_text: str, noun: str) -> int | None:
    """A positive limit: a plain number of `unit`, or text in Slurm's syntax read by `parse`."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected {example}, got {value}")
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"expected a positive {unit}, got {value}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected {example}, got {_shown(value)}")
    try:
        amount = parse(value)
    except ValueError:
        raise ValueError(f"expected {example_text}, got {value!r}") from None
    if amount <= 0:
        raise ValueError(f"expected a positive {noun}, got {value!r}")
    return amount


def version(value: Any) -> SlurmVersion | None:
    if value is None:
        return None
    if isinstance(value, float):  # `slurm_version: 23.02` unquoted: YAML reads a number
        value = f"{value:.2f}"
    if not isinstance(value, str):
        raise ValueError(f"expected a Slurm release such as '24.11', got {_shown(value)}")
    return SlurmVersion.parse(value)


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


# -- building the Profile -----------------------------------------------------------------------

def _section(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _strings(value) -> tuple[str, ...]:
    return tuple(str(v) for v in value or () if v is not None)


def build(data: dict, *, name: str, severity: dict[str, str], source: str = "",
          chain: tuple[str, ...] = (), warnings: tuple[str, ...] = ()) -> Profile:
    """A Profile from merged, checked data (`severity` already resolved to rule names)."""
    t = _section(data, "time")
    a = _section(data, "account")
    p = _section(data, "partitions")
    g = _section(data, "gpus")
    n = _section(data, "nodes")
    r = _section(data, "gres")
    limits = {
        key: PartitionLimit(key, v.get("cpus"), mebibytes(v.get("memory")), v.get("gpus"), minutes(v.get("time")))
        for key, v in (p.get("limits") or {}).items() if v is not None
    }
    models = {}
    for key, v in (g.get("models") or {}).items():
        if v is None:
            continue
        node = v.get("node") or {}
        models[key] = GpuModel(
            name=key, description=v.get("description") or "", aliases=_strings(v.get("aliases")),
            per_node=v.get("per_node"), counts=tuple(sorted(set(v.get("counts") or ()))),
            cores=v.get("cores"), memory=mebibytes(v.get("memory")),
            node_cores=node.get("cores"), node_memory=mebibytes(node.get("memory")))
    slices = {
        key: GpuSlice(key, v.get("of") or "", _strings(v.get("aliases")), v.get("cores"), mebibytes(v.get("memory")))
        for key, v in (g.get("slices") or {}).items() if v is not None
    }
    return Profile(
        name=name,
        description=data.get("description") or "",
        status=data.get("status") or "active",
        url=data.get("url") or "",
        slurm_version=version(data.get("slurm_version")),
        internet=data.get("internet"),
        wheelhouse=bool(data.get("wheelhouse")),
        severity=severity,
        time=TimePolicy(minutes(t.get("max")), minutes(t.get("min")), minutes(t.get("min_test")),
                        bool(t.get("required")), t.get("url") or ""),
        account=AccountPolicy(bool(a.get("required")), _strings(a.get("prefixes")), a.get("url") or ""),
        partitions=PartitionPolicy(p.get("policy"), _strings(p.get("allowed")), limits, p.get("url") or ""),
        gpus=GpuPolicy(models, slices, g.get("max_slices_per_job"),
                       {k: str(v) for k, v in (g.get("retired") or {}).items() if v is not None},
                       g.get("url") or ""),
        nodes=NodePolicy(
            {k: NodeType(k, v.get("cores"), mebibytes(v.get("memory")))
             for k, v in (n.get("types") or {}).items() if v is not None},
            bool(n.get("complete")), bool(n.get("memory_ignored")), bool(n.get("whole")), n.get("url") or ""),
        gres=GresPolicy(_strings(r["types"]) if r.get("types") is not None else None,
                        bool(r.get("complete")), r.get("url") or ""),
        notes=data.get("notes") or "",
        data=data,
        source=source,
        chain=chain,
        warnings=warnings,
    )
