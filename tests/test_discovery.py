"""Which files a directory (or the pre-commit hook's --only-job-scripts) means: job scripts,
not the helper scripts beside them; a file named on the command line is always linted."""

from __future__ import annotations

import pytest

from cclint.discovery import is_job_script, targets

HELPER = "#!/bin/bash\nmodule load python/3.11\nvirtualenv ~/env\npip install -r requirements.txt\n"
SUBMITTER = "#!/bin/bash\nfor lr in 0.1 0.01; do\n  sbatch --export=ALL,LR=$lr train.sbatch\ndone\n"


@pytest.mark.parametrize("name, text", [
    ("train.sh", "#!/bin/bash\n#SBATCH --time=01:00:00\npython train.py\n"),  # a directive
    ("run.bash", "#!/bin/bash\n#PBS -l walltime=1:00:00\npython run.py\n"),
    ("look_alike.sh", "#!/bin/bash\n# SBATCH --time=01:00:00\npython train.py\n"),
    ("lowercase.sh", "#!/bin/bash\n#sbatch --mem=4G\npython train.py\n"),
    ("no_header.sh", "#!/bin/bash\ncd $SLURM_SUBMIT_DIR\npython train.py\n"),  # job variables
    ("braced.sh", "#!/bin/bash\ncp data.tar ${SLURM_TMPDIR}/\n"),
    ("pbs_vars.sh", "#!/bin/bash\ncd $PBS_O_WORKDIR\n./a.out\n"),
    ("steps.sh", "#!/bin/bash\nmodule load openmpi\nsrun ./lbm\n"),  # a job step
    ("late.sh", "#!/bin/bash\n" + "# notes\n" * 1000 + "#SBATCH --time=1\necho\n"),  # past 4 KiB
    ("any.sbatch", "python train.py\n"),  # the name says it is a job
    ("any.slurm", ""),
    ("no_suffix", "#!/bin/bash\n#SBATCH --time=1\necho\n"),
    ("binary.sh", "#SBATCH\x00\x01"),  # linting it reports a binary file
    ("old_mac.sh", "#!/bin/bash\r#SBATCH --time=1:00:00\rpython train.py\r"),  # \r alone ends lines
    ("old_mac_steps.sh", "#!/bin/bash\rmodule load openmpi\rsrun ./lbm\r"),
    ("crlf.sh", "#!/bin/bash\r\n#SBATCH --time=1:00:00\r\npython train.py\r\n"),
])
def test_job_scripts(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    assert is_job_script(str(path))


@pytest.mark.parametrize("name, text", [
    ("setup.sh", HELPER),
    ("submit_all.sh", SUBMITTER),  # run on a login node: sbatch is not a sign of a job
    ("interactive.sh", "#!/bin/bash\nsrun --pty --gres=gpu:1 bash\n"),
    ("usage_in_prose.sh", "#!/bin/bash\n# Submit train.sbatch with sbatch, then plot.\npython plot.py\n"),
    ("notes.txt", "#SLURM_TMPDIR is where data goes\n$SLURM_TMPDIR\n"),  # not a shell script
    ("binary", "#SBATCH\x00\x01"),
    # documents that show a job script: the pre-commit hook names them, --fix must not add `#!`
    ("README.md", "# Running\n\n```bash\n#!/bin/bash\n#SBATCH --time=1:00:00\npython train.py\n```\n"),
    ("GUIDE.MD", "#SBATCH --time=1:00:00 goes at the top\n"),
    ("tutorial.rst", "::\n\n#SBATCH --time=1:00:00\n"),
    ("notes.ipynb", '{"cells": [{"source": [\n#SBATCH --time=1\n]}]}\n'),
    ("page.html", "<pre>\n#SBATCH --time=1:00:00\n</pre>\n"),
])
def test_not_job_scripts(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    assert not is_job_script(str(path))


def test_a_directory_skips_helpers_but_a_named_file_is_linted(tmp_path):
    (tmp_path / "setup.sh").write_text(HELPER)
    (tmp_path / "train.sh").write_text("#!/bin/bash\n#SBATCH --time=1\npython train.py\n")
    assert [t.display for t in targets([str(tmp_path)])] == [str(tmp_path / "train.sh")]
    named = targets([str(tmp_path / "setup.sh")])
    assert [(t.display, t.explicit) for t in named] == [(str(tmp_path / "setup.sh"), True)]


def test_a_directory_of_helpers_says_it_has_no_job_script(tmp_path):
    (tmp_path / "setup.sh").write_text(HELPER)
    (found,) = targets([str(tmp_path)])
    assert found.problem and "no job scripts in this directory" in found.problem


def test_only_job_scripts_skips_named_helpers_as_the_hook_needs(tmp_path):
    import json
    import subprocess
    import sys

    (tmp_path / "setup.sh").write_text(HELPER)
    (tmp_path / "train.sh").write_text("#!/bin/bash\n#SBATCH --account=def-lab\npython train.py\n")

    def linted(*flags):
        proc = subprocess.run([sys.executable, "-m", "cclint", "check", "--isolated", "-f", "json", *flags,
                               "setup.sh", "train.sh"], cwd=tmp_path, capture_output=True, text=True)
        return {d["path"] for d in json.loads(proc.stdout)["diagnostics"]}

    assert linted("--only-job-scripts") == {"train.sh"}
    assert linted() == {"setup.sh", "train.sh"}  # named without the flag: linted


def test_the_fix_hook_leaves_a_markdown_document_with_a_job_script_in_it_alone(tmp_path):
    import subprocess
    import sys

    doc = "# Running\n\n```bash\n#!/bin/bash\n#SBATCH --time=1:00:00\npython train.py\n```\n"
    (tmp_path / "README.md").write_text(doc)
    (tmp_path / "train.sh").write_text("#!/bin/bash\n#SBATCH --account=def-lab\npython train.py\n")
    proc = subprocess.run([sys.executable, "-m", "cclint", "check", "--isolated", "--fix",
                           "--exit-non-zero-on-fix", "--only-job-scripts", "README.md", "train.sh"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert (tmp_path / "README.md").read_text() == doc and "README.md" not in proc.stdout
    assert [t.display for t in targets([str(tmp_path)])] == [str(tmp_path / "train.sh")]


def test_a_file_named_twice_or_also_under_a_named_folder_is_linted_once(tmp_path):
    job = tmp_path / "train.sh"
    job.write_text("#!/bin/bash\n#SBATCH --time=1\npython train.py\n")
    found = targets([str(job), str(tmp_path / "." / "train.sh"), str(tmp_path)])
    assert [t.display for t in found] == [str(job)]
    found = targets([str(tmp_path), str(job)])
    assert [t.display for t in found] == [str(job)]
