"""The sbatch option table and a faithful emulation of glibc `getopt_long` over it.

The table is package data (`cclint/data/sbatch-options.tsv`, read from the Slurm source for
every release from 20.11 to the development branch). `parse_argv` walks the words of all
directive lines as one argv, the way sbatch does (slurm-facts.md §1.2, §2.3, §2.4), but
unlike sbatch it does not stop at the first problem: every problem is recorded on the
occurrence it belongs to, so a linter can report all of them.
"""

from __future__ import annotations

import functools
import os
from cclint.record import record

from cclint.slurm_version import SlurmVersion, release

# Options whose presence depends on the Slurm release (facts §1.4, §6); inclusive bounds.
_SINCE = {
    "container": (21, 8), "context": (21, 8), "prefer": (22, 5), "autocomplete": (23, 2),
    "container-id": (23, 2), "extra": (23, 2), "tres-per-task": (23, 2), "tres-bind": (23, 11),
    "resv-ports": (24, 5), "segment": (24, 5), "stepmgr": (24, 5), "oom-kill-step": (24, 11),
    "external": (25, 5), "resources": (25, 11), "spread-segments": (25, 11),
    "consolidate-segments": (25, 11), "mem-update": (26, 5), "container-type": (26, 5),
    "runtime": (26, 11),
}
_UNTIL = {"power": (23, 11), "container-type": (26, 5)}
_MISSING_IN = {"export-file": {(23, 11)}}

# Options that srun or salloc accept but sbatch does not (facts §1.5).
SRUN_ONLY = {
    "accel-bind", "async", "bcast", "bcast-exclude", "compress", "cpu-bind", "cpu_bind",
    "debugger-test", "disable-status", "epilog", "exact", "external-launcher", "het-group",
    "pack-group", "ignore-signals", "immediate", "interactive", "jobid", "kill-on-bad-exit",
    "label", "mpi", "msg-timeout", "multi-prog", "no-allocate", "overlap", "preserve-env",
    "prolog", "pty", "quit-on-interrupt", "relative", "send-libs", "slurmd-debug",
    "task-epilog", "task-prolog", "threads", "treewidth", "unbuffered", "wait-for-children",
    "whole", "x11",
}
SALLOC_ONLY = {"bell", "no-bell", "no-shell", "kill-command"}
# Those of them that take no value (so a word after them is not theirs).
SRUN_FLAGS = {"label", "unbuffered", "pty", "exact", "overlap", "whole", "disable-status",
              "no-allocate", "preserve-env", "quit-on-interrupt", "multi-prog", "interactive",
              "bell", "no-bell", "no-shell", "debugger-test", "wait-for-children",
              "kill-on-bad-exit", "immediate", "x11", "send-libs", "compress",
              "external-launcher", "async"}
SRUN_ONLY_SHORT = {"X": "disable-status", "I": "immediate", "K": "kill-on-bad-exit",
                   "l": "label", "Z": "no-allocate", "E": "preserve-env", "r": "relative",
                   "T": "threads", "u": "unbuffered"}

# Names people write that sbatch never had, with what they meant.
COMMON_MISTAKES = {
    "walltime": "time", "wall-time": "time", "workdir": "chdir", "cwd": "chdir",
    "wd": "chdir", "mem-per-node": "mem", "memory": "mem", "name": "job-name",
    "jobname": "job-name", "licence": "licenses", "share": "oversubscribe",
    "shared": "oversubscribe", "output-file": "output", "error-file": "error",
    "cpu-per-task": "cpus-per-task", "cpus": "cpus-per-task", "ncpus": "cpus-per-task",
    "gpu": "gpus", "ngpus": "gpus", "node": "nodes", "task": "ntasks", "tasks": "ntasks",
    "mail": "mail-type", "email": "mail-user", "queue": "partition", "project": "account",
    "acount": "account", "accout": "account", "time-limit": "time", "timelimit": "time",
}


@record(frozen=True)
class OptionSpec:
    long: str
    short: str  # '' when the option has no short form
    arg: str  # 'required' | 'optional' | 'none'
    kind: str  # value kind, the key of the value validator
    notes: str

    def exists_in(self, version: SlurmVersion | None) -> bool:
        if version is None:
            return self.long not in ("power", "container-type", "runtime")
        key = version.major_minor
        if self.long in _SINCE and key < _SINCE[self.long]:
            return False
        if self.long in _UNTIL and key > _UNTIL[self.long]:
            return False
        return key not in _MISSING_IN.get(self.long, ())

    def arg_in(self, version: SlurmVersion | None) -> str:
        """How getopt takes the value in this release (two options changed, facts §6)."""
        if self.long == "requeue":
            return "optional" if version is None or version.major_minor >= (25, 11) else "none"
        if self.long == "get-user-env":
            return "none" if version is None or version.major_minor >= (25, 5) else "optional"
        return self.arg

    @property
    def display(self) -> str:
        return f"--{self.long}" + (f"/-{self.short}" if self.short else "")


def read_data(name: str) -> str:
    """A file of cclint/data (a plain read: importlib.resources costs 4 ms at start-up)."""
    try:
        with open(os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", name),
                  encoding="utf-8") as fh:
            return fh.read()
    except OSError:  # installed in a zip: ask the import system
        from importlib import resources

        return resources.files("cclint.data").joinpath(name).read_text("utf-8")


@functools.lru_cache(maxsize=1)
def option_table() -> dict[str, OptionSpec]:
    table: dict[str, OptionSpec] = {}
    text = read_data("sbatch-options.tsv")
    for row in text.splitlines():
        if not row or row.startswith("#") or row.startswith("long\t"):
            continue
        cols = (row.split("\t") + [""] * 5)[:5]
        table[cols[0]] = OptionSpec(*cols)
    return table


@functools.lru_cache(maxsize=8)
def _tables(version: SlurmVersion | None) -> tuple[dict[str, OptionSpec], dict[str, OptionSpec]]:
    longs = {name: spec for name, spec in option_table().items() if spec.exists_in(version)}
    shorts = {spec.short: spec for spec in longs.values() if spec.short}
    return longs, shorts


def long_options(version: SlurmVersion | None = None) -> dict[str, OptionSpec]:
    return _tables(version)[0]


def short_options(version: SlurmVersion | None = None) -> dict[str, OptionSpec]:
    return _tables(version)[1]


def lookup_long(name: str, version: SlurmVersion | None = None) -> tuple[OptionSpec | None, list[str]]:
    """Resolve a long option name the way getopt_long does.

    Returns (spec, candidates): an exact name wins; a unique prefix resolves to its option;
    an ambiguous prefix returns (None, [candidates...]); an unknown name (None, []).
    """
    longs = long_options(version)
    if name in longs:
        return longs[name], [name]
    candidates = sorted(n for n in longs if n.startswith(name)) if name else []
    if len(candidates) == 1:
        return longs[candidates[0]], candidates
    return None, candidates


def availability(name: str) -> str:
    """When an option exists, for messages: ' (added in 23.02)', ' (removed after 23.11)'."""
    since, until = _SINCE.get(name), _UNTIL.get(name)
    parts = []
    if since:
        parts.append(f"added in {release(since)}")
    if until:
        parts.append(f"removed after {release(until)}")
    if name in _MISSING_IN:
        parts.append("missing in " + ", ".join(release(pair) for pair in sorted(_MISSING_IN[name])))
    return f" ({' and '.join(parts)})" if parts else ""


def canonical(name: str) -> str:
    """The canonical long name for an alias (`tasks-per-node` is `ntasks-per-node`)."""
    return {"tasks-per-node": "ntasks-per-node", "cluster": "clusters"}.get(name, name)
