"""The header as sbatch reads it (slurm-facts.md §1.2, §2.1–§2.4, §2.7)."""

from __future__ import annotations

from cclint.header.words import split_directive
from cclint.script import Script
from cclint.slurm_version import SlurmVersion


def header(text: str, version: str | None = None):
    return Script.from_text(text, SlurmVersion.parse(version)).header


def test_column_zero_case_sensitive_and_first_command_ends_the_header():
    h = header("#!/bin/bash\n#SBATCH --time=10\n  #SBATCH --mem=1G\n#sbatch -c 2\n\n# note\n"
               "#SBATCH -J x\nexport A=1\n#SBATCH --account=a\n")
    assert [(d.name, d.value) for d in h.directives] == [("time", "10"), ("job-name", "x")]
    assert h.end_line == 8
    assert [p.line for p in h.ignored] == [9]
    assert [(m.line, m.reason) for m in h.malformed] == [(3, "indented"), (4, "case")]


def test_header_only_reads_the_same_directives_and_stops_at_the_first_command():
    from cclint.header.scan import scan_header
    from cclint.source import SourceFile

    source = SourceFile.from_text("#!/bin/bash\n#SBATCH --time=10\n#  SBATCH --mem=1G\n#SBATCH --gres=gpu::1\n"
                                  "#PBS -l walltime=1:00:00\nexport A=1\n#SBATCH --account=a\n# SBATCH -c 2\n")
    whole, short = scan_header(source), scan_header(source, header_only=True)
    assert [(d.line, d.name, d.value) for d in short.directives] == \
        [(d.line, d.name, d.value) for d in whole.directives] == \
        [(2, "time", "10"), (4, "gres", "gpu::1"), (5, "time", "1:00:00")]
    assert short.end_line == whole.end_line == 6
    assert [p.line for p in whole.ignored] == [7] and [m.line for m in whole.malformed] == [3, 8]
    assert short.ignored == [] and [m.line for m in short.malformed] == [3]


def test_legacy_slurm_prefix_and_no_space_needed():
    h = header("#!/bin/bash\n#SLURM --time=5\n#SBATCH-N1\n")
    assert [(d.name, d.value) for d in h.directives] == [("time", "5"), ("nodes", "1")]


def test_words_quotes_escapes_and_trailing_comments():
    words = split_directive('#SBATCH --job-name="my job" -o a\\#b --comment=x#y # note', 7)
    assert [w.text for w in words.words] == ["--job-name=my job", "-o", "a#b", "--comment=x"]
    assert words.comment_at is not None
    unmatched = split_directive("#SBATCH --job-name='gnn arxiv", 7)
    assert unmatched.unmatched_quote == "'"


def test_escaped_space_depends_on_version():
    new = split_directive("#SBATCH --job-name=a\\ b", 7, escaped_space_joins=True)
    old = split_directive("#SBATCH --job-name=a\\ b", 7, escaped_space_joins=False)
    assert [w.text for w in new.words] == ["--job-name=a b"]
    assert [w.text for w in old.words] == ["--job-name=a", "b"]


def test_getopt_forms_abbreviations_and_values_across_lines():
    h = header("#!/bin/bash\n#SBATCH -N2 -n 8 --mem 4G\n#SBATCH --partit=gpu --tasks=4\n"
               "#SBATCH --time\n#SBATCH 30\n")
    got = [(d.name, d.value, d.form) for d in h.directives]
    assert got == [("nodes", "2", "short-glued"), ("ntasks", "8", "short"), ("mem", "4G", "long"),
                   ("partition", "gpu", "long="), ("ntasks-per-node", "4", "long="),
                   ("time", "30", "long")]
    assert h.directives[3].problem.kind == "abbreviation"
    assert h.directives[5].value_line == 5


def test_getopt_problems():
    h = header("#!/bin/bash\n#SBATCH --cpu-per-task=4\n#SBATCH --cpus=4\n#SBATCH --hold=yes\n"
               "#SBATCH --exclusive user\n#SBATCH --cpu-bind=cores\n#SBATCH -time=10\n"
               "#SBATCH \u2014mail-user=a@b.c\n#SBATCH --mem\n")
    kinds = [(d.line, d.problem.kind) for d in h.directives if d.problem]
    assert (2, "unknown") in kinds and (3, "ambiguous") in kinds and (4, "no-value-allowed") in kinds
    assert (6, "srun-only") in kinds and (7, "single-dash-long") in kinds
    assert (9, "missing-value") in kinds
    unknown = next(d for d in h.directives if d.line == 2)
    assert unknown.problem.candidates == ("cpus-per-task",)
    stray = {line: p.kind for line, _, p in h.problems}
    assert stray == {5: "optional-separate", 8: "non-ascii-dash"}


def test_optional_values_only_with_equals():
    h = header("#!/bin/bash\n#SBATCH --exclusive=user\n#SBATCH --requeue\n", "25.11")
    assert [(d.name, d.value) for d in h.directives] == [("exclusive", "user"), ("requeue", None)]


def test_pbs_lines_are_translated_even_below_commands():
    h = header("#!/bin/bash\n#PBS -N pouding\n#PBS -l walltime=12:00:00,mem=4gb\n"
               "#PBS -l nodes=1:ppn=4:gpus=1\n#PBS -m bea\necho hi\n#PBS -A pje-224\n")
    got = {(d.name, d.value) for d in h.directives if d.origin == "pbs"}
    assert got == {("job-name", "pouding"), ("time", "12:00:00"), ("mem", "4g"), ("nodes", "1"),
                   ("ntasks", "4"), ("gpus-per-node", "1"), ("mail-type", "BEGIN,END,FAIL"),
                   ("account", "pje-224")}


def test_bom_and_blank_first_line_do_not_hide_the_header():
    for prefix in ("\ufeff", "\n"):
        h = header(prefix + "#!/bin/bash\n#SBATCH --time=5\necho\n")
        assert h.get("time").value == "5"


def test_heterogeneous_job_components():
    h = header("#!/bin/bash\n#SBATCH -n 1\n#SBATCH hetjob\n#SBATCH -n 4\n")
    assert [(d.value, d.component) for d in h.all("ntasks", component=None)] == [("1", 0), ("4", 1)]
