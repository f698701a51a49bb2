"""`cclint convert`: a PBS/Torque/Moab job script rewritten as a Slurm script for a cluster.

sbatch's own reading of `#PBS` lines (cclint.header.pbs) is literal and partial; this reads
each PBS option for what it meant (a `select` chunk, `ppn`, `-l feature=k80`, `-r n`), then
makes the request valid for the target profile (account, GPU model and count, time limit,
partition, memory), renames PBS variables and the Moab era's storage variables
(`$LSCRATCH` -> `$SLURM_TMPDIR`; `$RAP` -> a `~/projects/...` folder the student names), and
says in comments what it could not decide. The result is linted with the target profile:
errors that remain are listed at its top.
"""

from __future__ import annotations

import re

from cclint.analysis.pbs import RAP_ID, STORAGE, SUBMIT_COMMANDS, VARIABLE_USE, VARIABLES, rap_id
from cclint.header.pbs import pbs_options
from cclint.header.values import format_minutes, parse_memory, parse_time
from cclint.patterns import lazy
from cclint.profile import Profile
from cclint.record import field, record
from cclint.source import SourceFile

NOTE = "# cclint convert:"
TODO = "# TODO (cclint convert):"
_UNITS = {"": 1 / (1024 * 1024), "b": 1 / (1024 * 1024), "w": 8 / (1024 * 1024), "kb": 1 / 1024,
          "kw": 8 / 1024, "mb": 1, "mw": 8, "gb": 1024, "gw": 8192, "tb": 1024 * 1024}
_OLD_MODULE = lazy(r"(?<![\w/])(?:apps|libs|compilers|tools|mpi|devel)/\S+")
_STORAGE_USE = lazy(r"\$\{?(" + "|".join(STORAGE) + r")\b\}?")
_RAP_PATH = lazy("/rap/" + RAP_ID.pattern)
_SUBMIT_WORD = lazy(r"\b(?:msub|qsub)\b")
_PATTERNS = {"PBS_JOBID": "%j", "MOAB_JOBID": "%j", "PBS_JOBNAME": "%x", "MOAB_JOBNAME": "%x",
             "PBS_ARRAYID": "%a", "PBS_ARRAY_INDEX": "%a", "USER": "%u"}


@record
class Conversion:
    text: str
    remaining: list = field(default_factory=list)  # errors cclint still finds in the result


@record
class _Request:
    """What the PBS lines asked for, in Slurm's terms before the target is considered."""

    options: dict = field(default_factory=dict)  # Slurm option -> value (None: a flag)
    notes: dict = field(default_factory=dict)  # Slurm option -> comments above its line
    general: list = field(default_factory=list)  # comments for the whole script
    gpus: int = 0  # per node
    gpu_type: str = ""
    nodes: int = 1
    ppn: int = 0  # processors per node (Torque) or per chunk (PBS Pro ncpus)
    tasks_per_node: int = 0  # PBS Pro mpiprocs
    account: str = ""
    queue: str = ""
    original: list = field(default_factory=list)  # the PBS lines, kept as comments


def convert(source: SourceFile, profile: Profile, version=None, account: str | None = None) -> Conversion:
    """The Slurm script for `profile`, from a PBS (or already partly Slurm) script; `account`,
    when given, is the student's account there (also names their project folder)."""
    from cclint.script import Script

    script = Script.build(source)
    lines = source.text.split("\n")
    request = _read(script)
    if account:
        request.account = account
    mpi = any(c.basename in ("mpirun", "mpiexec", "srun", "mpiexec.hydra") for c in script.body.commands)
    # Without #PBS lines the #SBATCH header is kept as written; only the body is converted.
    header = _header(request, profile, mpi) if request.original else []
    body, body_notes = _body(script, lines, request, profile)
    name = profile.name
    top = [lines[0] if lines and lines[0].startswith("#!") else "#!/bin/bash",
           f"{NOTE} rewritten from a PBS/Torque/Moab script for {name} (`cclint convert --cluster {name}`).",
           f"{NOTE} read every TODO line below before you submit it with `sbatch`."]
    top += [_comment(n) for n in request.general]
    text = "\n".join(top + header + _original(request) + body_notes + body).rstrip("\n") + "\n"
    remaining = _errors(text, profile, version, source.path)
    if remaining:
        said = [f"{TODO} cclint still finds errors here (fix them before submitting):"]
        said += [f"#   line {d.line + len(remaining) + 1}: {d.message}" if d.line > 3 else f"#   {d.message}"
                 for d in remaining]
        intro, rest = text.split("\n", 3)[:3], text.split("\n", 3)[3]
        text = "\n".join([*intro, *said, rest])
    return Conversion(text, remaining)


def _comment(note: str) -> str:
    return f"{TODO} {note[5:]}" if note.startswith("TODO ") else f"{NOTE} {note}"


# -- reading the PBS options for what they meant ----------------------------------------------

def _read(script) -> _Request:
    req = _Request()
    pbs_lines = [p for p in script.header.pbs_lines if p.prefix == "#PBS"]
    req.original = [p.text for p in pbs_lines]
    problems: list = []
    for d in script.header.directives:  # #SBATCH lines already there: kept, PBS lines win (as in sbatch)
        if d.origin in ("sbatch", "slurm") and d.problem is None and d.name:
            req.options[d.name] = d.value
    for opt in pbs_options(pbs_lines, None, problems, also="P"):
        _option(req, opt.letter, opt.value)
    named = sorted({m.group() for line in script.source.text.split("\n") if line.lstrip().startswith("#")
                    and not line.startswith(("#PBS", "#SBATCH", "#!")) for m in _SUBMIT_WORD.finditer(line)})
    if named:
        req.general.append(f"submit this script with `sbatch FILE`: {' and '.join(f'`{n}`' for n in named)} "
                           f"(named in a comment) {'do' if len(named) > 1 else 'does'} not exist on Slurm "
                           "clusters.")
    stray = [pbs.line for pbs, _, problem in problems if problem.kind == "stray-word"]
    if stray:
        req.general.append(f"left out the words after the options on line{'s' if len(stray) > 1 else ''} "
                           f"{', '.join(map(str, stray))} of the PBS script (a comment starts with #, not ;).")
    for _pbs, span, problem in problems:
        text = script.source.text[span.start:span.end]
        if problem.kind == "unknown":
            req.general.append(f"TODO `{text}` in the PBS lines has no Slurm equivalent here: left out.")
    return req


def _option(req: _Request, letter: str, value: str | None) -> None:
    o = req.options
    if letter in ("A", "P") and value:
        req.account = value
    elif letter == "N" and value:
        o["job-name"] = value
    elif letter in ("o", "e") and value:
        o["output" if letter == "o" else "error"] = value
    elif letter == "j" and value in ("oe", "eo"):
        req.notes.setdefault("output", []).append("`-j oe`: Slurm writes both streams to --output "
                                                  "when no --error is given.")
        o.pop("error", None)
    elif letter == "m" and value:
        kinds = [k for c, k in (("b", "BEGIN"), ("e", "END"), ("a", "FAIL")) if c in value.lower()]
        o["mail-type"] = "NONE" if "n" in value.lower() or not kinds else ",".join(kinds)
    elif letter == "M" and value:
        o["mail-user"] = value
    elif letter == "q" and value:
        req.queue = value.split("@")[0]
    elif letter in ("t", "J") and value:
        o["array"] = value
    elif letter == "r" and value:
        o["requeue" if value.lower().startswith("y") else "no-requeue"] = None
    elif letter in ("d", "w") and value:
        o["chdir"] = value
    elif letter == "h":
        o["hold"] = None
    elif letter == "v" and value:
        o["export"] = "ALL," + value
    elif letter == "W" and value:
        key, _, val = value.partition("=")
        if key.lower() == "depend":
            o["dependency"] = val
        else:
            req.general.append(f"left out `-W {value}` (no Slurm equivalent needed).")
    elif letter == "a" and value:
        req.general.append(f"TODO `-a {value}` (start after): write it as `#SBATCH --begin=YYYY-MM-DDTHH:MM`.")
    elif letter == "p" and value:
        req.general.append(f"left out the PBS priority `-p {value}` (Slurm's --nice has the opposite sense).")
    elif letter == "l" and value:
        for item in value.split(","):
            _resource(req, item)


def _resource(req: _Request, item: str) -> None:
    key, _, value = item.partition("=")
    key = key.strip().lower()
    o = req.options
    if key in ("walltime", "cput", "pcput") and value:
        o["time"] = value
    elif key in ("mem", "vmem") and value and ("mem" not in o or key == "mem"):
        o["mem"] = _size(value, req) or o.get("mem")
    elif key in ("pmem", "pvmem") and value:
        size = _size(value, req)
        if size:
            o["mem-per-cpu"] = size
    elif key == "file" and value:
        o["tmp"] = _size(value, req) or value
    elif key == "nodes":
        _nodes(req, value)
    elif key == "select":
        _chunk(req, value)
    elif key in ("ncpus", "ppn") and value.isdigit():
        req.ppn = int(value)
    elif key in ("ngpus", "naccelerators", "gpus") and value.isdigit():
        req.gpus = int(value)
    elif key in ("feature", "gpu_type", "proc") and value:
        req.gpu_type = value
    elif key == "advres" and value:
        o["reservation"] = value
    elif key == "place" and "excl" in value:
        o["exclusive"] = None
    elif key:
        req.general.append(f"left out the PBS resource `{item}` (no Slurm equivalent here).")


def _nodes(req: _Request, spec: str) -> None:
    """Torque's `nodes=N:ppn=P:gpus=G:feature`."""
    parts = spec.split(":")
    if parts[0].isdigit():
        req.nodes = int(parts[0])
    for part in parts[1:]:
        k, eq, v = part.partition("=")
        if k == "ppn" and v.isdigit():
            req.ppn = int(v)
        elif k == "gpus" and v.isdigit():
            req.gpus = int(v)
        elif not eq and k:
            req.gpu_type = req.gpu_type or k  # a node property: on GPU clusters, the model


def _chunk(req: _Request, spec: str) -> None:
    """PBS Pro's `select=N:ncpus=C:mpiprocs=P:mem=M:ngpus=G:gpu_type=T`."""
    count, *parts = spec.split(":")
    if count.isdigit():
        req.nodes = int(count)
    for part in parts:
        k, _, v = part.partition("=")
        if k.lower() == "mpiprocs" and v.isdigit():
            req.tasks_per_node = int(v)
        else:
            _resource(req, part)


def _size(value: str, req: _Request) -> str | None:
    """A PBS size (`16gb`, `500mb`, `1024`) as a Slurm size (`16G`, `500M`)."""
    m = re.fullmatch(r"\s*([0-9]+)\s*([kmgt]?[bw]?)\s*", value, re.I)
    if not m:
        req.general.append(f"TODO could not read the PBS size `{value}`: write the memory yourself.")
        return None
    number, unit = int(m.group(1)), m.group(2).lower()
    unit = unit if unit in _UNITS else unit + "b"
    mib = number * _UNITS.get(unit, 1)
    if mib >= 1024 and mib % 1024 == 0:
        return f"{int(mib) // 1024}G"
    return f"{max(1, int(-(-mib // 1)))}M"


# -- the header for the target ------------------------------------------------------------------

def _header(req: _Request, profile: Profile, mpi: bool) -> list[str]:
    o, notes = dict(req.options), req.notes
    out: list[tuple[str, str | None]] = []
    _account(req, profile, o)
    _time(req, profile, o)
    _partition(req, profile, o)
    _cpus_and_gpus(req, profile, o, mpi)
    _logs(req, o)
    order = ("job-name", "account", "time", "partition", "nodes", "ntasks", "ntasks-per-node",
             "cpus-per-task", "gpus-per-node", "mem", "mem-per-cpu", "tmp", "output", "error")
    for name in order + tuple(k for k in o if k not in order):
        if name in o:
            out.append((name, o[name]))
    lines = []
    for name, value in out:
        lines += [_comment(n) for n in notes.get(name, [])]
        lines.append(f"#SBATCH --{name}" + (f"={_quoted(value)}" if value is not None else ""))
    for name in notes:
        if name not in o:
            lines += [_comment(n) for n in notes[name]]
    return lines


def _quoted(value: str) -> str:
    if value and not any(c in value for c in " \t#'\""):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _note(req: _Request, option: str, text: str) -> None:
    req.notes.setdefault(option, []).append(text)


def _account(req: _Request, profile: Profile, o: dict) -> None:
    account = req.account or o.pop("account", "") or ""
    o.pop("account", None)
    prefixes = profile.account.prefixes
    if account and not rap_id(account) and "$" not in account \
            and (not prefixes or account.startswith(prefixes)):
        o["account"] = account
        return
    if account:
        why = "an old Calcul Québec project id (RAP)" if rap_id(account) else f"not an account of {profile.name}"
        _note(req, "account", f"TODO `{account}` is {why}: add `#SBATCH --account=` with yours "
                              "(`sshare -U` on a login node lists them; def-, rrg-, rpp- or ctb- on Alliance clusters).")
    elif profile.account.required:
        _note(req, "account", f"TODO {profile.name} needs an account: add `#SBATCH --account=` with yours "
                              "(`sshare -U` lists them).")


def _time(req: _Request, profile: Profile, o: dict) -> None:
    value = o.get("time")
    try:
        minutes = parse_time(value).minutes if value else None
    except ValueError:
        _note(req, "time", f"TODO the PBS walltime `{value}` is not a Slurm time: write D-HH:MM:SS.")
        o.pop("time")
        minutes = None
    limit = profile.time.max
    if minutes is None:
        o["time"] = "01:00:00"
        _note(req, "time", "TODO no walltime in the PBS lines: 1 h is a guess; set the run time you "
                           "measured plus about 20 %.")
    elif minutes and profile.time.min and minutes < (profile.time.min_test or profile.time.min):
        floor = profile.time.min_test or profile.time.min
        o["time"] = format_minutes(floor)
        _note(req, "time", f"the PBS walltime {value} is below {profile.name}'s minimum: raised to "
                           f"{format_minutes(floor)}.")
    elif limit and minutes and minutes > limit:
        o["time"] = format_minutes(limit)
        _note(req, "time", f"the PBS walltime {value} is above {profile.name}'s limit: lowered to "
                           f"{format_minutes(limit)}. Split the work or checkpoint it.")
    elif value:
        o["time"] = format_minutes(minutes) if minutes else value


def _partition(req: _Request, profile: Profile, o: dict) -> None:
    queue = req.queue or o.pop("partition", "") or ""
    o.pop("partition", None)
    policy = profile.partitions
    known = set(policy.allowed) | set(policy.limits)
    if queue and queue in known:
        o["partition"] = queue
    elif queue:
        where = (f"{profile.name} chooses the partition from --time and the resources"
                 if policy.policy == "discouraged" else
                 f"{profile.name}'s partitions are {', '.join(sorted(known))}" if known else
                 "queue names do not carry over to another cluster")
        _note(req, "partition", f"left out the PBS queue `{queue}`: {where}.")


def _cpus_and_gpus(req: _Request, profile: Profile, o: dict, mpi: bool) -> None:
    nodes, ppn, gpus = req.nodes, req.ppn, req.gpus
    if nodes > 1 or "nodes" in o:
        o["nodes"] = str(nodes)
    if req.tasks_per_node or (ppn and mpi):
        tasks = req.tasks_per_node or ppn
        o["ntasks-per-node"] = str(tasks)
        if req.tasks_per_node and ppn > tasks:
            o["cpus-per-task"] = str(ppn // tasks)
    elif ppn:
        o["cpus-per-task"] = str(ppn)
        if ppn > 1:
            _note(req, "cpus-per-task", f"PBS asked for {ppn} processors per node; nothing runs MPI, so "
                                        f"they are {ppn} cores for one program. For {ppn} MPI ranks write "
                                        f"`--ntasks-per-node={ppn}` instead.")
    if not gpus:
        return
    o.pop("gpus-per-node", None)
    o.pop("gres", None)
    models = profile.gpus.models
    model = models.get(req.gpu_type.lower()) if req.gpu_type else None
    if model is None and len(models) == 1:
        model = next(iter(models.values()))
        if req.gpu_type:
            _note(req, "gpus-per-node", f"the GPU model `{req.gpu_type}` is not on {profile.name}: "
                                        f"asking for its {model.name} ({model.label}) instead.")
    counts = {m.name: _gpu_count(m, gpus, nodes) for m in ([model] if model else models.values())}
    if model is None and len(set(counts.values())) > 1:  # the models allow different counts: name one
        model = next(iter(models.values()))
        _note(req, "gpus-per-node", f"TODO {profile.name} has {', '.join(sorted(models))} GPUs, which allow "
                                    f"different counts: asking for {model.name}; change it if you prefer another.")
    elif model is None and models:
        _note(req, "gpus-per-node", f"TODO {profile.name} has {', '.join(sorted(models))} GPUs: to choose, "
                                    "write `--gpus-per-node=MODEL:N` (any model is fine as is).")
    count = counts[model.name] if model is not None else next(iter(counts.values()), gpus)
    if count != gpus:
        rule = model or next(iter(models.values()))
        _note(req, "gpus-per-node", f"{gpus} GPUs per node is not possible on {profile.name} "
                                    f"({rule.name}: {', '.join(map(str, rule.allowed_counts))} per node"
                                    f"{', whole nodes on several nodes' if nodes > 1 and rule.counts else ''}): "
                                    f"asking for {count}. Check that the program uses them all.")
    o["gpus-per-node"] = f"{model.name}:{count}" if model is not None else str(count)
    if model is not None and "cpus-per-task" not in o and "ntasks-per-node" not in o and model.cores:
        o["cpus-per-task"] = str(model.cores * count)
        _note(req, "cpus-per-task", f"{model.cores} cores per GPU: {profile.name}'s share for one {model.name}.")
    if model is not None and "mem" not in o and "mem-per-cpu" not in o and model.memory:
        o["mem"] = f"{model.memory * count // 1024}G" if model.memory % 1024 == 0 else f"{model.memory * count}M"
        _note(req, "mem", f"{profile.name}'s memory share for {count} {model.name} GPU{'s' if count > 1 else ''}.")
    if "mem" in o and model is not None and model.node_memory:
        try:
            if parse_memory(o["mem"]) > model.node_memory:
                o["mem"] = f"{model.node_memory // 1024}G"
                _note(req, "mem", f"lowered to what a {model.name} node of {profile.name} has.")
        except ValueError:
            pass


def _gpu_count(model, wanted: int, nodes: int) -> int:
    """The count closest to `wanted` (not above it, if possible) that the model allows per node."""
    allowed = model.allowed_counts
    if nodes > 1 and model.counts:
        allowed = (max(model.counts),)  # several nodes: whole nodes only
    if not allowed or wanted in allowed:
        return wanted
    return max([c for c in allowed if c <= wanted] or [min(allowed)])


def _logs(req: _Request, o: dict) -> None:
    """-o/-e paths: PBS variables become Slurm's patterns; a directory gets a file name."""
    for name in ("output", "error"):
        value = o.get(name)
        if value is None:
            continue
        for var, pattern in _PATTERNS.items():
            value = re.sub(rf"\$\{{?{var}\}}?(?![A-Za-z0-9_])", pattern, value)
        if value.endswith("/"):
            value += "%x.%j." + ("out" if name == "output" else "err")
        if "$" in value or value.startswith("~"):
            _note(req, name, f"TODO the PBS log path `{o[name]}` uses a variable, which #SBATCH lines "
                             "never expand: left out (Slurm writes slurm-%j.out in the submission folder).")
            del o[name]
        else:
            o[name] = value


def _original(req: _Request) -> list[str]:
    if not req.original:
        return []
    return [f"{NOTE} the PBS lines this replaces:"] + [f"#   {line}" for line in req.original]


# -- the body -------------------------------------------------------------------------------------

def _body(script, lines: list[str], req: _Request, profile: Profile) -> tuple[list[str], list[str]]:
    """The body with PBS variables, storage variables and submit commands rewritten, and the
    lines to put before it (definitions it now needs)."""
    header = script.header
    drop = {p.line for p in header.pbs_lines if p.prefix == "#PBS"}
    drop |= set(header.directive_lines) if drop else set()
    start = 2 if lines and lines[0].startswith("#!") else 1
    edits: list[tuple[int, int, str]] = []  # (start, end, text) in the source
    needs_rap = needs_nodefile = False
    assigned = {a.name for c in script.body.commands for a in c.assignments}
    for cmd in script.body.commands:
        for word in cmd.all_words():
            base = word.span.start
            for m in VARIABLE_USE.finditer(word.raw):
                name = m.group(1) or m.group(2)
                if name in assigned:
                    continue
                if VARIABLES[name] is None:
                    needs_nodefile |= name == "PBS_NODEFILE"
                    continue
                at = base + m.start() + m.group().index(name)
                edits.append((at, at + len(name), VARIABLES[name]))
            for m in _STORAGE_USE.finditer(word.raw):
                at = base + m.start(1)
                edits.append((at, at + len(m.group(1)), STORAGE[m.group(1)]))
            for m in _RAP_PATH.finditer(word.raw):
                edits.append((base + m.start(), base + m.end(), "$RAP"))
                needs_rap = True
            needs_rap |= bool(re.search(r"\$\{?RAP\b", word.raw))
    notes: dict[int, list[str]] = {}
    for cmd in script.body.commands:
        if cmd.basename in SUBMIT_COMMANDS:
            notes.setdefault(cmd.line, []).append(
                f"TODO `{cmd.basename}` is {SUBMIT_COMMANDS[cmd.basename]}'s submit command: use sbatch "
                "(its options differ: `-v VAR=x` is `--export=ALL,VAR=x`, `-W depend=` is `--dependency=`).")
        if cmd.basename in ("module", "ml") and profile.wheelhouse and any(
                _OLD_MODULE.search(w.raw) for w in cmd.words[1:]):
            notes.setdefault(cmd.line, []).append(
                f"TODO these module names are the old cluster's: find {profile.name}'s with `module spider NAME` "
                "(e.g. python, cuda, cudnn; `module load StdEnv` first).")
    text = script.source.text
    for a, b, new in sorted(edits, reverse=True):
        text = text[:a] + new + text[b:]
    out_lines = text.split("\n")
    body: list[str] = []
    for number, line in enumerate(out_lines, 1):
        if number < start or number in drop:
            continue
        body += [_comment(n) for n in notes.get(number, [])]
        body.append(line)
    before = []
    if needs_rap:
        before += _rap_definition(req, profile)
    if needs_nodefile:
        before += [f"{NOTE} Slurm writes no node file: this one lists a line per task, like $PBS_NODEFILE.",
                   "PBS_NODEFILE=$SLURM_TMPDIR/nodefile", 'srun hostname > "$PBS_NODEFILE"']
    if any(_STORAGE_USE.search(w.raw) for c in script.body.commands for w in c.all_words()):
        before.append(f"{NOTE} $LSCRATCH and $RAMDISK (the node's disk and RAM disk) are $SLURM_TMPDIR "
                      "here: node-local, erased when the job ends.")
    return body, before


def _rap_definition(req: _Request, profile: Profile) -> list[str]:
    account = req.options.get("account") or ""
    if not account and req.account and not rap_id(req.account) and (
            not profile.account.prefixes or req.account.startswith(profile.account.prefixes)):
        account = req.account
    said = [f"{NOTE} $RAP was the project space of Hélios's Moab era; here it is your project folder "
            f"on {profile.name}, ~/projects/ACCOUNT/$USER (`ls ~/projects` shows yours)."]
    if account:
        return said + [f"RAP=~/projects/{account}/$USER"]
    return said + [f"{TODO} write your account (def-..., rrg-...) between the quotes:",
                   'PROJECT_ACCOUNT=""',
                   'RAP=~/projects/${PROJECT_ACCOUNT:?write your account at the top of the script}/$USER']



# -- checking the result --------------------------------------------------------------------------

def _errors(text: str, profile: Profile, version, path: str) -> list:
    import os
    from pathlib import Path

    from cclint.diagnostics import Severity
    from cclint.runner import lint_source
    from cclint.settings import Settings

    folder = os.path.dirname(os.path.abspath(path)) if path and not path.startswith("<") else os.getcwd()
    settings = Settings(profile=profile, slurm_version=version, submit_dir=Path(folder))
    result = lint_source(SourceFile.from_text(text, path), settings)
    return [d for d in result.diagnostics if d.severity == Severity.ERROR]


# -- the command ----------------------------------------------------------------------------------

def run(path: str, cluster: str | None, output: str | None, account: str | None, force: bool) -> int:
    """`cclint convert`: print (or write to `output`, atomically) the Slurm script. Exit status:
    0 converted, 1 converted but errors remain (listed in the script), 2 could not convert."""
    import os
    import sys

    from cclint.check import EXIT_FINDINGS, EXIT_OK, fail
    from cclint.fixer import write_atomic
    from cclint.profiles import ProfileError, load_profile
    from cclint.runner import InputError, read_source

    try:
        profile = load_profile(cluster or os.environ.get("CCLINT_CLUSTER"))
        source = read_source(path)
    except (ProfileError, InputError) as exc:
        fail(str(exc))
    if output and output != "-":
        same = path != "-" and os.path.exists(output) and os.path.samefile(path, output)
        if (same or os.path.exists(output)) and not force:
            fail(f"{output} {'is the script being converted' if same else 'exists'}: not overwritten "
                 "(choose another file, or add --force)")
    if profile.retired is not None:
        sys.stderr.write(f"cclint: note: {profile.retired.notice()}\n")
    result = convert(source, profile, account=account)
    # the script's own encoding (a file that is not all UTF-8 was read as Latin-1): its bytes
    # come back as they were; a character of cclint's comments that it cannot hold becomes `?`
    data = result.text.encode(source.encoding, errors="replace")
    if output and output != "-":
        try:
            write_atomic(output, data)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
    elif getattr(sys.stdout, "buffer", None) is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(result.text)
    todo = result.text.count(TODO)
    where = f" in {output}" if output and output != "-" else ""
    sys.stderr.write(f"cclint convert: {path} -> Slurm for {profile.name}{where}: "
                     + (f"{todo} TODO line{'s' if todo != 1 else ''} to read" if todo else "nothing left to decide")
                     + (f"; {len(result.remaining)} error{'s remain' if len(result.remaining) != 1 else ' remains'} "
                        "(listed at the top)" if result.remaining else "") + ".\n")
    return EXIT_FINDINGS if result.remaining else EXIT_OK
