"""Step 2a: read the header the way sbatch does (slurm-facts.md §2.1–§2.4, §2.7).

Lines are scanned from the top. A line whose first 7 bytes are `#SBATCH` (or first 6 are
`#SLURM`) is a directive; a blank line or one whose first non-blank character is `#` is a
comment; anything else is the first command, and no directive is read after it. The
words of all directive lines form one argv, parsed once by getopt_long.
"""

from __future__ import annotations

from functools import lru_cache

from cclint.header.model import Directive, Header, LinePart, PbsLine, Problem
from cclint.header.options import (
    COMMON_MISTAKES, SALLOC_ONLY, SRUN_FLAGS, SRUN_ONLY, SRUN_ONLY_SHORT, OptionSpec, canonical,
    long_options, lookup_long, short_options,
)
from cclint.header.pbs import translate_bsub, translate_pbs_lines
from cclint.header.words import C_SPACE, Word, split_directive
from cclint.patterns import lazy
from cclint.slurm_version import SlurmVersion
from cclint.source import SourceFile, Span
from cclint.spelling import closest, edit_distance

# Options flagged sbatch_early_pass: silently ignored in #SBATCH lines (facts §1.3).
EARLY_PASS = {"help", "usage", "version", "verbose", "quiet", "wrap"}

_NEAR_MISS = lazy(r"^(\s*)#(\s*)([A-Za-z]{4,8})(?=[\s:]|$)(.*)$")


class _Arg:
    """One word of the directive argv, remembering where it came from."""

    __slots__ = ("text", "line", "word", "base", "component", "origin")

    def __init__(self, text: str, line: int, word: Word, base: int, component: int,
                 origin: str = "sbatch"):
        self.text, self.line, self.word, self.base, self.component = text, line, word, base, component
        self.origin = origin

    def span(self, start: int = 0, end: int | None = None) -> Span:
        """Span of text[start:end] in the normalised source."""
        end = len(self.text) if end is None else end
        a = self.base + self.word.column_of(start)
        b = self.base + (self.word.column_of(end - 1) + 1 if end > start else self.word.column_of(start))
        return Span(a, max(a, b))


def scan_header(source: SourceFile, data_lines: frozenset[int] = frozenset(),
                version: SlurmVersion | None = None, header_only: bool = False) -> Header:
    """The directives sbatch reads for `version`, and the directive-like lines it ignores.
    `header_only`: stop where the header ends (no ignored or malformed lines below it),
    enough to know what a release refuses."""
    header = Header()
    lines = source.text.split("\n")
    argv: list[_Arg] = []
    component = 0
    joins = version is None or version.at_least(24, 5)
    in_header = True
    for number, (line, base) in enumerate(zip(lines, source.line_starts), 1):
        is_directive = line.startswith("#SBATCH") or line.startswith("#SLURM")
        if in_header:
            if is_directive:
                header.directive_lines.append(number)
                prefix = 7 if line.startswith("#SBATCH") else 6
                component = _split_line(header, argv, line, number, base, prefix, joins, component)
                continue
            stripped = line.lstrip(C_SPACE)
            if stripped and not stripped.startswith("#"):
                in_header = False
                header.end_line = number
                header.end_text = line.strip()
                if header_only:
                    break
        elif is_directive and number not in data_lines:
            header.ignored.append(LinePart(number, Span(base, base + len(line)), line))
            continue
        if "#" in line and number not in data_lines:
            _check_malformed(header, line, number, base)
    header.directives = _getopt(header, argv, version)
    _scan_pbs(header, lines, source, data_lines, version)
    return header


def scan_words(words: list[tuple[str, int]], version: SlurmVersion | None = None) -> Header:
    """Options given as words (sbatch's command line: each word and its offset in the text
    shown for it), read by the same getopt as the header."""
    header = Header()
    argv = [_Arg(text, 1, Word(text, start, start + len(text), list(range(start, start + len(text)))), 0, 0)
            for text, start in words]
    header.directives = _getopt(header, argv, version)
    return header


def _split_line(header: Header, argv: list[_Arg], line: str, number: int, base: int,
                prefix: int, joins: bool, component: int) -> int:
    words = split_directive(line, prefix, escaped_space_joins=joins)
    if words.unexpected_colon_at is not None:
        col = words.unexpected_colon_at
        header.problems.append((number, Span(base + col, base + len(line)), Problem(
            "unexpected-colon", f"line {number}: Unexpected `:` in [{line}]")))
        return component
    if words.unmatched_quote:
        col = words.unmatched_at or prefix
        header.problems.append((number, Span(base + col, base + len(line.rstrip())), Problem(
            "unmatched-quote", f"line {number}: Unmatched `{words.unmatched_quote}` in [{line[prefix:]}]")))
    items = words.words
    if items and _is_separator(line, items[0]):
        component += 1
        items = items[1:]
    # sbatch blanks a bare `hetjob`/`packjob` word wherever it stands (facts §2.2).
    items = [w for w in items if not _is_separator(line, w)]
    origin = "sbatch" if prefix == 7 else "slurm"
    argv.extend(_Arg(w.text, number, w, base, component, origin) for w in items)
    return component


def _is_separator(line: str, word) -> bool:
    return line[word.start:word.end].lower() in ("hetjob", "packjob")


def _check_malformed(header: Header, line: str, number: int, base: int) -> None:
    """A comment that a student meant as a directive (rules.md: malformed-directive)."""
    if not line or line.startswith("##") or line.startswith("#SBATCH") or line.startswith("#SLURM"):
        return
    match = _NEAR_MISS.match(line)
    if not match:
        return
    indent, gap, word, rest = match.groups()
    looks_like_option = rest.lstrip().startswith("-")
    if word == "sbatch" and _names_a_script(rest):
        return  # `#   sbatch --export=ALL,LR=0.1 job.sh`: how to submit, not a directive
    span = Span(base + len(indent), base + len(line.rstrip()))
    if word == "SBATCH" and indent and not gap:
        reason = "indented"
    elif word.upper() == "SBATCH" and looks_like_option:
        reason = "space" if gap else "case"
    elif looks_like_option and not gap and edit_distance(word.upper(), "SBATCH") <= 2 \
            and word.upper() != "SBATCH":
        reason = "spelling"
    else:
        return
    header.malformed.append(LinePart(number, span, line.strip(), reason))


def _names_a_script(rest: str) -> bool:
    """Whether `rest` is an sbatch command line: options, then the script to submit."""
    words = rest.split()
    k = 0
    while k < len(words):
        word = words[k]
        if word.startswith("#"):
            return False  # a comment after the options
        if not word.startswith("-") or word == "-":
            return True
        if word.startswith("--"):
            spec = lookup_long(word[2:])[0] if "=" not in word else None
        else:
            spec = short_options().get(word[1:2]) if len(word) == 2 else None
        k += 2 if spec is not None and spec.arg == "required" else 1
    return False


# -- getopt_long over the directive argv ---------------------------------------------------

def _getopt(header: Header, argv: list[_Arg], version: SlurmVersion | None) -> list[Directive]:
    shorts = short_options(version)
    out: list[Directive] = []
    i = 0
    after_dashdash = False
    stray_lines: set[int] = set()  # sbatch stops at the first stray word: one finding a line
    while i < len(argv):
        arg = argv[i]
        text = arg.text
        if after_dashdash or text == "--" or not text.startswith("-") or text == "-":
            if text == "--" and not after_dashdash:
                after_dashdash = True
                i += 1
                continue
            if arg.line not in stray_lines:
                stray_lines.add(arg.line)
                header.problems.append((arg.line, arg.span(), _stray_problem(arg, argv, i, out)))
            i += 1
            continue
        if text.startswith("--"):
            i = _long_option(out, argv, i, version)
        else:
            i = _short_options(out, argv, i, shorts, version)
    return out


def _stray_problem(arg: _Arg, argv: list[_Arg], i: int, out: list[Directive]) -> Problem:
    message = f"Invalid directive found in batch script: {arg.text}"
    prev = out[-1] if out else None
    if (prev is not None and prev.spec is not None and prev.value is None
            and prev.spec.arg == "optional" and prev.line == arg.line
            and prev.span.end <= arg.span().start):
        return Problem("optional-separate", message, (prev.written,))
    if arg.text[:1] in ("\u2013", "\u2014", "\u2012", "\u2212", "\u2010", "\u2011"):
        return Problem("non-ascii-dash", message)
    return Problem("stray-word", message)


def _directive(spec: OptionSpec | None, written: str, arg: _Arg, opt_end: int, form: str,
               value: str | None = None, value_arg: _Arg | None = None, value_start: int = 0,
               problem: Problem | None = None) -> Directive:
    name = canonical(spec.long) if spec else ""
    if value_arg is not None:
        value_span = value_arg.span(value_start)
        value_line = value_arg.line
    else:
        value_span, value_line = None, arg.line
    return Directive(
        name=name, spec=spec, written=written, value=value, line=arg.line,
        span=arg.span(), option_span=arg.span(0, opt_end), value_span=value_span,
        value_line=value_line, form=form, component=arg.component, problem=problem,
        origin=arg.origin,
    )


def _long_option(out: list[Directive], argv: list[_Arg], i: int, version: SlurmVersion | None) -> int:
    arg = argv[i]
    body = arg.text[2:]
    name, eq, attached = body.partition("=")
    written = "--" + name
    opt_end = 2 + len(name)
    spec, candidates = lookup_long(name, version)
    if spec is None:
        if candidates:
            shown = " ".join(f"'--{c}'" for c in candidates)
            problem = Problem("ambiguous", f"option '{arg.text}' is ambiguous; possibilities: {shown}",
                              tuple(candidates))
        else:
            problem = _unknown_long(name, arg.text, version)
        if not eq and i + 1 < len(argv) and argv[i + 1].line == arg.line \
                and not argv[i + 1].text.startswith("-") and _takes_value(candidates, name):
            # sbatch stops at the unknown option; the next word is evidently its value, so it
            # is not reported again as a stray word.
            nxt = argv[i + 1]
            out.append(_directive(None, written, arg, opt_end, "long", nxt.text, nxt, 0, problem))
            return i + 2
        out.append(_directive(None, written, arg, opt_end, "long=" if eq else "long",
                              attached if eq else None, arg if eq else None, opt_end + 1, problem))
        return i + 1
    problem = None
    if spec.long != name:
        problem = Problem("abbreviation", f"'--{name}' is read by sbatch as '--{spec.long}'", (spec.long,))
    if spec.long in EARLY_PASS:
        problem = Problem("early-pass", f"--{spec.long} is ignored in #SBATCH lines")
    mode = spec.arg_in(version)
    if mode == "none":
        if eq:
            problem = Problem("no-value-allowed", f"option '--{spec.long}' doesn't allow an argument")
        out.append(_directive(spec, written, arg, opt_end, "flag", attached if eq else None,
                              arg if eq else None, opt_end + 1, problem))
        return i + 1
    if eq:
        out.append(_directive(spec, written, arg, opt_end, "long=", attached, arg, opt_end + 1, problem))
        return i + 1
    if mode == "optional":
        out.append(_directive(spec, written, arg, opt_end, "flag", None, None, 0, problem))
        return i + 1
    if i + 1 < len(argv):
        nxt = argv[i + 1]
        out.append(_directive(spec, written, arg, opt_end, "long", nxt.text, nxt, 0, problem))
        return i + 2
    out.append(_directive(spec, written, arg, opt_end, "long", None, None, 0,
                          Problem("missing-value", f"option '--{spec.long}' requires an argument")))
    return i + 1


def _takes_value(candidates: list[str], name: str) -> bool:
    """Would the option the student meant take a value? (unknown: assume it does)"""
    table = long_options(None)
    specs = [table[c] for c in candidates if c in table]
    if specs:
        return all(spec.arg == "required" for spec in specs)
    return name not in SRUN_FLAGS


def _unknown_long(name: str, text: str, version: SlurmVersion | None) -> Problem:
    message = f"unrecognized option '{text.partition('=')[0]}'"
    if name in SRUN_ONLY:
        return Problem("srun-only", message, ("srun",))
    if name in SALLOC_ONLY:
        return Problem("srun-only", message, ("salloc",))
    if name.replace("_", "-") in long_options(version):
        return Problem("unknown", message, (name.replace("_", "-"),))
    if name in COMMON_MISTAKES:
        return Problem("unknown", message, (COMMON_MISTAKES[name],))
    close = _closest_option(name, version)
    return Problem("unknown", message, (close,) if close else ())


@lru_cache(maxsize=256)
def _closest_option(name: str, version: SlurmVersion | None) -> str | None:
    # Remembered: comparing a name with every option takes a millisecond or two, and a
    # class's scripts repeat the same typos (`--cpu-per-task` in thirty copies of a template).
    return closest(name, long_options(version))


def _short_options(out: list[Directive], argv: list[_Arg], i: int, shorts: dict[str, OptionSpec],
                   version: SlurmVersion | None) -> int:
    arg = argv[i]
    text = arg.text
    j = 1
    while j < len(text):
        letter = text[j]
        spec = shorts.get(letter)
        written = "-" + letter
        if spec is None:
            problem = Problem("unknown", f"invalid option -- '{letter}'")
            if letter in SRUN_ONLY_SHORT:
                problem = Problem("srun-only", problem.message, ("srun", SRUN_ONLY_SHORT[letter]))
            elif j == 1 and _long_name(text, version):
                problem = Problem("single-dash-long", problem.message, (_long_name(text, version),))
            d = _directive(None, written, arg, j + 1, "short")
            d.option_span = arg.span(j, j + 1)
            d.problem = problem
            out.append(d)
            return i + 1  # sbatch stops here; the rest of the word is not options
        problem = Problem("early-pass", f"-{letter} is ignored in #SBATCH lines") \
            if spec.long in EARLY_PASS else None
        mode = spec.arg_in(version)
        if mode == "none":
            d = _directive(spec, written, arg, j + 1, "flag", problem=problem)
            d.option_span = arg.span(j, j + 1)
            out.append(d)
            j += 1
            continue
        rest = text[j + 1:]
        if rest:
            if j == 1 and _long_name(text, version):
                problem = Problem("single-dash-long",
                                  f"'{text}' is read as -{letter} with the value '{rest}'",
                                  (_long_name(text, version),))
            d = _directive(spec, written, arg, j + 1, "short-glued", rest, arg, j + 1, problem)
            d.option_span = arg.span(j, j + 1)
            out.append(d)
            return i + 1
        if mode == "optional":
            d = _directive(spec, written, arg, j + 1, "flag", problem=problem)
            d.option_span = arg.span(j, j + 1)
            out.append(d)
            return i + 1
        if i + 1 < len(argv):
            nxt = argv[i + 1]
            d = _directive(spec, written, arg, j + 1, "short", nxt.text, nxt, 0, problem)
            d.option_span = arg.span(j, j + 1)
            out.append(d)
            return i + 2
        d = _directive(spec, written, arg, j + 1, "short", None, None, 0,
                       Problem("missing-value", f"option requires an argument -- '{letter}'"))
        d.option_span = arg.span(j, j + 1)
        out.append(d)
        return i + 1
    return i + 1


def _long_name(text: str, version: SlurmVersion | None) -> str:
    """`-time=10` was meant as `--time=10`: the long option a one-dash word spells, or ''."""
    name = text[1:].partition("=")[0]
    if len(name) < 3:
        return ""
    spec, _ = lookup_long(name, version)
    return "--" + spec.long if spec is not None else ""


# -- #PBS / #BSUB ----------------------------------------------------------------------------

def _scan_pbs(header: Header, lines: list[str], source: SourceFile, data_lines: frozenset[int],
              version: SlurmVersion | None = None) -> None:
    """sbatch translates #PBS (or, if any, #BSUB) lines found before 100 non-# lines."""
    found: list[PbsLine] = []
    non_comment = 0
    for number, line in enumerate(lines, 1):
        if not line.startswith("#"):
            non_comment += 1
            if non_comment > 100:
                break
            continue
        if number in data_lines:
            continue
        for prefix in ("#PBS", "#BSUB"):
            if line.startswith(prefix):
                base = source.line_start(number)
                found.append(PbsLine(number, Span(base, base + len(line)), line, prefix))
    if not found:
        return
    use = "#BSUB" if any(p.prefix == "#BSUB" for p in found) else "#PBS"
    ignored = any(d.name == "ignore-pbs" and d.problem is None for d in header.directives)
    for pbs in found:
        if ignored:
            pbs.problem = "not translated: --ignore-pbs is set, so sbatch ignores it"
        elif pbs.prefix != use:
            pbs.problem = "not translated: the script also has #BSUB lines, which sbatch uses instead"
        elif use == "#BSUB":
            translate_bsub(pbs, source.line_start(pbs.line))
            header.directives.extend(pbs.translations)
    if use == "#PBS" and not ignored:
        directives, header.pbs_problems = translate_pbs_lines(found, version)
        header.directives.extend(directives)
    header.pbs_lines = found
