"""A deterministic corpus of realistic job scripts for the benchmark.

Scripts are assembled from the pieces students really write: an #SBATCH header, module
loads, a virtualenv or conda, data staged to $SLURM_TMPDIR, training commands through
srun/torchrun, array-task `case`s, loops, here-documents, traps, copy-back. Values (paths,
numbers, names) vary from script to script, so that cclint's statement cache sees about
as much repetition as in a class's submissions, not more.
"""

from __future__ import annotations

import random
from pathlib import Path

_ACCOUNTS = ["def-lab", "def-sponsor00", "rrg-prof-ab", "def-smith", "mila"]
_MODULES = ["python/3.11", "python/3.10", "cuda/12.2", "cudnn/8.9", "gcc/12.3", "openmpi/4.1.5",
            "scipy-stack/2024a", "arrow/15", "opencv/4.9", "r/4.3.1", "julia/1.10", "StdEnv/2023"]
_PROGRAMS = ["train.py", "main.py", "finetune.py", "run_experiment.py", "eval.py", "preprocess.py"]
_DATASETS = ["imagenet", "cifar10", "tinyimagenet", "coco", "librispeech", "wikitext", "reads"]


def _header(r: random.Random, name: str) -> list[str]:
    lines = ["#!/bin/bash"]
    options = [
        f"--account={r.choice(_ACCOUNTS)}",
        f"--time={r.randint(0, 2)}-{r.randint(0, 23):02d}:{r.choice(['00', '30'])}:00",
        f"--cpus-per-task={r.choice([1, 2, 4, 6, 8, 16])}",
        f"--mem={r.choice([4, 8, 16, 32, 64, 128])}G",
        f"--job-name={name}",
        f"--output={r.choice(['logs/', '', 'out/'])}%x-%j.out",
    ]
    if r.random() < 0.6:
        options.append(r.choice(["--gres=gpu:1", "--gpus-per-node=1", "--gres=gpu:v100:2",
                                 "--gpus=a100:1", "--gres=gpu:4"]))
    if r.random() < 0.3:
        options.append(f"--array=0-{r.randint(3, 99)}%{r.randint(2, 10)}")
    if r.random() < 0.3:
        options.append(f"--mail-user={name}@example.org")
        options.append("--mail-type=ALL")
    if r.random() < 0.2:
        options += [f"--nodes={r.randint(1, 4)}", f"--ntasks-per-node={r.randint(1, 8)}"]
    r.shuffle(options)
    for option in options:
        lines.append(f"#SBATCH {option}" + (r.choice(["", "", "  # requested"]) if r.random() < 0.2 else ""))
    if r.random() < 0.3:
        lines.append(f"##SBATCH --partition={r.choice(['long', 'unkillable', 'main'])}")
    return lines


def _environment(r: random.Random, env: str) -> list[str]:
    lines = ["", "# environment", "module purge" if r.random() < 0.5 else "module --force purge"]
    lines.append("module load " + " ".join(r.sample(_MODULES, r.randint(1, 4))))
    choice = r.random()
    if choice < 0.5:
        lines += [f"virtualenv --no-download $SLURM_TMPDIR/{env}",
                  f"source $SLURM_TMPDIR/{env}/bin/activate",
                  "pip install --no-index --upgrade pip",
                  f"pip install --no-index -r ~/{env}/requirements.txt"]
    elif choice < 0.7:
        lines += [f"source ~/{env}/bin/activate"]
    elif choice < 0.85:
        lines += ['eval "$(conda shell.bash hook)"', f"conda activate {env}"]
    else:
        lines += [f"python -m venv $SLURM_TMPDIR/{env}", f". $SLURM_TMPDIR/{env}/bin/activate",
                  f"pip install {r.choice(['torch', 'numpy pandas', 'transformers==4.40'])}"]
    lines.append(f"export OMP_NUM_THREADS=${{SLURM_CPUS_PER_TASK:-{r.randint(1, 8)}}}")
    return lines


def _data(r: random.Random, dataset: str, project: str) -> list[str]:
    if r.random() < 0.5:
        return ["", "# data on the node-local disk", "mkdir -p $SLURM_TMPDIR/data",
                f"tar xf ~/projects/{project}/{dataset}.tar -C $SLURM_TMPDIR/data",
                f'DATA="$SLURM_TMPDIR/data/{dataset}"']
    return ["", f"DATA=~/projects/{project}/{dataset}/train"]


def _work(r: random.Random, program: str, dataset: str) -> list[str]:
    epochs, lr = r.randint(1, 200), r.choice(["0.1", "0.01", "1e-3", "3e-4"])
    cmd = r.choice([
        f"python {program} --data $DATA --epochs {epochs} --lr {lr} --out $OUTDIR",
        f"srun python {program} --data \"$DATA\" --epochs {epochs} --batch-size {r.choice([32, 64, 256])}",
        f"torchrun --nproc_per_node={r.choice([1, 2, 4])} {program} --lr {lr} --output_dir $OUTDIR",
        f"python -u {program} --seed $SEED --data $DATA > $OUTDIR/log_$SEED.txt 2>&1",
        f"srun --cpu-bind=cores ./bin/simulate -i input_{epochs}.dat -o $OUTDIR/result.dat",
    ])
    kind = r.random()
    if kind < 0.25:
        seeds = " ".join(str(r.randint(0, 99)) for _ in range(r.randint(2, 5)))
        return ["", f"for SEED in {seeds}; do", '    echo "seed $SEED on $(hostname)"',
                f"    {cmd.replace('$SEED', '${SEED}')}", "done"]
    if kind < 0.45:
        out = ["", "case $SLURM_ARRAY_TASK_ID in"]
        for k in range(r.randint(2, 4)):
            out.append(f"    {k}) SEED={r.randint(0, 999)} ;;")
        out += ["    *) SEED=0 ;;", "esac", cmd]
        return out
    if kind < 0.6:
        return ["", f"cat > $SLURM_TMPDIR/config_{epochs}.yaml <<EOF", f"dataset: {dataset}",
                f"epochs: {epochs}", f"lr: {lr}", "output: $OUTDIR", "EOF",
                f"python {program} --config $SLURM_TMPDIR/config_{epochs}.yaml"]
    if kind < 0.7:
        return ["", "python - <<'PY'", "import torch", "print(torch.cuda.is_available())", "PY", cmd]
    if kind < 0.8:
        return ["", 'if [ ! -d "$OUTDIR" ]; then', '    mkdir -p "$OUTDIR"', "fi",
                f"{cmd} &", "wait"]
    return ["", "nvidia-smi", 'echo "Starting at $(date) on $SLURM_JOB_NODELIST"', cmd]


def _finish(r: random.Random, project: str) -> list[str]:
    if r.random() < 0.3:
        return ["", "save() {", f"    cp -r $SLURM_TMPDIR/results ~/projects/{project}/$USER/", "}",
                "trap save EXIT", "echo done"]
    if r.random() < 0.5:
        return ["", "cp -r $SLURM_TMPDIR/results ~/scratch/run_$SLURM_JOB_ID", 'echo "finished: $?"']
    return ["", "echo finished"]


def job_script(seed: int) -> str:
    """One realistic job script (20 to 60 lines)."""
    r = random.Random(seed)
    name = f"{r.choice(['exp', 'run', 'train', 'job'])}{seed}"
    project = r.choice(_ACCOUNTS) + f"/{r.choice(['alice', 'bob', 'chen', 'dia'])}{seed % 97}"
    dataset, program = r.choice(_DATASETS), r.choice(_PROGRAMS)
    lines = _header(r, name)
    lines += _environment(r, f"env{seed % 13}")
    lines += _data(r, dataset, project)
    lines += ["", f"OUTDIR=~/scratch/{name}/out_$SLURM_JOB_ID", 'mkdir -p "$OUTDIR"',
              'echo "job $SLURM_JOB_ID started $(date)"', "cd $SLURM_TMPDIR"]
    for _ in range(r.randint(1, 3)):
        lines += _work(r, program, dataset)
    lines += _finish(r, project)
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, count: int, first_seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(count):
        path = folder / f"job{k:05d}.sh"
        path.write_text(job_script(first_seed + k))
        paths.append(path)
    return paths


def long_script(lines: int, seed: int = 1) -> str:
    """One script of about `lines` lines: a header, then job bodies one after another."""
    out = _header(random.Random(seed), "long")
    k = seed
    while len(out) < lines:
        body = job_script(k).split("\n")
        out += [line for line in body if not line.startswith("#")]
        k += 1
    return "\n".join(out[:lines]) + "\n"
