"""Issue 2's acceptance: the workshop's atelier.sh is clean, and each classic mistake
added to it is found (seeds/000, section "Soumettre une tâche")."""

from __future__ import annotations

from tests.conftest import lint

ATELIER = """#!/bin/bash
#SBATCH --cpus-per-task=4
#SBATCH --mem=22000M
#SBATCH --gres=gpu:1
#SBATCH --time=00-01:00:00  # DD-HH:MM:SS
module load python/3.8

# Environnement python
cd $SLURM_TMPDIR
virtualenv --no-download env
source env/bin/activate
pip install --no-index -r ~/atelier-dl-cc/requirements.txt

# Données
mkdir data  # nous sommes toujours dans $SLURM_TMPDIR
cd data
cp ~/projects/def-sponsor00/$USER/tinyimagenet.tar .
tar xf tinyimagenet.tar
cd ..

# Ajout qui sera utile pour la suite. Démarre TensorBoard en arrière plan.
tensorboard --logdir=lightning_logs/ --host 0.0.0.0 --port 6006 &

python ~/atelier-dl-cc/train.py ./data
OUTDIR=~/projects/def-sponsor00/$USER/out_$SLURM_JOB_ID
mkdir -p $OUTDIR
cp -r lightning_logs/version*/* $OUTDIR
"""
COPY_BACK = """OUTDIR=~/projects/def-sponsor00/$USER/out_$SLURM_JOB_ID
mkdir -p $OUTDIR
cp -r lightning_logs/version*/* $OUTDIR
"""


def serious(text: str, tmp_path) -> set[str]:
    return {d.rule for d in lint(text, submit_dir=tmp_path) if d.severity.label in ("error", "warning")}


def test_atelier_has_no_warning_or_error(tmp_path):
    assert serious(ATELIER, tmp_path) == set()


def test_without_copy_back(tmp_path):
    assert serious(ATELIER.replace(COPY_BACK, ""), tmp_path) == {"missing-copy-back"}


def test_with_salloc(tmp_path):
    text = ATELIER.replace("module load python/3.8\n",
                           "module load python/3.8\nsalloc --cpus-per-task=4 --mem=22000M --gres=gpu:1 --time=1:00:00\n")
    assert serious(text, tmp_path) == {"salloc-in-script"}


def test_with_conda(tmp_path):
    text = ATELIER.replace("module load python/3.8\n", "module load anaconda\nconda activate atelier\n")
    assert serious(text, tmp_path) == {"conda-use"}


def test_with_four_gpus_and_plain_python(tmp_path):
    text = ATELIER.replace("--gres=gpu:1", "--gres=gpu:4")
    assert serious(text, tmp_path) == {"multi-gpu-request"}


def test_training_on_the_project_copy(tmp_path):
    text = ATELIER.replace("python ~/atelier-dl-cc/train.py ./data",
                           "python ~/atelier-dl-cc/train.py ~/projects/def-sponsor00/$USER/tinyimagenet/")
    assert "untarred-dataset" in serious(text, tmp_path)


def test_log_directory_missing(tmp_path):
    text = ATELIER.replace("#SBATCH --time", "#SBATCH --output=logs/%j.out\n#SBATCH --time")
    assert serious(text, tmp_path) == {"output-dir-missing"}
    (tmp_path / "logs").mkdir()
    assert serious(text, tmp_path) == set()
