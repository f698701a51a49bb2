"""Inline suppressions: scopes, names and codes, sbatch's view of a trailing comment, graders."""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from cclint.runner import lint_source
from cclint.script import Script
from cclint.source import SourceFile
from tests.conftest import lint, make_settings
from tests.robustness.strategies import PROFILE
from tests.test_cli import cclint


def found(text, **options):
    """Findings, without missing-account (info), which most of these short scripts would get."""
    options.setdefault("ignore", ["missing-account"])
    return [(d.line, d.rule) for d in lint(text, **options)]


def test_trailing_comment_on_sbatch_line_keeps_the_directive():
    text = ("#!/bin/bash\n#SBATCH --gres=gpu:2  # cclint: disable=multi-gpu-request -- benchmark\n"
            "#SBATCH --account=def-lab # cclint: disable-line=CC202 -- reported on the last directive\n"
            "python train.py\n")
    script = Script.from_text(text)
    assert [(d.name, d.value) for d in script.header.directives] == [("gres", "gpu:2"), ("account", "def-lab")]
    assert not script.header.problems
    assert found(text) == []  # multi-gpu-request silenced; no invalid or unused suppression


def test_quoted_hash_in_directive_is_not_a_comment():
    text = '#!/bin/bash\n#SBATCH --comment="run # cclint: disable=missing-time"\npython x.py\n'
    assert ("missing-time" in {r for _, r in found(text)})


def test_names_and_codes_are_both_accepted():
    base = "#!/bin/bash\n#SBATCH --time=1\nconda activate env  # cclint: disable-line={}\n"
    assert found(base.format("conda-use")) == []
    assert found(base.format("CC401")) == []
    assert found(base.format("cc401")) == []


def test_disable_line_covers_only_its_line():
    text = "#!/bin/bash\n#SBATCH --time=1\nconda activate a  # cclint: disable-line=conda-use\nconda activate b\n"
    assert found(text) == [(4, "conda-use")]


def test_trailing_comment_covers_the_command_it_ends():
    text = ("#!/bin/bash\n#SBATCH --time=1\npip install \\\n    torch \\\n"
            "    numpy  # cclint: disable-line=pip-without-no-index\npip install x\n")
    assert found(text) == [(6, "pip-without-no-index")]


def test_next_line_skips_blank_lines_and_other_cclint_comments_and_spans_the_command():
    text = ("#!/bin/bash\n#SBATCH --time=1\n# cclint: disable-next-line=pip-without-no-index\n\n"
            "# cclint: disable-next-line=network-in-job\npip install \\\n    git+https://example.org/x.git\n"
            "pip install y\n")
    assert found(text) == [(8, "pip-without-no-index")]


def test_next_line_is_the_next_line_not_the_next_command():
    # a plain comment is a line: the suppression covers it, not the command below (explicit scope)
    text = "#!/bin/bash\n#SBATCH --time=1\n# cclint: disable-next-line=conda-use\n# we need conda\nconda activate\n"
    assert set(found(text)) == {(5, "conda-use"), (3, "unused-suppression")}


def test_header_suppression_is_not_file_wide():
    # ShellCheck's trap: a directive among the #SBATCH lines silently covers the whole file
    text = ("#!/bin/bash\n# cclint: disable-next-line=conda-use\n#SBATCH --time=1\n"
            "conda activate env\n")
    assert set(found(text)) == {(4, "conda-use"), (2, "unused-suppression")}


def test_range_and_file_scopes():
    text = ("#!/bin/bash\n# cclint: disable-file=missing-time -- template\n# cclint: disable=conda-use\n"
            "conda activate a\nconda activate b\n# cclint: enable=conda-use\nconda activate c\n")
    assert found(text) == [(7, "conda-use")]


def test_unclosed_range_suppresses_nothing_and_says_so():
    text = "#!/bin/bash\n#SBATCH --time=1\n# cclint: disable=conda-use\nconda activate\n"
    assert set(found(text)) == {(3, "invalid-suppression"), (4, "conda-use")}


def test_suppressions_in_here_documents_are_data():
    text = ("#!/bin/bash\n#SBATCH --time=1\ncat > inner.sh <<'EOF'\nconda activate  # cclint: disable-line=bogus\n"
            "EOF\n")
    assert found(text) == []


def test_no_inline_config_ignores_every_comment(tmp_path):
    job = tmp_path / "job.sh"
    job.write_text("#!/bin/bash\n#SBATCH --account=def-lab\n# cclint: disable-file=missing-time,conda-use\n"
                   "conda activate\necho  # cclint: disable-line=nope\n")
    code, out, _ = cclint("--format", "json", job)
    assert code == 1 and {d["rule"] for d in json.loads(out)["diagnostics"]} == {"invalid-suppression"}
    # each ignored comment is reported (ignored-suppression), so a grader sees what it tried to hide
    expected = ["conda-use", "ignored-suppression", "ignored-suppression", "missing-time"]
    code, out, _ = cclint("--format", "json", "--no-inline-config", job)
    assert sorted(d["rule"] for d in json.loads(out)["diagnostics"]) == expected
    code, out, _ = cclint("--format", "json", job, env={"CCLINT_NO_INLINE_CONFIG": "1"})
    assert sorted(d["rule"] for d in json.loads(out)["diagnostics"]) == expected
    (tmp_path / ".cclint.yaml").write_text("inline-config: false\n")
    code, out, _ = cclint("--format", "json", job)
    assert sorted(d["rule"] for d in json.loads(out)["diagnostics"]) == expected


def test_unused_suppression_fix_round_trip(tmp_path):
    job = tmp_path / "job.sh"
    job.write_text("#!/bin/bash\n#SBATCH --time=1\n# cclint: disable-next-line=conda-use\npython x.py\n"
                   "echo ok  # cclint: disable-line=salloc-in-script -- stale\n")
    code, out, err = cclint("--fix", job)
    assert code == 0, out + err
    assert job.read_text() == "#!/bin/bash\n#SBATCH --time=1\npython x.py\necho ok\n"


def test_severity_override_applies_to_engine_rules():
    text = "#!/bin/bash\n#SBATCH --time=1\n#SBATCH -A def-lab\necho  # cclint: disable-line=conda-use\n"
    settings = make_settings()
    from cclint.diagnostics import Severity

    settings.severity = {"unused-suppression": Severity.WARNING}
    [diag] = lint_source(SourceFile.from_text(text), settings).diagnostics
    assert diag.rule == "unused-suppression" and diag.severity == Severity.WARNING


_pieces = st.sampled_from([
    "# cclint: disable=conda-use", "# cclint: enable=conda-use", "# cclint: disable-next-line=CC402",
    "# cclint: disable-file=", "# cclint: disable-line=a,,b -- x", "#cclint:", "# cclint: disable=all",
    "conda activate", "pip install x", "#SBATCH --time=1", "'# cclint: x'", "\\", "<<EOF", "EOF",
    "echo \"# cclint: disable=x\"", "# cclint: ENABLE=conda-use # why", "", "#SBATCH --gres=gpu:2 # cclint: disable=CC201",
])


@settings(PROFILE)
@given(st.lists(st.lists(_pieces, min_size=1, max_size=3).map(lambda p: "  ".join(p)), max_size=12))
def test_suppression_parsing_never_crashes(lines):
    text = "#!/bin/bash\n" + "\n".join(lines) + "\n"
    result = lint_source(SourceFile.from_text(text), make_settings())
    assert not result.internal_errors
    for d in result.diagnostics:
        assert 1 <= d.line <= text.count("\n") + 1


def test_marker_is_case_insensitive():
    text = "#!/bin/bash\n#SBATCH --time=1\nconda activate  # CCLINT: disable-line=conda-use\n"
    assert found(text) == []


def test_only_the_start_of_a_comment_is_read():
    # inside another comment, or after `$#`/`${#x}`, `# cclint:` is not a suppression
    text = ("#!/bin/bash\n#SBATCH --time=1\nconda activate  # note # cclint: disable-line=conda-use\n"
            "echo ${#x}# cclint: disable-line=bogus\n")
    assert found(text) == [(3, "conda-use")]


def test_a_code_prefix_in_a_suppression_is_named_as_such():
    # `CC5` is a prefix of CC501-CC503, not a misspelling of CC605 multiple-mig-instances.
    text = "#!/bin/bash\n#SBATCH --time=01:00:00\nsalloc -n 1  # cclint: disable-line=CC5\n"
    (problem,) = [d for d in lint(text, ignore=["missing-account"]) if d.rule == "invalid-suppression"]
    assert "prefix of several rules" in problem.message
    assert "CC501 salloc-in-script" in problem.message and "mig" not in problem.message
    assert "salloc-in-script" in {d.rule for d in lint(text)}
