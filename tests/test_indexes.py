"""The shortcuts that spare rules a walk over every command of a long script answer exactly
as that walk would, on generated scripts: the index of commands by program
(`analysis.commands.running`), the steps of a few commands (`Flow.steps_of`), and the text
pre-checks of conda-use and placeholder-value."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from cclint.analysis.commands import invocation, running
from cclint.analysis.placeholders import ANYWHERE, EXAMPLE_EMAIL, may_hold_placeholder
from cclint.runner import lint_text
from cclint.script import Script
from rules.environment.conda_use import CondaUse
from tests.conftest import make_settings
from tests.robustness import strategies as S

PROGRAMS = ["pip", "python", "conda", "wget", "git", "srun", "echo", "tar", "cp", "source", ".",
            "module", "export", "torchrun", "rsync", "sbatch", "nohup", "time"]


@S.PROFILE
@given(S.bodies, st.sets(st.sampled_from(PROGRAMS)))
def test_running_lists_what_a_walk_over_every_command_finds(text, names):
    body = Script.from_text("#!/bin/bash\n" + text).body
    walk = [c for c in body.commands if (inv := invocation(c)) is not None and inv.name in names]
    assert running(body, names.__contains__) == walk
    assert running(body, lambda name: name.startswith("p")) == \
        [c for c in body.commands if (inv := invocation(c)) is not None and inv.name.startswith("p")]


@S.PROFILE
@given(S.bodies, st.sets(st.sampled_from(PROGRAMS)))
def test_steps_of_lists_what_a_walk_over_every_step_finds(text, names):
    script = Script.from_text("#!/bin/bash\n" + text)
    walk = [s for s in script.flow.steps if s.command.words and s.command.basename in names]
    assert script.flow.steps_of(script.body.named(*names)) == walk


def test_running_keeps_source_order_across_programs():
    body = Script.from_text("#!/bin/bash\nwget a\nsrun pip install x\ncurl b\nnohup wget c\n").body
    assert [c.line for c in running(body, {"wget", "curl", "pip"}.__contains__)] == [2, 3, 4, 5]
    assert running(body, {"git"}.__contains__) == []


# Words of PATH edits, program paths and activations, with quotes and escapes between the
# `/` and the installation's name: conda-use reads only a few programs unless the text
# names a conda path.
_PIECES = st.lists(st.sampled_from(["$HOME", "/opt", "bin", ":", "$PATH", "/envs/x", "/", '"', "'"]),
                   max_size=3).map("".join)
_CONDA_WORDS = st.tuples(_PIECES, st.just("/"), st.lists(st.sampled_from(['"', "'", "\\", "$"]), max_size=2),
                         st.sampled_from(["miniconda3", "anaconda3", "Miniforge3", "micromamba", "mambaforge"]),
                         _PIECES).map(lambda parts: parts[0] + parts[1] + "".join(parts[2]) + "".join(parts[3:]))
_CONDA_LINES = st.tuples(st.sampled_from(["PATH=", "export PATH=", "", "srun ", "source ", "module load ",
                                          "declare PATH=", "ml "]),
                         _CONDA_WORDS, st.sampled_from(["", " train.py", " activate", "/bin/python x"])).map("".join)


@S.PROFILE
@given(st.lists(_CONDA_LINES, min_size=1, max_size=5).map("\n".join))
def test_conda_use_finds_what_a_walk_over_every_command_finds(text):
    text = "#!/bin/bash\n" + text + "\n"
    body = Script.from_text(text).body
    walk = sorted({c.line for c in body.commands if CondaUse._conda(c)})
    found = sorted({d.line for d in lint_text(text, make_settings(select=["conda-use"])).diagnostics
                    if d.rule == "conda-use"})
    assert found == walk


_TEMPLATE_TEXT = st.lists(st.sampled_from(
    ["<", ">", "{", "}", "$", "def-", "DEF-", "your", "YOUR_", "account", "user", "change", "me",
     "Replace", "-me", "x", "a", " ", "\0", "/", "_", "@", "example", ".", "com", "ORG", "9"]),
                          max_size=12).map("".join)


@S.PROFILE
@given(_TEMPLATE_TEXT)
@example("x change-me")
@example("<your account>")
@example("a {exp} b")
@example("def-someuser")
@example("YOUR_USERNAME")
@example("a@example.org")
def test_the_placeholder_pre_check_never_hides_a_placeholder(text):
    if ANYWHERE.search(text) or EXAMPLE_EMAIL.search(text):
        assert may_hold_placeholder(text)
