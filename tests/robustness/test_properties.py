"""Property tests over the whole pipeline: whatever the bytes, cclint answers.

No exception escapes `lint_source`/`lint_path` and no rule fails (the worst a script can
get is a `parse-incomplete` finding), every finding points inside the file, every edit
lies inside the text, and the output formats and the fixer accept every result.
"""

from __future__ import annotations

import io
import json

from hypothesis import example, given
from hypothesis import strategies as st

from cclint.fixer import fix_source
from cclint.output import Report, renderer
from cclint.runner import lint_path, lint_source
from cclint.settings import Settings
from cclint.source import SourceFile
from tests.robustness import strategies as S

SETTINGS = Settings()


def check_invariants(source: SourceFile, settings: Settings = SETTINGS):
    result = lint_source(source, settings)
    assert result.internal_errors == []
    lines = max(source.line_count, 1)
    for d in result.diagnostics:
        where = f"{d.rule} at {d.line}:{d.column}-{d.end_line}:{d.end_column}"
        assert 1 <= d.line <= lines, where
        assert d.line <= d.end_line <= lines, where
        assert 1 <= d.column <= len(source.line(d.line)) + 1, where
        assert 1 <= d.end_column <= len(source.line(d.end_line)) + 1, where
        assert d.end_line > d.line or d.end_column >= d.column, where
        assert 0 <= d.offset <= len(source.text), where
        for edit in d.edit.edits if d.edit else ():
            assert 0 <= edit.start <= edit.end <= len(source.text), where
    report = Report([result])
    for fmt in ("text", "json"):
        out = io.StringIO()
        renderer(fmt).render(report, out)
    json.loads(out.getvalue())
    return result


def lint_bytes(raw: bytes):
    return check_invariants(SourceFile.from_bytes("job.sh", raw))


@S.PROFILE
@given(st.binary(max_size=3000))
@example(b"\xef\xbb\xbf")
@example(b"\r")
@example(b"\x00")
def test_random_bytes(raw):
    lint_bytes(raw)


@S.PROFILE
@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\\'\"`$(){}[];&|<>#=!*?~-_azAZ09é\u2013\x00")), max_size=400))
def test_random_shell_characters(text):
    lint_bytes(("#!/bin/bash\n" + text).encode("utf-8"))


@S.PROFILE
@given(S.scripts)
def test_generated_scripts(text):
    lint_bytes(text.encode("utf-8"))


@S.PROFILE
@given(S.bodies)
def test_generated_shell_bodies(text):
    lint_bytes(("#!/bin/bash\n#SBATCH --time=1:00:00\n" + text).encode("utf-8"))


@S.PROFILE
@given(st.lists(S.directives, max_size=12), st.sampled_from([None, "20.11", "23.02", "24.05", "25.11"]))
def test_generated_headers(lines, version):
    from cclint.slurm_version import SlurmVersion

    settings = Settings(slurm_version=SlurmVersion.parse(version))
    text = "#!/bin/bash\n" + "\n".join(lines) + "\npython train.py\n"
    check_invariants(SourceFile.from_text(text), settings)


@S.PROFILE
@given(S.nested)
def test_deeply_nested_constructs(text):
    lint_bytes(text.encode("utf-8"))


@S.PROFILE
@given(S.script_bytes)
def test_line_ends_bom_nul_and_bad_utf8(raw):
    lint_bytes(raw)


@S.PROFILE
@given(S.long_lines)
def test_very_long_lines(text):
    lint_bytes(text.encode("utf-8"))


@S.PROFILE
@given(S.script_bytes)
def test_lint_path_reads_any_file(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("fuzz") / "job.sh"
    path.write_bytes(raw)
    result = lint_path(str(path), SETTINGS)
    assert result.error is not None if b"\x00" in raw else result.error is None
    assert result.internal_errors == []


@S.PROFILE
@given(S.scripts)
def test_fixer_terminates_and_keeps_text_lintable(text):
    source = SourceFile.from_text(text)

    def lint(src):
        result = lint_source(src, SETTINGS)
        assert result.internal_errors == []
        return result.diagnostics, result.incomplete

    outcome = fix_source(source, lint, unsafe=True)
    outcome.encoded()
