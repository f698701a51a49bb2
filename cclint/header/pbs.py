"""Translate `#PBS` and `#BSUB` lines into the sbatch options they become (facts §2.7; Slurm's
src/sbatch/xlate.c, the same in 22.05, 24.11 and 25.11 but for `-d`/`-w`).

sbatch applies these after the `#SBATCH` lines, so they override them. The words of every
`#PBS` line form one argv, read by getopt with PBS's option letters (a value may be on the
next line; an unknown letter or a stray word refuses the script); `-l` resource lists are
scanned character by character, as sbatch does, so `select=1:mem=8gb:ngpus=1` becomes
`--mem=8gb:ngpus=1`. cclint adds the translations to the header (so `-l walltime` counts as
a time limit and every value is validated like any directive) and keeps the text of each
line so that `pbs-directive` can show the `#SBATCH` equivalent.
"""

from __future__ import annotations

import re

from cclint.header.model import Directive, PbsLine, Problem
from cclint.header.options import long_options
from cclint.header.words import Word, split_directive
from cclint.patterns import lazy
from cclint.slurm_version import SlurmVersion
from cclint.source import Span

_PBS_WITH_ARG = set("aAcCdejJklmMNopqrStuvWw")
_PBS_FLAGS = set("hIVz")
_PBS_IGNORED = set("cCIjkrSuVz")
# Letters only newer releases translate (older ones refuse them): letter -> (major, minor).
PBS_SINCE = {"d": (23, 2), "w": (23, 2)}
_PBS_LONG = {
    "start_time": "a", "account": "A", "checkpoint": "c", "working_dir": "C", "error": "e",
    "hold": "h", "interactive": "I", "join": "j", "job_array": "J", "keep": "k",
    "resource_list": "l", "mail_options": "m", "mail_user_list": "M", "job_name": "N", "out": "o",
    "priority": "p", "destination": "q", "rerunable": "r", "script_path": "S", "array": "t",
    "running_user": "u", "variable_list": "v", "all_env": "V", "attributes": "W", "no_std": "z",
}
_PBS_SIMPLE = {"a": "begin", "A": "account", "e": "error", "o": "output", "d": "chdir",
               "w": "chdir", "J": "array", "t": "array", "M": "mail-user", "N": "job-name",
               "p": "nice", "q": "partition"}
# -l keys sbatch skips (up to the next comma); the others it does not know are passed over
# one character at a time.
_SKIPPED_KEYS = ("arch=", "host=", "opsys=", "other=", "pmem=", "pvmem=", "software=", "vmem=")
_DIGITS = lazy(r"[ \t]*[+-]?[0-9]*")
# -l keys sbatch matches in any case and reads up to a colon: the Slurm option, a bit of pbs_pro.
_CHUNK_KEYS = {"select=": ("nodes", 1), "ncpus=": ("mincpus", 2), "mpiprocs=": ("ntasks-per-node", 4)}


class PbsOption:
    """One PBS option read by getopt, with the words it came from."""

    __slots__ = ("letter", "value", "pbs", "word", "at", "value_pbs", "value_word", "value_at")

    def __init__(self, letter: str, pbs: PbsLine, word: Word, at: int):
        self.letter, self.pbs, self.word, self.at = letter, pbs, word, at
        self.value: str | None = None
        self.value_pbs: PbsLine | None = None
        self.value_word: Word | None = None
        self.value_at = 0  # value == value_word.text[value_at:]

    @property
    def shown(self) -> str:
        return f"-{self.letter}" + (f" {self.value}" if self.value is not None else "")

    def value_span(self, start: int = 0, end: int | None = None) -> Span | None:
        """The span of value[start:end] in the source."""
        if self.value_word is None or self.value is None:
            return None
        end = len(self.value) if end is None else end
        return _span(self.value_pbs, self.value_word, self.value_at + start, self.value_at + end)


def _span(pbs: PbsLine, word: Word, a: int, b: int) -> Span:
    base = pbs.span.start
    start = base + word.column_of(a)
    end = base + (word.column_of(b - 1) + 1 if b > a else word.column_of(a))
    return Span(start, max(start, end))


# -- getopt over the argv of every #PBS line ------------------------------------------------

def pbs_options(lines: list[PbsLine], version: SlurmVersion | None = None,
                problems: list | None = None, also: str = "") -> list[PbsOption]:
    """The options of `#PBS` lines as sbatch's getopt reads them (`+a:A:c:...`). Problems
    (unknown letters, missing values, stray words, unmatched quotes) are appended to
    `problems` as (PbsLine, Span, Problem); reading goes on after each, as for #SBATCH.
    `also`: more letters that take a value (PBS's own, such as `P`, for `cclint convert`)."""
    problems = [] if problems is None else problems
    joins = version is None or version.at_least(24, 5)
    argv: list[tuple[PbsLine, Word]] = []
    for pbs in lines:
        words = split_directive(pbs.text, len(pbs.prefix), escaped_space_joins=joins)
        for kind, col, quote in (("unexpected-colon", words.unexpected_colon_at, ":"),
                                 ("unmatched-quote", words.unmatched_at, words.unmatched_quote)):
            if col is not None and quote:
                what = "Unexpected" if kind == "unexpected-colon" else "Unmatched"
                problems.append((pbs, Span(pbs.span.start + col, pbs.span.end), Problem(
                    kind, f"line {pbs.line}: {what} `{quote}` in [{pbs.text[len(pbs.prefix):]}]")))
        if words.unexpected_colon_at is None:
            argv.extend((pbs, w) for w in words.words)
    options: list[PbsOption] = []
    stray_lines: set[int] = set()
    i, ended = 0, False
    while i < len(argv):
        pbs, word = argv[i]
        text = word.text
        if text == "--" and not ended:
            ended = True
            i += 1
            continue
        if ended or not text.startswith("-") or text == "-":
            if pbs.line not in stray_lines:  # getopt stops here; sbatch refuses the script
                stray_lines.add(pbs.line)
                problems.append((pbs, _span(pbs, word, 0, len(text)),
                                 Problem("stray-word", f"Invalid argument: {text}")))
            i += 1
            continue
        i = _long(argv, i, options, problems) if text.startswith("--") \
            else _short(argv, i, options, problems, version, also)
    return options


def _take_value(opt: PbsOption, argv, i: int, attached_at: int | None) -> int:
    """Give `opt` its value: attached to its word from `attached_at`, else the next word."""
    pbs, word = argv[i]
    if attached_at is not None:
        opt.value, opt.value_pbs, opt.value_word, opt.value_at = word.text[attached_at:], pbs, word, attached_at
        return i + 1
    if i + 1 < len(argv):
        vpbs, vword = argv[i + 1]
        opt.value, opt.value_pbs, opt.value_word = vword.text, vpbs, vword
        return i + 2
    return -1


def _short(argv, i, options, problems, version, also="") -> int:
    pbs, word = argv[i]
    text = word.text
    j = 1
    while j < len(text):
        letter = text[j]
        known = letter in _PBS_WITH_ARG or letter in _PBS_FLAGS or letter in also
        since = PBS_SINCE.get(letter)
        if not known or (since and version is not None and not version.at_least(*since)):
            problems.append((pbs, _span(pbs, word, j, j + 1),
                             Problem("unknown", f"invalid option -- '{letter}'", (letter,))))
            # sbatch stops here; a next word on the line is evidently its value, not reported again
            if j + 1 == len(text) and i + 1 < len(argv) and argv[i + 1][0] is pbs \
                    and not argv[i + 1][1].text.startswith("-"):
                return i + 2
            return i + 1
        opt = PbsOption(letter, pbs, word, j)
        if letter in _PBS_FLAGS:
            options.append(opt)
            j += 1
            continue
        nxt = _take_value(opt, argv, i, j + 1 if j + 1 < len(text) else None)
        if nxt < 0:
            problems.append((pbs, _span(pbs, word, j, j + 1),
                             Problem("missing-value", f"option requires an argument -- '{letter}'", (letter,))))
            return i + 1
        options.append(opt)
        return nxt
    return i + 1


def _long(argv, i, options, problems) -> int:
    pbs, word = argv[i]
    name, eq, _ = word.text[2:].partition("=")
    whole = _span(pbs, word, 0, len(word.text))
    matches = [n for n in _PBS_LONG if n == name] or [n for n in _PBS_LONG if n.startswith(name)]
    if len(matches) != 1:
        if matches:
            shown = " ".join(f"'--{n}'" for n in matches)
            problem = Problem("ambiguous", f"option '{word.text}' is ambiguous; possibilities: {shown}")
        else:
            problem = Problem("unknown", f"unrecognized option '{word.text}'")
        problems.append((pbs, whole, problem))
        return i + 1
    letter = _PBS_LONG[matches[0]]
    opt = PbsOption(letter, pbs, word, 0)
    if letter in _PBS_FLAGS:
        if eq:
            problems.append((pbs, whole, Problem(
                "no-value-allowed", f"option '--{matches[0]}' doesn't allow an argument")))
            return i + 1
        options.append(opt)
        return i + 1
    if letter == "j" and not eq:  # `join` takes an optional value: attached only
        options.append(opt)
        return i + 1
    nxt = _take_value(opt, argv, i, 3 + len(name) if eq else None)
    if nxt < 0:
        problems.append((pbs, whole, Problem("missing-value", f"option '--{matches[0]}' requires an argument")))
        return i + 1
    options.append(opt)
    return nxt


# -- what each option becomes -----------------------------------------------------------------

def translate_pbs_lines(lines: list[PbsLine], version: SlurmVersion | None = None) -> tuple[list[Directive], list]:
    """The directives sbatch makes of `#PBS` lines (also stored on each line), and the
    problems that make it refuse the script: (line, Span, Problem)."""
    found: list = []
    out: list[Directive] = []
    export = ""
    constraint = ""
    for opt in pbs_options(lines, version, found):
        if opt.letter == "v" and opt.value is not None:  # appended to --export
            export = f"{export},{opt.value}" if export else opt.value
        for name, value, (a, b) in _pbs_option(opt, export, constraint):
            if name == "constraint":
                constraint = value or ""
            span = opt.value_span(a, b) if value is not None else None
            d = _directive(name, value, opt, span)
            if name == "" and value is not None:  # a value sbatch's translation itself refuses
                d.problem = Problem("pbs-value", value)
                d.value = opt.value
            opt.pbs.translations.append(d)
            out.append(d)
    problems = [(pbs.line, span, problem) for pbs, span, problem in found]
    return out, problems


def _directive(name: str, value: str | None, opt: PbsOption, value_span: Span | None) -> Directive:
    option_span = _span(opt.pbs, opt.word, opt.at, opt.at + 1) if opt.at else \
        _span(opt.pbs, opt.word, 0, len(opt.word.text))
    end = value_span.end if value_span is not None and opt.value_pbs is opt.pbs else option_span.end
    return Directive(name=name, spec=long_options().get(name) if name else None, written="--" + name,
                     value=value, line=opt.pbs.line, span=Span(option_span.start, max(end, option_span.end)),
                     option_span=option_span, value_span=value_span,
                     value_line=(opt.value_pbs or opt.pbs).line, form="long=", origin="pbs",
                     source_text=opt.shown)


Translation = tuple[str, "str | None", tuple[int, int]]  # name, value, where in the PBS value


def _pbs_option(opt: PbsOption, export: str, constraint: str) -> list[Translation]:
    letter, value = opt.letter, opt.value
    whole = (0, len(value or ""))
    if letter == "h":
        return [("hold", None, whole)]
    if letter in _PBS_IGNORED or value is None:
        return []
    if letter == "m":
        kinds = [k for c, k in (("b", "BEGIN"), ("e", "END"), ("a", "FAIL")) if c in value.lower()]
        return [("mail-type", "NONE" if "n" in value.lower() else ",".join(kinds), whole)]
    if letter == "v":
        return [("export", export, whole)]
    if letter == "W":
        key, _, val = value.partition("=")
        if key.lower() == "depend":
            return [("dependency", val, (len(key) + 1, len(value)))]
        if key.lower() == "umask" and not (re.fullmatch(r"[0-7]{1,4}", val) and int(val, 8) <= 0o777):
            return [("", "Invalid -W umask= specification", whole)]
        return []
    if letter == "l":
        return resource_list(value, constraint)
    return [(_PBS_SIMPLE[letter], value, whole)]


def resource_list(rl: str, constraint: str = "") -> list[Translation]:
    """`-l` as sbatch's `_parse_pbs_resource_list` reads it: keys are looked for at every
    character; a value runs to the next comma (`ncpus`, `mpiprocs`, `select`: to a colon)."""
    out: list[Translation] = []
    i, n = 0, len(rl)
    gpus, gpus_at = 0, (0, 0)
    pbs_pro = 0  # which of select (1), ncpus (2), mpiprocs (4) were given
    chunk: dict[int, int] = {}  # their numbers, by the same bits

    def value(sep: str) -> tuple[str, tuple[int, int]]:
        nonlocal i
        start = i
        while i < n and rl[i] != sep:
            i += 1
        where = (start, i)
        if i < n:
            i += 1
        return rl[start:where[1]], where

    def skip() -> None:
        nonlocal i
        while i < n and rl[i] != ",":
            i += 1
        i += i < n

    while i < n:
        rest = rl[i:]
        low = rest[:14].lower()
        if low.startswith("accelerator="):
            i += 12
            if rl[i:i + 4].lower() == "true" and gpus < 1:
                gpus, gpus_at = 1, (i, i + 4)
        elif rest.startswith(_SKIPPED_KEYS):
            i += rest.index("=") + 1
            skip()
        elif rest.startswith(("cput=", "pcput=", "walltime=")):
            i += rest.index("=") + 1
            out.append(("time", *value(",")))
        elif rest.startswith(("file=", "mem=")):
            i += rest.index("=") + 1
            val, where = value(",")
            out.append(("tmp" if rest[0] == "f" else "mem", val[:-1] if val[-1:] in ("b", "B") else val, where))
        elif low.startswith(tuple(_CHUNK_KEYS)):  # PBS Pro chunk parts: a value runs to the next colon
            key = next(k for k in _CHUNK_KEYS if low.startswith(k))
            i += len(key)
            val, where = value(":")
            name, bit = _CHUNK_KEYS[key]
            pbs_pro |= bit
            chunk[bit] = _number(val)
            out.append((name, val, where))
        elif low.startswith("naccelerators="):
            i += 14
            val, where = value(",")
            if not val.isdigit() or int(val) < 1:
                out.append(("", f'Invalid numeric value "{val}" for naccelerators.', where))
            else:
                gpus, gpus_at = int(val), where
        elif rest.startswith("nice="):
            i += 5
            out.append(("nice", *value(",")))
        elif rest.startswith("nodes="):
            i += 6
            val, where = value(",")
            out += _nodes(val, where[0])
        elif rest.startswith("proc="):
            i += 5
            val, where = value(",")
            constraint = f"{val},{constraint}" if constraint else val
            out.append(("constraint", constraint, where))
            skip()  # sbatch also passes over the option after proc=
        else:
            i += 1
    ncpus, mpiprocs = chunk.get(2, 0), chunk.get(4, 0)
    if pbs_pro == 7 and mpiprocs and ncpus > mpiprocs:
        out.append(("cpus-per-task", str(ncpus // mpiprocs), (0, n)))
    if gpus > 0:
        out.append(("gres", f"gpu:{gpus}", gpus_at))
    return out


def _number(text: str) -> int:
    """C's strtol: the leading digits (0 if none)."""
    m = _DIGITS.match(text).group().strip()
    try:
        return int(m)
    except ValueError:
        return 0


def _nodes(spec: str, at: int) -> list[Translation]:
    """`nodes=N[:ppn=P][:gpus=G][:name]...` as `_parse_pbs_nodes_opts` reads it."""
    out: list[Translation] = []
    nodes = ppn = 0
    hosts: list[str] = []
    i, n = 0, len(spec)

    def part() -> str:
        nonlocal i
        start = i
        while i < n and spec[i] not in "+:":
            i += 1
        text = spec[start:i]
        i += i < n
        return text

    while i < n:
        c = spec[i]
        if spec.startswith("gpus=", i):
            i += 5
            start = i
            gpus = part()
            out.append(("gpus-per-node", gpus, (at + start, at + start + len(gpus))))
        elif spec.startswith("ppn=", i):
            i += 4
            ppn += _number(part())
        elif c.isascii() and c.isdigit():
            nodes += _number(part())
        elif c.isascii() and c.isalpha():
            hosts.append(part())
        else:
            i += 1
    whole = (at, at + n)
    if nodes:
        out.append(("nodes", str(nodes), whole))
    if ppn:
        out.append(("ntasks", str(ppn * (nodes or 1)), whole))
    if hosts:
        out.append(("nodelist", ",".join(hosts), whole))
    return out


def newer_only(d: Directive) -> tuple[int, int] | None:
    """The release from which sbatch makes this PBS translation (older ones refuse the line)."""
    text = d.source_text
    if d.origin == "pbs" and len(text) > 1 and text[0] == "-":
        return PBS_SINCE.get(text[1])
    return None


# -- #BSUB ------------------------------------------------------------------------------------

def translate_bsub(pbs: PbsLine, base: int) -> None:
    words = split_directive(pbs.text, 5).words
    mapping = {"-cwd": "chdir", "-c": "chdir", "-e": "error", "-J": "job-name", "-o": "output",
               "-m": "nodelist", "-M": "mem-per-cpu", "-n": "ntasks", "-q": "partition",
               "-W": "time"}
    i = 0
    while i < len(words):
        w = words[i]
        span = Span(base + w.start, base + w.end)
        if w.text == "-x":
            pbs.translations.append(_bsub("exclusive", None, pbs, span, "-x"))
            i += 1
            continue
        name = mapping.get(w.text)
        if name is None or i + 1 >= len(words):
            i += 1
            continue
        value = words[i + 1].text
        if name == "nodelist":
            value = ",".join(value.split())
        elif name == "mem-per-cpu" and value.isdigit():
            value += "K"
        elif name == "ntasks":
            value = value.split(",")[-1]
        span = Span(span.start, base + words[i + 1].end)
        pbs.translations.append(_bsub(name, value, pbs, span, f"{w.text} {words[i + 1].text}"))
        i += 2


def _bsub(name: str, value: str | None, pbs: PbsLine, span: Span, source_text: str) -> Directive:
    return Directive(name=name, spec=long_options().get(name), written="--" + name, value=value,
                     line=pbs.line, span=span, option_span=span, value_span=span, value_line=pbs.line,
                     form="long=", origin="bsub", source_text=source_text)
