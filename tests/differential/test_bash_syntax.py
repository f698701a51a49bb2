"""bash-syntax-error against `bash -n`, script by script.

`bash -n` reads a script and reports its first syntax error without running anything (the
test never executes a script). cclint must find the same error, on the same line, with the
same message, or accept the script when bash does: on the corpus, the rule cases, the
benchmark's generated scripts, hand-written fragments, and thousands of mutations of them
(a token dropped, doubled or moved, a keyword, quote or operator inserted, a line of
template text, the file cut short). Where cclint says nothing and bash refuses the script,
cclint must have said why it is unsure (one of the reasons SYNTAX_FINDINGS.md explains):
a script it calls valid must be valid.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from cclint.script import Script
from cclint.shell.interpreter import BASH_GRAMMAR
from cclint.shell.lexer import NEWLINE, lex
from cclint.shell.syntax import SyntaxProblem, examine
from cclint.source import SourceFile

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")

ROOT = Path(__file__).resolve().parents[2]
MUTANTS_PER_SEED = 8
# Why cclint may be silent where bash -n refuses (SYNTAX_FINDINGS.md): `examine`'s reasons.
REASONS = {"aliases", "extglob", "substitution", "arithmetic", "conditional", "here-document",
           "case pattern", "function name", "array", "coproc", "time", "nesting", "continuation"}

# Texts inserted at a token boundary: keywords, operators, quotes, template text.
INSERTS = ["fi", "then", "do", "done", "esac", "in", "}", "{", ")", "(", ";;", ";", "&", "&&", "||",
           "|", "!", "time", "else", "elif", "if", "while", "for", "case", "function", '"', "'", "`",
           "$(", "${", "<", ">", ">&", "<<", "<<<", "2>", "\n", "<path/to/env>", "<ENV_NAME>",
           "f()", "((", "))", "[[", "]]", "x=(", "\\"]
TEMPLATE_LINES = ["source <path/to/venv>", "conda activate <ENV>", "cd <project_dir>",
                  "python train.py --data <dataset> > <log>", "export PATH=<dir>:$PATH"]
# Constructs a script may hold, valid or not: a seed each.
FRAGMENTS = [
    "if [ -f a ]; then\n  echo a\nelif [ -f b ]; then\n  echo b\nelse\n  echo c\nfi\n",
    "for x in a b c; do\n  echo $x\ndone\nfor y\ndo echo $y; done\nfor ((i=0; i<3; i++)); do :; done\n",
    "while read -r line; do\n  echo \"$line\"\ndone < list.txt\nuntil false; do break; done\n",
    "case \"$1\" in\n  a|b) echo ab ;;\n  (c) echo c ;&\n  *) echo other ;;\nesac\n",
    "f() {\n  local x=$1\n  echo \"$x\"\n}\ng()\n{\n  f \"$@\"\n}\nfunction h { g 1; }\nh\n",
    "{ echo a; echo b; } > out.txt 2>&1\n( cd /tmp && ls ) | wc -l\n! grep -q x file || echo none\n",
    "x=$(ls | head -n 1)\ny=\"$(date +%s) $(( 1 + 2 ))\"\nz=`hostname`\narr=(1 2 3)\necho \"${arr[@]}\"\n",
    "cat <<EOF\nbody $x\nEOF\ncat <<-'END'\n\tquoted\n\tEND\nread -r a <<< \"$x\"\n",
    "[[ -f a && ( -d b || ! -e c ) ]] && echo yes\n(( n > 1 )) && echo big\ntime srun ./app\n",
    "exec 3> log.txt\necho hi >&3\nexec 3>&-\ncmd 2>/dev/null | tee -a all.log\ncoproc_like=1\n",
    "module load python/3.11 && source ~/env/bin/activate &&\n  python train.py \\\n    --lr 0.1\n",
    "select opt in a b; do echo $opt; break; done\ntrap 'echo bye' EXIT\nwait\n",
    "x=$(cat <<'EOF'\nit's (here)\nEOF\n)\necho \"$x\"\n",
    "echo \"${HOME:-/tmp}\" '${literal}' $'esc\\'aped' \"a\\\"b\"\nprintf '%s\\n' \"$@\"\n",
]
def _seeds() -> list[str]:
    seeds = [p.read_bytes() for p in sorted((ROOT / "tests" / "corpus" / "scripts").glob("*.sh"))]
    texts = [SourceFile.from_bytes("seed.sh", raw).text for raw in seeds]
    yaml = YAML(typ="safe", pure=True)
    for path in sorted((ROOT / "tests" / "rules" / "cases").glob("*.yaml")):
        for case in yaml.load(path.read_text("utf-8"))["cases"].values():
            texts.append(case["script"])
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import job_script

    texts += [job_script(seed) for seed in range(20)]
    texts += ["#!/bin/bash\n" + fragment for fragment in FRAGMENTS]
    # (as cclint reads them: `\r\n` is `\n`, as after the fix crlf-line-endings gives)
    texts = [SourceFile.from_text(t).text for t in texts]
    return [t for t in texts if Script.from_text(t).interpreter in BASH_GRAMMAR]


def _mutants(text: str, rng: random.Random) -> list[str]:
    tokens = [t for t in lex(text).tokens if t.kind != NEWLINE] or None
    lines = text.split("\n")
    out = []
    for _ in range(MUTANTS_PER_SEED):
        kind = rng.randrange(6)
        if kind == 0 and tokens:  # drop a token
            t = rng.choice(tokens)
            out.append(text[:t.start] + text[t.end:])
        elif kind == 1 and tokens:  # double a token
            t = rng.choice(tokens)
            out.append(text[:t.end] + " " + text[t.start:t.end] + text[t.end:])
        elif kind == 2 and tokens:  # insert something before a token
            t = rng.choice(tokens)
            out.append(text[:t.start] + rng.choice(INSERTS) + " " + text[t.start:])
        elif kind == 3 and tokens:  # cut the file after a token
            t = rng.choice(tokens)
            out.append(text[:t.end] + rng.choice(["", "\n"]))
        elif kind == 4:  # a line of template text
            k = rng.randrange(1, max(2, len(lines)))
            out.append("\n".join(lines[:k] + [rng.choice(TEMPLATE_LINES)] + lines[k:]))
        else:  # drop a line
            k = rng.randrange(1, max(2, len(lines)))
            out.append("\n".join(lines[:k] + lines[k + 1:]))
    return out


def bash_verdicts(texts: list[str], folder: Path) -> list[tuple[int, str] | None]:
    """`bash -n` on each text: (line, message) of its first error, or None."""
    paths = []
    for k, text in enumerate(texts):
        path = folder / f"{k:05d}.sh"
        path.write_text(text, "utf-8")
        paths.append(str(path))
    script = 'for f; do printf "\\n==%s\\n" "$f"; bash -n "$f" 2>&1; done'
    out = subprocess.run([BASH, "-c", script, "bash", *paths], capture_output=True, text=True,
                         errors="replace", check=False).stdout
    verdicts: dict[str, tuple[int, str] | None] = {}
    for chunk in out.split("\n==")[1:]:
        name, _, rest = chunk.partition("\n")
        first = None
        for line in rest.splitlines():
            match = re.match(r".*?: line (\d+): (.*)", line)
            if match and not match.group(2).startswith("warning:"):
                first = (int(match.group(1)), match.group(2))
                break
        verdicts[name] = first
    return [verdicts[p] for p in paths]


def cclint_verdict(text: str):
    """(line, message) of the error bash-syntax-error reports, None, or why it is unsure."""
    source = SourceFile.from_text(text)
    script = Script.build(source)
    if script.interpreter not in BASH_GRAMMAR:
        return None
    lexed = lex(source.text, reuse_lines=True)
    found = examine(source.text, lexed.statements, source.line_of)
    error = script.body.syntax_error
    assert (error is None) == (not isinstance(found, SyntaxProblem))  # (with or without fastparse)
    return (error.line, error.message) if error is not None else found


@pytest.fixture(scope="module")
def cases() -> list[str]:
    rng = random.Random(2026)
    seeds = _seeds()
    return seeds + [SourceFile.from_text(m).text for seed in seeds for m in _mutants(seed, rng)]


def test_bash_syntax_error_agrees_with_bash_n(cases, tmp_path):
    expected = bash_verdicts(cases, tmp_path)
    wrong, silent, refused = [], [], 0
    for text, want in zip(cases, expected):
        got = cclint_verdict(text)
        refused += want is not None
        if isinstance(got, str):  # unsure: silent, for a reason of its own
            assert got in REASONS, got
            if want is not None:
                silent.append(text)
            continue
        if got != want:
            wrong.append((want, got, text))
    assert not wrong, "\n\n".join(f"bash -n: {w}\ncclint:  {g}\n{t}" for w, g, t in wrong[:5])
    assert refused > len(cases) // 5  # the mutations do make errors
    assert len(silent) < refused // 20, f"{len(silent)} silences of {refused} errors"


REALWORLD = ROOT.parent / "shared" / "realworld" / "scripts"


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="no ../shared/realworld scripts")
def test_real_scripts_agree_with_bash_n(tmp_path):
    """On the real third-party scripts (read, never copied): bash's errors exactly, and
    nothing on the scripts for another interpreter, which bash -n refuses."""
    texts = [SourceFile.from_bytes(p.name, p.read_bytes()).text for p in sorted(REALWORLD.glob("*.sh"))]
    expected = bash_verdicts(texts, tmp_path)
    found = 0
    for text, want in zip(texts, expected):
        got = cclint_verdict(text)
        if Script.from_text(text).interpreter not in BASH_GRAMMAR:
            assert got is None
            continue
        if isinstance(got, str):  # unsure, for a reason of its own (a last line ending in `\`)
            assert got in REASONS, got
            continue
        assert got == want, (want, got, text[:200])
        found += want is not None
    assert found >= 2  # `source <path/to/venv/>`, `conda activate <ENV_NAME>`
