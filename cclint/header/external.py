"""Options sbatch gets from outside the script: its input environment variables and its
command line (slurm-facts.md §2.5, §2.6). Precedence: command line > `SBATCH_*`
environment > #PBS > #SBATCH, so they are added to the header after the script's own.

Each comes from a text of its own, a `SourceFile` named `environment` (one `VAR=value`
line per variable) or `command line` (`sbatch OPTIONS SCRIPT ARGS`), and its spans are
`ExternalSpan`s into that text: a finding about one points there, never into the script.
"""

from __future__ import annotations

from cclint.header.model import Directive, Header
from cclint.slurm_version import SlurmVersion
from cclint.source import ExternalSpan, SourceFile, Span

ENVIRONMENT, COMMAND_LINE = "environment", "command line"

# Variable -> option, in the order sbatch reads them (a later one overrides an earlier one
# for the same option). `SBATCH_POWER` (refused from 24.05), `SBATCH_WAIT4SWITCH` (no
# option of its own) and the early `SBATCH_IGNORE_PBS`/`SBATCH_DEBUG` are left out.
# `SLURM_ACCOUNT` is not read by sbatch (only by srun and salloc).
ENV_OPTIONS = {
    "SBATCH_ACCOUNT": "account", "SBATCH_ARRAY_INX": "array", "SBATCH_ACCTG_FREQ": "acctg-freq",
    "SBATCH_BATCH": "batch", "SBATCH_BURST_BUFFER": "bb", "SBATCH_CLUSTER_CONSTRAINT": "cluster-constraint",
    "SLURM_CLUSTERS": "clusters", "SBATCH_CLUSTERS": "clusters", "SBATCH_CONTAINER": "container",
    "SBATCH_CONTAINER_ID": "container-id", "SBATCH_CONSTRAINT": "constraint", "SBATCH_CORE_SPEC": "core-spec",
    "SBATCH_CPU_FREQ_REQ": "cpu-freq", "SBATCH_CPUS_PER_GPU": "cpus-per-gpu", "SBATCH_DELAY_BOOT": "delay-boot",
    "SBATCH_DISTRIBUTION": "distribution", "SBATCH_EXCLUSIVE": "exclusive", "SBATCH_EXPORT": "export",
    "SBATCH_GET_USER_ENV": "get-user-env", "SBATCH_GRES": "gres", "SBATCH_GRES_FLAGS": "gres-flags",
    "SBATCH_GPUS": "gpus", "SBATCH_GPU_BIND": "gpu-bind", "SBATCH_GPU_FREQ": "gpu-freq",
    "SBATCH_GPUS_PER_NODE": "gpus-per-node", "SBATCH_GPUS_PER_SOCKET": "gpus-per-socket",
    "SBATCH_GPUS_PER_TASK": "gpus-per-task", "SLURM_HINT": "hint", "SBATCH_HINT": "hint",
    "SBATCH_JOB_NAME": "job-name", "SBATCH_MEM_BIND": "mem-bind", "SBATCH_MEM_PER_CPU": "mem-per-cpu",
    "SBATCH_MEM_PER_GPU": "mem-per-gpu", "SBATCH_MEM_PER_NODE": "mem", "SBATCH_NETWORK": "network",
    "SBATCH_NO_KILL": "no-kill", "SBATCH_NO_REQUEUE": "no-requeue", "SBATCH_OPEN_MODE": "open-mode",
    "SBATCH_OVERCOMMIT": "overcommit", "SBATCH_PARTITION": "partition", "SBATCH_PROFILE": "profile",
    "SBATCH_QOS": "qos", "SBATCH_REQ_SWITCH": "switches", "SBATCH_REQUEUE": "requeue",
    "SBATCH_RESERVATION": "reservation", "SBATCH_SEGMENT_SIZE": "segment", "SBATCH_SIGNAL": "signal",
    "SBATCH_SPREAD_JOB": "spread-job", "SBATCH_THREAD_SPEC": "thread-spec",
    "SBATCH_THREADS_PER_CORE": "threads-per-core", "SBATCH_TIMELIMIT": "time", "SBATCH_TRES_BIND": "tres-bind",
    "SBATCH_TRES_PER_TASK": "tres-per-task", "SBATCH_USE_MIN_NODES": "use-min-nodes", "SBATCH_WAIT": "wait",
    "SBATCH_WAIT_ALL_NODES": "wait-all-nodes", "SBATCH_WCKEY": "wckey", "SBATCH_ERROR": "error",
    "SBATCH_INPUT": "input", "SBATCH_OUTPUT": "output",
}
# First release that reads the variable (the option may be older).
_ENV_SINCE = {"SBATCH_CONTAINER": (21, 8), "SBATCH_THREADS_PER_CORE": (21, 8), "SBATCH_ERROR": (22, 5),
              "SBATCH_INPUT": (22, 5), "SBATCH_OUTPUT": (22, 5), "SBATCH_CONTAINER_ID": (23, 2),
              "SBATCH_TRES_PER_TASK": (23, 2), "SBATCH_TRES_BIND": (23, 11), "SBATCH_SEGMENT_SIZE": (25, 5)}
MEMORY = ("mem", "mem-per-cpu", "mem-per-gpu")


def add_external(header: Header, environment: tuple[tuple[str, str], ...], command_line: tuple[str, ...],
                 version: SlurmVersion | None) -> None:
    """Put the environment's options, then the command line's, after the script's own.
    Of the memory options, one set by the script or the command line drops the
    environment's (sbatch's `_validate_memory_options`, facts §2.5)."""
    cli = command_line_header(command_line, version).directives if command_line else []
    env = environment_directives(environment, version)
    if any(d.name in MEMORY for d in [*header.directives, *cli]):
        env = [d for d in env if d.name not in MEMORY]
    header.external = [*env, *cli]


def environment_directives(environment: tuple[tuple[str, str], ...],
                           version: SlurmVersion | None) -> list[Directive]:
    from cclint.header.options import long_options

    options = long_options(version)
    read = [(var, value) for var, value in environment
            if var in ENV_OPTIONS and ENV_OPTIONS[var] in options
            and (version is None or var not in _ENV_SINCE or version.major_minor >= _ENV_SINCE[var])]
    source = SourceFile.from_text("".join(f"{var}={value}\n" for var, value in read), ENVIRONMENT)
    out = []
    for number, (var, value) in enumerate(read, 1):
        spec = options[ENV_OPTIONS[var]]
        mode = spec.arg_in(version)
        if mode == "none":  # a flag: on for '', yes or a number other than 0; off otherwise
            if value.strip() and value.strip().lower() != "yes" and not _nonzero(value):
                continue
            value = None
        elif not value:
            if mode == "required":
                continue  # no value: nothing is set
            value = None
        base = source.line_start(number)
        end = base + len(var) + 1 + len(value or "")
        out.append(Directive(
            name=spec.long, spec=spec, written=var, value=value, line=number,
            span=ExternalSpan(base, end, source), option_span=ExternalSpan(base, base + len(var), source),
            value_span=ExternalSpan(base + len(var) + 1, end, source) if value is not None else None,
            value_line=number, form="long=", origin="env", source_text=f"{var}={value or ''}"))
    return out


def _nonzero(text: str) -> bool:
    try:
        return int(text) != 0
    except ValueError:
        return False


def split_command_line(args: list[str], version: SlurmVersion | None = None) -> tuple[list[str], list[str]]:
    """sbatch's argv -> (options, [script, script arguments...]): getopt with "+" stops at
    the first word that is not an option or an option's value (facts §2.5)."""
    from cclint.header.options import long_options, lookup_long, short_options

    shorts = short_options(version)
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            return args[:i + 1], args[i + 1:]
        if not word.startswith("-") or word == "-":
            break
        i += 1
        if word.startswith("--"):
            name, eq, _ = word[2:].partition("=")
            spec, candidates = lookup_long(name, version)
            specs = [spec] if spec is not None else [long_options(None)[c] for c in candidates
                                                     if c in long_options(None)]
            if not eq and specs and all(s.arg_in(version) == "required" for s in specs):
                i += 1  # (an ambiguous name: sbatch stops there, but its value is no script)
            continue
        for j, letter in enumerate(word[1:], 1):
            spec = shorts.get(letter)
            if spec is None or spec.arg_in(version) == "none":
                continue
            if j == len(word) - 1 and spec.arg_in(version) == "required":
                i += 1  # `-t 10`: the value is the next word
            break  # the rest of the word is the value
    return args[:i], args[i:]


def command_line_source(args: tuple[str, ...] | list[str]) -> tuple[SourceFile, list[int]]:
    """The text `sbatch ARGS` as a shell would show it, and the offset of each argument."""
    import shlex

    text, starts = "sbatch", []
    for arg in args:
        text += " "
        quoted = shlex.quote(arg)
        starts.append(len(text) + (1 if quoted != arg else 0))
        text += quoted
    return SourceFile.from_text(text, COMMAND_LINE), starts


def command_line_header(args: tuple[str, ...] | list[str], version: SlurmVersion | None) -> Header:
    """The options of sbatch's command line, read by the header's getopt (so that they are
    validated like directives), with spans into the command-line text."""
    from cclint.header.scan import scan_words

    options, _ = split_command_line(list(args), version)
    if options[-1:] == ["--"]:
        options = options[:-1]
    source, starts = command_line_source(args)
    header = scan_words([(word, start) for word, start in zip(options, starts)], version)
    for d in header.directives:
        if d.problem is not None and d.problem.kind == "early-pass":
            d.problem = None  # --wrap, -v, --help...: dropped in #SBATCH lines, read here
        d.span, d.option_span = _outside(d.span, source), _outside(d.option_span, source)
        d.value_span = _outside(d.value_span, source) if d.value_span is not None else None
        d.source_text = d.shown
    header.problems = [(line, _outside(span, source), problem) for line, span, problem in header.problems]
    return header


def _outside(span: Span, source: SourceFile) -> ExternalSpan:
    return ExternalSpan(span.start, span.end, source)
