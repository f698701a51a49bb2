"""`cclint convert`: PBS/Torque/Moab scripts rewritten for a cluster. The converted text must
parse (`bash -n`) and pass cclint on the target profile with no error: checked on the seed's
own Hélios script and on the PBS scripts of ../shared/realworld (measured, never copied)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from cclint.convert import TODO, convert
from cclint.diagnostics import Severity
from cclint.profiles import load_profile
from cclint.source import SourceFile
from tests.conftest import lint
from tests.test_cli import cclint
from tests.test_ecosystem import REALWORLD

# The seed tutorial's Hélios job script (Moab era), with the dataset move it describes done
# inline: the archive sits in the project space $RAP and is unpacked on the node.
HELIOS = """\
#!/bin/bash
#PBS -A pje-224-aa
#PBS -l walltime=12:00:00
#PBS -l nodes=1:gpus=8
#PBS -l feature=k80
#PBS -m bea
#PBS -r n

module load cuda/8.0.44 libs/cuDNN/6 apps/python/3.5.0
source venv/bin/activate
mkdir $RAMDISK/mydataset
tar -xf $RAP/data/mydataset.tar -C $RAMDISK/mydataset
cd mycode/
python train.py --data $RAMDISK/mydataset --save_dir $RAP/results
"""
# The same job, reading the unpacked images from $RAP and writing to the node's disk.
HELIOS_CARELESS = HELIOS.replace("tar -xf $RAP/data/mydataset.tar -C $RAMDISK/mydataset\n", "") \
    .replace("--data $RAMDISK/mydataset --save_dir $RAP/results", "--data $RAP/data/images --save_dir $LSCRATCH/out")


def converted(text: str, cluster: str = "rorqual", **options):
    return convert(SourceFile.from_text(text, "job.sh"), load_profile(cluster), **options)


def bash_n(text: str) -> None:
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    proc = subprocess.run(["bash", "-n"], input=text.encode(), capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr.decode()


def errors(text: str, cluster: str, **options) -> list:
    return [(d.line, d.rule, d.message) for d in lint(text, cluster=cluster, **options)
            if d.severity == Severity.ERROR]


def test_helios_script_linted_for_helios_knows_its_storage():
    found = {(d.rule, d.line) for d in lint(HELIOS_CARELESS, cluster="helios")}
    assert ("untarred-dataset", 13) in found  # $RAP is shared project storage
    assert ("missing-copy-back", 13) in found  # $LSCRATCH is erased after the job
    messages = " ".join(d.message for d in lint(HELIOS_CARELESS, cluster="helios"))
    assert "$RAP/data/images" in messages and "$LSCRATCH/out" in messages
    assert not {d.rule for d in lint(HELIOS, cluster="helios")} & {"untarred-dataset", "missing-copy-back"}


def test_helios_script_converted_for_rorqual(tmp_path):
    result = converted(HELIOS)
    text = result.text
    bash_n(text)
    assert not result.remaining and not errors(text, "rorqual", submit_dir=tmp_path)
    assert "#PBS" not in text.replace("#   #PBS", "")  # only the quoted originals remain
    for line in ("#SBATCH --time=12:00:00", "#SBATCH --gpus-per-node=h100:4", "#SBATCH --no-requeue",
                 "#SBATCH --mail-type=BEGIN,END,FAIL", "#SBATCH --cpus-per-task=64",
                 "mkdir $SLURM_TMPDIR/mydataset", "tar -xf $RAP/data/mydataset.tar -C $SLURM_TMPDIR/mydataset"):
        assert line + "\n" in text, line
    assert "--account" not in [l for l in text.splitlines() if l.startswith("#SBATCH")]
    assert f"{TODO} `pje-224-aa` is an old Calcul Québec project id" in text
    assert 'PROJECT_ACCOUNT=""\nRAP=~/projects/${PROJECT_ACCOUNT:?' in text
    assert "module spider" in text and "`k80` is not on rorqual" in text


def test_corpus_helios_script_converts_and_its_msub_comment_is_noted():
    from tests.conftest import CORPUS

    path = CORPUS / "scripts" / "helios_pbs_pouding.sh"
    result = convert(SourceFile.from_bytes(str(path), path.read_bytes()), load_profile("rorqual"))
    bash_n(result.text)
    assert not result.remaining
    assert "submit this script with `sbatch FILE`: `msub` (named in a comment) does not exist" in result.text
    for line in ("#SBATCH --gpus-per-node=h100:1", "#SBATCH --mem=124G", "#SBATCH --job-name=pouding"):
        assert line + "\n" in result.text, line


def test_account_given_names_the_project_folder():
    text = converted(HELIOS, account="def-tremblay").text
    assert "#SBATCH --account=def-tremblay\n" in text and "RAP=~/projects/def-tremblay/$USER\n" in text
    assert "PROJECT_ACCOUNT" not in text


def test_remaining_errors_are_listed_at_the_top():
    result = converted(HELIOS_CARELESS)
    assert [d.rule for d in result.remaining] == ["missing-copy-back"]
    head = result.text.split("#SBATCH", 1)[0]
    assert "cclint still finds errors here" in head
    line = int(head.split("#   line ")[1].split(":")[0])
    assert result.text.splitlines()[line - 1].startswith("python train.py")


def test_pbs_pro_chunks_mpi_variables_and_logs():
    text = converted("""\
#!/bin/bash
#PBS -N sim
#PBS -q workq
#PBS -l select=2:ncpus=16:mpiprocs=4:mem=64gb
#PBS -l walltime=30:00:00
#PBS -o logs/$PBS_JOBNAME.o$PBS_JOBID
#PBS -j oe
cd $PBS_O_WORKDIR
mpirun -np 8 -hostfile $PBS_NODEFILE ./sim > out.$PBS_JOBID
qsub next.pbs
""", "narval").text
    bash_n(text)
    for line in ("#SBATCH --nodes=2", "#SBATCH --ntasks-per-node=4", "#SBATCH --cpus-per-task=4",
                 "#SBATCH --mem=64G", "#SBATCH --time=1-06:00:00", "#SBATCH --output=logs/%x.o%j",
                 "cd $SLURM_SUBMIT_DIR", "mpirun -np 8 -hostfile $PBS_NODEFILE ./sim > out.$SLURM_JOB_ID",
                 'srun hostname > "$PBS_NODEFILE"'):
        assert line + "\n" in text, line
    assert "left out the PBS queue `workq`: narval chooses the partition" in text
    assert "`qsub` is Torque/PBS's submit command" in text
    assert not errors(text, "narval")


def test_torque_ppn_is_cores_or_ranks():
    threads = converted("#!/bin/bash\n#PBS -l nodes=1:ppn=8,walltime=2:00:00\npython x.py\n").text
    assert "#SBATCH --cpus-per-task=8\n" in threads and "For 8 MPI ranks" in threads
    ranks = converted("#!/bin/bash\n#PBS -l nodes=2:ppn=8,walltime=2:00:00\nmpiexec ./a\n").text
    assert "#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=8\n" in ranks


def test_profile_limits_are_met():
    long = converted("#!/bin/bash\n#PBS -l walltime=48:00:00\n#PBS -l nodes=1:gpus=2\npython x.py\n", "trillium").text
    assert "#SBATCH --time=1-00:00:00\n" in long and "above trillium's limit" in long
    assert "#SBATCH --gpus-per-node=h100:1\n" in long  # trillium: 1 GPU or whole nodes of 4
    short = converted("#!/bin/bash\n#PBS -l walltime=00:05:00\npython x.py\n", "trillium").text
    assert "#SBATCH --time=00:15:00\n" in short
    mila = converted("#!/bin/bash\n#PBS -q long\n#PBS -l walltime=1:00:00\npython x.py\n", "mila").text
    assert "#SBATCH --partition=long\n" in mila
    none = converted("#!/bin/bash\npython x.py\n#PBS -N late\n", "rorqual").text
    assert "#SBATCH --time=01:00:00\n" in none and "1 h is a guess" in none


def test_a_slurm_script_keeps_its_header():
    text = "#!/bin/bash -l\n#SBATCH --gres=gpu:2 # two\n#SBATCH --time=1:00:00\ncd $PBS_O_WORKDIR\npython x.py\n"
    out = converted(text, "narval").text
    assert out.startswith("#!/bin/bash -l\n")
    assert "#SBATCH --gres=gpu:2 # two\n#SBATCH --time=1:00:00\ncd $SLURM_SUBMIT_DIR\n" in out


@pytest.mark.parametrize("cluster", ["rorqual", "narval", "fir", "trillium", "mila", "generic"])
def test_realworld_pbs_scripts_convert_cleanly(cluster):
    scripts = REALWORLD / "scripts"
    if not scripts.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI: the real scripts are missing ({REALWORLD})")
        pytest.skip(f"no real scripts at {REALWORLD}")
    for number in range(242, 259):
        path = scripts / f"{number}.sh"
        result = convert(SourceFile.from_bytes(str(path), path.read_bytes()), load_profile(cluster))
        bash_n(result.text)
        assert not result.remaining, (path.name, [(d.line, d.rule, d.message) for d in result.remaining])
        assert "\n#PBS" not in result.text, path.name


def test_cli_prints_writes_and_never_overwrites(tmp_path):
    job = tmp_path / "pouding.sh"
    job.write_text(HELIOS)
    code, out, err = cclint("convert", job, "--cluster", "rorqual")
    assert code == 0 and out.startswith("#!/bin/bash\n") and "#SBATCH --gpus-per-node=h100:4" in out
    assert "TODO lines to read" in err
    code, _, err = cclint("convert", job, "--cluster", "rorqual", "-o", job)
    assert code == 2 and "is the script being converted" in err and job.read_text() == HELIOS
    target = tmp_path / "slurm.sh"
    code, out, _ = cclint("convert", job, "--cluster", "rorqual", "-o", target)
    assert code == 0 and out == "" and target.read_text().startswith("#!/bin/bash\n")
    code, _, err = cclint("convert", job, "--cluster", "narval", "-o", target)
    assert code == 2 and "exists" in err and "rorqual" in target.read_text()
    code, _, _ = cclint("convert", job, "--cluster", "narval", "-o", target, "--force")
    assert code == 0 and "narval" in target.read_text()
    assert [p.name for p in tmp_path.iterdir() if "cclint-tmp" in p.name] == []
    code, _, err = cclint("convert", tmp_path / "nope.sh")
    assert code == 2 and "nope.sh" in err
    code, out, err = cclint("convert", "-", "--cluster", "rorqual", stdin=HELIOS_CARELESS.encode())
    assert code == 1 and "1 error remains" in err and "cclint still finds errors" in out
    code, out, err = cclint("convert", job, "--cluster", "helios")
    assert code == 0 and "helios is retired" in err


def test_the_script_keeps_its_bytes_in_its_own_encoding(tmp_path):
    # a file that is not all UTF-8 is read as Latin-1: written back as UTF-8, every accent of
    # its UTF-8 part would become two characters (`café` -> `cafÃ©`) and `\xff` another byte
    import sys

    job = tmp_path / "old.sh"
    job.write_bytes(b"#!/bin/bash\n#PBS -N caf\xc3\xa9\n# r\xe9sultats\necho caf\xc3\xa9 \xff\n")
    target = tmp_path / "slurm.sh"
    code, _, err = cclint("convert", job, "-o", target)
    assert code == 0, err
    written = target.read_bytes()
    assert b"\n# r\xe9sultats\necho caf\xc3\xa9 \xff\n" in written and b"\xc3\x83" not in written
    proc = subprocess.run([sys.executable, "-m", "cclint", "convert", str(job)], capture_output=True)
    assert proc.returncode == 0 and proc.stdout == written
