"""Hypothesis generators for whole job scripts: grammar-ish shell, #SBATCH lines, raw bytes.

The shell grammar is loose on purpose: fragments are well formed most of the time, and
`mangled` cuts, duplicates and shuffles them so that the lexer, the masker, bashlex and the
fallback tokenizer also see every kind of broken input. `PROFILE` is the fixed profile CI
runs with; `CCLINT_FUZZ_EXAMPLES=5000` (and `CCLINT_FUZZ_RANDOM=1`) explores further by hand.
"""

from __future__ import annotations

import csv
import os
from importlib import resources

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CCLINT_FUZZ_EXAMPLES", "150"))
PROFILE = settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("CCLINT_FUZZ_RANDOM"),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


def _options() -> list[tuple[str, str, str]]:
    text = resources.files("cclint.data").joinpath("sbatch-options.tsv").read_text(encoding="utf-8")
    rows = csv.reader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    next(rows)  # column names
    return [(r[0], r[1], r[2]) for r in rows if r]


OPTIONS = _options()

# -- shell words --------------------------------------------------------------------------

NAMES = st.sampled_from(["x", "OUT", "DATA", "i", "SLURM_TMPDIR", "HOME", "SCRATCH", "_a1", "1",
                         "@", "#", "?", "PWD"])
PLAIN = st.sampled_from([
    "echo", "python", "train.py", "srun", "cp", "-r", "--data", "~/scratch/data", "$SLURM_TMPDIR",
    "module", "load", "python/3.11", "pip", "install", "--no-index", "tar", "xf", "a.tar", "-C",
    "cd", "mkdir", "-p", "results", "wait", "trap", "save", "EXIT", "USR1", "conda", "activate",
    "sbatch", "salloc", "nvidia-smi", "torchrun", "--nproc_per_node=4", "rsync", "-av", "/project",
    "wget", "https://x.org/a.tgz", "git", "clone", "export", "local", "declare", "-a", "read",
    "source", ".", "exit", "1", "0", "true", "false", ":", "eval", "exec", "time", "-p", "nohup",
    "then", "do", "done", "fi", "esac", "in", "{", "}", "!", "function", "select", "coproc",
    "*.txt", "a?b", "[abc]", "%j", "=", "a=b", "x+=1", "--", "-", "é", "données", "\u2013time",
])
WORD_CHARS = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=6)


def _quoted(inner):
    return st.one_of(
        inner.map(lambda s: f"'{s}'"),
        inner.map(lambda s: f'"{s}"'),
        inner.map(lambda s: f"$'{s}'"),
    )


words = st.deferred(lambda: st.one_of(
    PLAIN,
    WORD_CHARS,
    NAMES.map(lambda n: "$" + n),
    st.tuples(NAMES, st.sampled_from(["", ":-", "-", ":=", "#", "%%", "/", ":+"]), PLAIN)
      .map(lambda t: "${" + t[0] + t[1] + t[2] + "}"),
    _quoted(st.one_of(PLAIN, WORD_CHARS, NAMES.map(lambda n: "$" + n))),
    st.builds(lambda c: "$(" + c + ")", simple_commands),
    st.builds(lambda c: "`" + c + "`", simple_commands),
    st.builds(lambda a, b: f"$(({a} + {b}))", NAMES, st.integers(-5, 99).map(str)),
    st.builds(lambda c: "<(" + c + ")", simple_commands),
    st.builds(lambda a, b: a + b, PLAIN, st.sampled_from(["", "/", "=", "\\ ", "\\", "'", '"', "$", "'${y'", "${"])),
))

ASSIGNMENTS = st.one_of(
    st.builds(lambda n, w: f"{n}={w}", NAMES, words),
    st.builds(lambda n, ws: f"{n}=(" + " ".join(ws) + ")", NAMES, st.lists(words, max_size=4)),
    st.builds(lambda n, w: f"{n}[0]+={w}", NAMES, words),
)
REDIRECTS = st.builds(lambda op, w: op + w, st.sampled_from(
    [">", ">>", "2>", "&>", "2>&1", "<", "<<<", ">|", "1>&2 ", "3<>", " > ", "&>>"]), words)

simple_commands = st.builds(
    lambda pre, ws, reds: " ".join(pre + ws + reds),
    st.lists(ASSIGNMENTS, max_size=2), st.lists(words, min_size=1, max_size=6),
    st.lists(REDIRECTS, max_size=2),
)

HEREDOC_DELIMS = st.sampled_from(["EOF", "'EOF'", '"END"', "\\EOF", "_x"])


def _heredoc(args) -> str:
    cmd, strip, delim, lines = args
    bare = delim.strip("'\"\\")
    op = "<<-" if strip else "<<"
    body = "\n".join(("\t" if strip else "") + line for line in lines)
    return f"{cmd} {op}{delim}\n{body}\n{chr(9) if strip else ''}{bare}"


def _compound(inner):
    block = st.lists(inner, min_size=1, max_size=3).map("\n".join)
    return st.one_of(
        st.builds(lambda c, a, b: f"if {c}; then\n{a}\nelse\n{b}\nfi", simple_commands, block, block),
        st.builds(lambda c, a: f"if [[ {c} ]]; then {a}; elif true; then :; fi",
                  st.sampled_from(["-f x", "$a == b* && -n $c", "$x =~ ^[0-9]+$", "! -d /tmp || x < y"]),
                  simple_commands),
        st.builds(lambda v, ws, a: f"for {v} in {' '.join(ws)}; do\n{a}\ndone", NAMES, st.lists(words, max_size=3), block),
        st.builds(lambda a: f"for ((i=0; i<10; i++)); do {a}; done", simple_commands),
        st.builds(lambda c, a: f"while {c}; do\n{a}\ndone < list.txt", simple_commands, block),
        st.builds(lambda c, a: f"until {c}; do {a}; done", simple_commands, simple_commands),
        st.builds(lambda w, pats, a: f"case {w} in\n" + "".join(f"  {p}) {a} ;;\n" for p in pats) + "esac",
                  words, st.lists(st.sampled_from(["a", "b|c", "*", "'x y'", "[0-9]*", "(d)"]),
                                  min_size=1, max_size=3), simple_commands),
        st.builds(lambda n, a: f"{n}() {{\n{a}\n}}", st.sampled_from(["save", "f", "run_it"]), block),
        st.builds(lambda n, a: f"function {n} {{ {a}; }}", st.sampled_from(["save", "g"]), simple_commands),
        st.builds(lambda a: f"( {a} )", block),
        st.builds(lambda a: f"{{ {a}; }} > log 2>&1", block),
        st.builds(lambda h, s: f"trap '{h}' {s}", simple_commands, st.sampled_from(["EXIT", "USR1 TERM", "SIGINT"])),
        st.builds(lambda a: f"select x in a b; do {a}; break; done", simple_commands),
        st.builds(lambda a: f"time {a}", simple_commands),
        st.tuples(simple_commands, st.booleans(), HEREDOC_DELIMS,
                  st.lists(st.one_of(PLAIN, WORD_CHARS, st.just("$(date)"), st.just("EOF ")), max_size=3)
                  ).map(_heredoc),
    )


statements = st.recursive(
    simple_commands,
    lambda inner: st.one_of(
        _compound(inner),
        st.builds(lambda a, op, b: f"{a} {op} {b}", inner, st.sampled_from(["|", "&&", "||", "|&", ";", "&"]), inner),
        st.builds(lambda a: a + " &", inner),
        st.builds(lambda a: "! " + a, inner),
    ),
    max_leaves=8,
)
COMMENTS = st.one_of(st.just("# a comment"), st.builds(lambda w: "# " + w, WORD_CHARS), st.just("#"))


def _mangle(parts_and_cuts) -> str:
    text, cuts = parts_and_cuts
    for kind, at in cuts:
        at = at % (len(text) + 1)
        if kind == 0:
            text = text[:at]  # truncated (unterminated quotes, heredocs, blocks)
        elif kind == 1:
            text = text[:at] + text[at // 2:]  # a slice duplicated
        else:
            text = text[at:] + text[:at]  # rotated: closers before openers
    return text


shell_text = st.lists(st.one_of(statements, COMMENTS, st.just("")), max_size=8).map("\n".join)
mangled = st.tuples(shell_text, st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10_000)),
                                         min_size=1, max_size=3)).map(_mangle)
soup = st.lists(st.one_of(words, st.sampled_from(
    ["if", "then", "fi", "case", "esac", "in", ";;", "(", ")", "((", "))", "$((", "$(", "[[", "]]",
     "{", "}", "do", "done", "for", "while", "<<", "<<-", "EOF", "\n", ";", "&", "|", "&&", "`",
     "'", '"', "\\", "#", "\\\n", "=", "()", "function", "=~", "<(", "${", "$'"])), max_size=40
).map(" ".join)

# -- header -------------------------------------------------------------------------------

DASHES = st.sampled_from(["--", "-", "\u2013", "\u2014", "\u2212", "---", ""])
VALUES = st.one_of(
    st.sampled_from(["1", "0", "4", "gpu:2", "gpu:v100:4", "01:00:00", "1-00:00", "4G", "def-lab",
                     "logs/%x-%j.out", "$SCRATCH/x", "~/run", "$(date)", "`id`", "ALL", "a,b",
                     "user@x.org", "0-9%2", "none", "", "=", "'a b'", '"q"', "a\\ b", "x#y", ":",
                     "'open", '"open', "\\", "é", "\u2013"]),
    WORD_CHARS,
)


def _directive(args) -> str:
    (long, short, _arg), form, value, prefix, tail = args
    if form == 0 or not short:
        option = f"--{long}={value}"
    elif form == 1:
        option = f"--{long} {value}"
    elif form == 2:
        option = f"-{short} {value}"
    elif form == 3:
        option = f"-{short}{value}"
    else:
        option = f"--{long[:max(1, len(long) // 2)]}"
    return prefix + option + tail


directives = st.one_of(
    st.tuples(st.sampled_from(OPTIONS), st.integers(0, 4), VALUES,
              st.sampled_from(["#SBATCH ", "#SBATCH\t", "#SBATCH  ", "#SLURM ", " #SBATCH ", "#SBATCH",
                               "# SBATCH ", "#sbatch ", "#SBTACH ", "#PBS -l ", "#BSUB -"]),
              st.sampled_from(["", "  # note", " #", " \\", " extra", "  ", " hetjob", "\t"])).map(_directive),
    st.builds(lambda d, v: f"#SBATCH {d}{v}", DASHES, WORD_CHARS),
    st.sampled_from(["#SBATCH", "#SBATCH ", "#SBATCH hetjob", "#SBATCH --", "#SBATCH : x", "#SBATCH -",
                     "#PBS -l walltime=1:00:00", "#PBS -l nodes=2:ppn=4", "#PBS -N job", "#BSUB -n 4",
                     "#BSUB -W 10:00", "#PBS -q", "#SBATCH --time=1 --time=2 -t"]),
)

# -- whole files --------------------------------------------------------------------------

SHEBANGS = st.sampled_from(["#!/bin/bash", "#!/bin/bash -l", "#!/usr/bin/env bash", "#!/bin/sh",
                            "", "#! /bin/bash", "#!/bin/zsh", "\n#!/bin/bash"])
bodies = st.one_of(shell_text, mangled, soup)

scripts = st.builds(
    lambda shebang, head, body: "\n".join([shebang, *head, body]) + "\n",
    SHEBANGS, st.lists(st.one_of(directives, COMMENTS, st.just("")), max_size=8), bodies,
)
def _nest(args) -> str:
    (opener, closer), depth, core = args
    return "#!/bin/bash\n" + opener * depth + core + closer * depth + "\n"


nested = st.tuples(
    st.sampled_from([("$(", ")"), ("$((", "))"), ('"$(', ')"'), ("(", ")"), ("{ ", "; }"),
                     ("${x:-", "}"), ("<(", ")"), ("if true; then ", "; fi"), ("[[ ", " ]]"),
                     ("$(( (", ") ))"), ("for i in x; do ", "; done"), ("case x in x) ", ";; esac"),
                     ("f() { ", "; }"), ("echo $(echo `", "`)"), ("a=(", ")"), ("'", "'")]),
    st.one_of(st.integers(1, 120), st.sampled_from([99, 100, 101, 250, 1200])),
    st.sampled_from(["echo x", "x", "", "1", "$("]),
).map(_nest)


def _long_line(args) -> str:
    piece, count, where = args
    line = piece * count
    return "#!/bin/bash\n" + (f"#SBATCH --comment={line}\n" if where else "") + f"echo {line}\n"


long_lines = st.tuples(st.sampled_from(["a", "x ", "$x", "'a'", '"$y"', "\\ ", "é", "$((1))", "&& a ", "| b "]),
                       st.integers(1000, 20_000), st.booleans()).map(_long_line)


def _encode(args) -> bytes:
    text, ending, bom, damage, seed = args
    data = text.replace("\n", ending).encode("utf-8")
    if ending == "mixed":
        data = b"".join(line + (b"\r\n" if k % 2 else b"\n")
                        for k, line in enumerate(text.encode("utf-8").split(b"\n")))
    for k, junk in enumerate(damage):  # NUL, invalid UTF-8, lone CR at chosen places
        at = (seed * (k + 7)) % (len(data) + 1)
        data = data[:at] + junk + data[at:]
    return (b"\xef\xbb\xbf" if bom else b"") + data


script_bytes = st.tuples(
    st.one_of(scripts, nested, long_lines),
    st.sampled_from(["\n", "\r\n", "\r", "mixed"]), st.booleans(),
    st.lists(st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xe2\x80", b"\r", b"\xef\xbb\xbf", b"\\"]), max_size=3),
    st.integers(0, 1_000_000),
).map(_encode)

# Plain commands and lists of them, as the fast path reads them (test_fast_path.py):
# mostly plain words, with the odd substitution or keyword that must send them to bashlex.
_plain_text = st.text(st.sampled_from(list("ab1_-./=:%@+,~*?[]{}!#é ")), max_size=8)
plain_words = st.one_of(
    PLAIN.filter(lambda w: w not in ("then", "do", "done", "fi", "esac", "in", "{", "}", "!", "function",
                                     "select", "coproc", "time")),
    NAMES.map(lambda n: "$" + n), NAMES.map(lambda n: "${" + n + "}"),
    st.one_of(_plain_text, NAMES.map(lambda n: "$" + n)).map(lambda t: f'"{t}"'), _plain_text.map(lambda t: f"'{t}'"),
    st.sampled_from(["a\\ b", "\\$x", "'", '"', "\\", "$", "a#b", "x=$'a'", "{", "time", "!"]),
    _plain_text.map(lambda t: t.replace(" ", "")),
    st.builds(lambda a, b: a + f'"{b}"', PLAIN, _plain_text),
    st.sampled_from(["2", "10", "a[1]=x", "X=", "X+=y", "1a=b", "-", "$(x)", "`x`", "$((1))"]),
)
plain_redirects = st.builds(lambda fd, op, sp, w: fd + op + sp + w,
                            st.sampled_from(["", "", "1", "2", "12", "a"]),
                            st.sampled_from(sorted(["<", ">", ">>", "<>", ">|", "&>", "&>>", "<<<", ">&", "<&"])),
                            st.sampled_from(["", " "]), st.one_of(plain_words, st.sampled_from(["1", "2", "-"])))
plain_commands = st.builds(
    lambda pre, ws, reds, order: " ".join(pre + (ws + reds if order else reds + ws)),
    st.lists(st.builds(lambda n, w: f"{n}={w}", NAMES, plain_words), max_size=2),
    st.lists(plain_words, max_size=5), st.lists(plain_redirects, max_size=2), st.booleans(),
)
_good_ops = [" | ", " && ", " || ", "; ", " & ", " |& ", " &&\n  ", " |\n"]
plain_lists = st.one_of(*[st.builds(
    lambda first, rest, end: first + "".join(op + cmd for op, cmd in rest) + end,
    plain_commands, st.lists(st.tuples(st.sampled_from(ops), plain_commands), max_size=3), st.sampled_from(ends),
) for ops, ends in [(_good_ops, ["", " &", ";", " ;", " & ", " # c"]),
                    (_good_ops + [" ", ";;", " |", "&", "\n"], [" |", " &&", ";;", "\\"])]])
