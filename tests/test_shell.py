"""The shell model: statements, bashlex with masking and fallback, traps, flow, paths."""

from __future__ import annotations

import pytest

from cclint.script import Script
from cclint.shell.expand import LOCAL, SHARED, UNKNOWN, Expander, classify, unquote
from cclint.shell.lexer import lex


def script(text: str) -> Script:
    return Script.from_text(text)


def commands(text: str):
    return [(c.line, c.name, c.args) for c in script(text).body.commands if c.words]


def test_statements_follow_nesting_heredocs_and_continuations():
    text = ("a=1\nif true; then\n  echo x\nfi\ncat <<EOF\nbody ) ( fi\nEOF\n"
            "python run.py \\\n  --x 1\nls | \\\n  wc -l\n")
    starts = [text[s.start:s.end].split("\n")[0] for s in lex(text).statements]
    assert starts == ["a=1", "if true; then", "cat <<EOF", "python run.py \\", "ls | \\"]


@pytest.mark.parametrize("construct", [
    "n=$(( SLURM_ARRAY_TASK_ID + 1 ))",
    'echo "$(( 1 + 2 ))"',
    "[[ -f ckpt.pt && -s ckpt.pt ]] && echo resume",
    '[[ $x =~ ^(a|b)$ ]] && echo match',
    "ARGS=(--seed 1 --lr '0.1')",
    'ARGS+=(--resume "$CKPT")',
    "case $k in\n  a|b) X=1 ;;\n  *) X=2\n     ;;\nesac",
    "case $k in a) ;; b) echo b;; esac",
    "for ((i = 0; i < 3; i++)); do echo $i; done",
    "time python train.py",
    "cat <<'EOF'\n$not_expanded\nEOF",
    'cat <<"EOF"\nx\nEOF',
    "X=$(ls -t *.pt 2>/dev/null | head -n 1 || true)",
    "select x in a b; do echo $x; done",
    "",
    "# only a comment",
])
def test_constructs_bashlex_lacks_are_still_parsed(construct):
    body = script("#!/bin/bash\n" + construct + "\n").body
    assert not body.incomplete, body.incomplete


def test_heredoc_inside_command_substitution_is_read_whole():
    text = ("#!/bin/bash\nread -r -a L <<< \"$(\n  python - <<'EOF'\nprint(\"it's (1)\")\nEOF\n)\"\n"
            "X=\"$(cat <<END\n) ( fi\nEND\n)\"\nsrun python train.py\n")
    s = script(text)
    assert not s.body.incomplete, s.body.incomplete
    assert [(c.line, c.name) for c in s.body.commands if c.words] == [
        (2, "read"), (3, "python"), (7, "cat"), (11, "srun")]
    assert {4, 5, 8, 9} <= s.body.data_lines  # the bodies are data, not header or commands
    assert not lex(text).unterminated


@pytest.mark.parametrize("definition", [
    "setup()\n{\n  echo $1\n}", "setup ( )\n\n{\n  echo $1\n}", "function setup\n{\n  echo $1\n}",
    "function setup()\n{\n  echo $1\n}",
])
def test_function_body_on_the_next_line(definition):
    s = script("#!/bin/bash\n" + definition + "\nsetup x\n")
    assert not s.body.incomplete, s.body.incomplete
    assert list(s.body.functions) == ["setup"]
    assert [(c.name, c.function) for c in s.body.commands] == [("echo", "setup"), ("setup", None)]


def test_masked_constructs_keep_their_commands():
    found = commands("#!/bin/bash\ncase $m in\n  a) python a.py ;;\n  *) srun b ;;\nesac\n"
                     "time python c.py --n $((i+1))\n[[ -f x ]] && python d.py\n")
    names = [name for _, name, _ in found]
    assert names == ["python", "srun", "python", "[", "python"]
    assert found[2][2] == ["c.py", "--n", "$((i+1))"]  # words come from the original text


def test_unparsable_statement_is_tokenized_and_reported():
    body = script("#!/bin/bash\necho before\nif then fi ((\npython train.py --data x\n").body
    assert len(body.incomplete) == 1
    assert body.incomplete[0].first_line == 3
    names = [c.name for c in body.commands]
    assert "echo" in names and "python" in names
    assert not all(c.parsed for c in body.commands)


def test_background_context_and_redirects():
    body = script("#!/bin/bash\nfor i in 0 1; do\n  CUDA_VISIBLE_DEVICES=$i python t.py > o_$i.log 2>&1 &\n"
                  "done\nwait\nf() { cp -r a b; }\n( cd x && make )\n").body
    python = body.named("python")[0]
    assert python.background and python.in_loop
    assert python.assignments[0].name == "CUDA_VISIBLE_DEVICES"
    assert [r.op for r in python.redirects] == [">", "2>&"]
    cp = body.named("cp")[0]
    assert cp.function == "f" and not cp.background
    assert "subshell" in body.named("make")[0].context


def test_and_list_backgrounded_as_a_whole():
    body = script("#!/bin/bash\ncd x && python t.py &\necho done\n").body
    assert body.named("cd")[0].background and body.named("python")[0].background
    assert not body.named("echo")[0].background


def test_trap_handlers_are_parsed_and_replayed_last():
    s = script("#!/bin/bash\nsave() { cp -r $SLURM_TMPDIR/r ~/out; }\n"
               "trap 'save; echo bye' EXIT\ntrap save USR1\npython t.py\n")
    traps = s.body.traps
    assert [t.signals for t in traps] == [("EXIT",), ("USR1",)]
    assert traps[0].function_calls == ("save",)
    order = [(st.command.name, st.via) for st in s.flow.steps]
    assert order[-1][0] == "cp" and order[-1][1][0] == "trap:USR1"
    assert ("python", ()) in order and order.index(("python", ())) < len(order) - 3


def test_a_redefined_function_runs_its_latest_definition():
    """As bash: a call runs the definition read last before it; a trap at exit, the last one.
    (Replaying every definition at every call was quadratic on long scripts.)"""
    s = script("#!/bin/bash\nsave() { cp a ~/one; }\nsave\nsave() { rsync b ~/two; }\nsave\n"
               "trap save EXIT\nsave() { scp c host:three; }\n")
    ran = [(st.command.name, st.via) for st in s.flow.steps if st.via and st.command.name != "save"]
    assert ran == [("cp", ("function:save",)), ("rsync", ("function:save",)),
                   ("scp", ("trap:EXIT", "function:save"))]


def test_heredoc_and_multiline_string_lines_are_data():
    s = script("#!/bin/bash\ncat > j.sh <<EOT\n#SBATCH --time=1\nEOT\necho \"a\n#SBATCH --mem=1\"\n")
    assert s.body.data_lines == frozenset({3, 4, 6})
    assert s.header.ignored == []


def test_flow_tracks_variables_cd_and_functions():
    s = script("#!/bin/bash\nOUT=~/projects/def-x/$USER/out\nexport DATA=$SLURM_TMPDIR/data\n"
               "cd $SLURM_TMPDIR\ncd data\nrun() { python t.py ./in $OUT; }\ncd ..\nrun\n"
               "X=${UNSET:-/scratch/x}\necho $X\n")
    python = next(st for st in s.flow.steps if st.command.name == "python")
    assert python.cwd == "$SLURM_TMPDIR"  # replayed where the function is called
    assert python.via == ("function:run",)
    assert python.location("./in") == LOCAL
    assert python.location("$OUT") == SHARED
    assert python.value("$DATA").text == "$SLURM_TMPDIR/data"
    echo = next(st for st in s.flow.steps if st.command.name == "echo")
    assert echo.value("$X").text == "/scratch/x"


def test_subshell_cd_does_not_leak():
    s = script("#!/bin/bash\n(cd $SLURM_TMPDIR; ls)\npython t.py\n")
    python = next(st for st in s.flow.steps if st.command.name == "python")
    assert python.cwd == "$SLURM_SUBMIT_DIR"


def test_chdir_sets_the_starting_directory():
    s = script("#!/bin/bash\n#SBATCH --chdir=/scratch/me/run\npython t.py\n")
    assert s.flow.steps[0].cwd == "/scratch/me/run"


@pytest.mark.parametrize("path,kind", [
    ("$SLURM_TMPDIR/x", LOCAL), ("/tmp", LOCAL), ("/localscratch/u", LOCAL), ("$TMPDIR", LOCAL),
    ("~", SHARED), ("~/projects/def-a", SHARED), ("/project/123", SHARED), ("/scratch/u", SHARED),
    ("$SCRATCH/d", SHARED), ("/network/datasets", SHARED), ("/lustre04/x", SHARED),
    ("$SLURM_SUBMIT_DIR/x", SHARED), ("/opt/software", UNKNOWN), ("${1}/x", UNKNOWN),
    ("/tmpfoo", UNKNOWN),
])
def test_path_classification(path, kind):
    assert classify(path) == kind


def test_expansion_rules():
    e = Expander({"A": "/scratch/a"}, "$SLURM_TMPDIR/work")
    assert e.expand('"$A"/b').text == "/scratch/a/b"
    assert e.expand("'$A'").text == "$A"
    assert e.expand("${A:-x}").text == "/scratch/a"
    assert e.expand("${B:-~/d}").text == "~/d"
    value = e.expand("$(date)/x")
    assert not value.exact and value.location == UNKNOWN
    assert e.path("../y")[1] == "$SLURM_TMPDIR/y"
    assert e.path("$PWD/z")[1] == "$SLURM_TMPDIR/work/z"
    assert e.expand("~bob/x").text == "/home/bob/x"
    assert unquote("a'b c'\"$d\"\\ e") == "ab c$d e"


@pytest.mark.parametrize("raw, literal", [
    ('"$OUTDIR"', "$OUTDIR"), ("'a \"b\" c'", 'a "b" c'), ('"it\'s"', "it's"),
    ("'x'\"y\"'z'", "xyz"), ('"open', "open"), ("'open", "open"), ('a"b"c', "abc"),
    ("\"a'b\"'c\"d'", "a'bc\"d"), ('"a\\"b"', 'a"b'), ("$'x'y", "xy"),
])
def test_unquote_takes_quotes_off_as_bash_does(raw, literal):
    assert unquote(raw) == literal


@pytest.mark.parametrize("first_line,name,shell", [
    ("#!/bin/bash", "bash", True), ("#! /bin/bash -l", "bash", True), ("#!/usr/bin/env bash", "bash", True),
    ("#!/usr/bin/env -S bash -eu", "bash", True), ("#!/bin/sh", "sh", True), ("#!/bin/zsh", "zsh", True),
    ("#SBATCH --time=1", "", True), ("#!", "", True),
    ("#!/usr/bin/env python3", "python3", False), ("#!/usr/bin/python", "python", False),
    ("#!/usr/bin/env -i PATH=/bin perl -w", "perl", False), ("#!/usr/bin/env Rscript", "Rscript", False),
    ("#! /bin/env sage-python", "sage-python", False), ("#!/bin/tcsh", "tcsh", False),
])
def test_the_interpreter_decides_whether_the_body_is_shell(first_line, name, shell):
    s = script(first_line + "\n#SBATCH --time=10\ndef main(args):\n    print(f'{args}')\n")
    assert (s.interpreter, s.is_shell) == (name, shell)
    assert bool(s.body.commands) == shell
    assert s.header.value("time") == "10"  # sbatch reads the header whatever runs the body


def test_sbatch_lines_in_a_python_string_are_data():
    s = script('#!/usr/bin/env python3\n#SBATCH --time=10\nimport os\n# it\'s\nT = f"""#!/bin/bash\n'
               '#SBATCH --time={t}\n"""\n#SBATCH --mem=1G\n')
    assert s.body.data_lines == frozenset({6, 7})
    assert [d.line for d in s.header.ignored] == [8]


def test_constructs_inside_command_substitution_are_masked_too():
    found = commands("#!/bin/bash\nM=$(case $1 in\n  a) srun a ;;\nesac)\nC=$([[ -f x ]] && cat x)\n"
                     "S=$(for ((i=0; i<2; i++)); do echo $i; done)\nT=$(time ls)\n")
    assert [name for _, name, _ in found] == ["srun", "[", "cat", "echo", "ls"]
    assert not script("#!/bin/bash\nM=$(case $1 in a) echo;; esac)\n").body.incomplete
