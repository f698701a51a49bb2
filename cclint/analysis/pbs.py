"""PBS, Torque and Moab habits and what they are under Slurm (shared by `pbs-directive` and
`cclint convert`).

Sources: Slurm's own PBS compatibility (src/sbatch/xlate.c; src/plugins/job_submit/pbs/
spank_pbs.c, an optional plugin that sets some PBS_* variables, never PBS_NODEFILE nor
Torque's PBS_ARRAYID); the Hélios tutorial and ../shared/reference/helios-hades.md for the
Moab side (`msub`, `-l feature=k80`, `$MOAB_JOBID`, RAP ids such as `abc-123-aa`).
"""

from __future__ import annotations

import re

from cclint.patterns import lazy

# Variables PBS/Torque/Moab set in a job, and Slurm's (None: no variable does the same).
VARIABLES: dict[str, str | None] = {
    "PBS_O_WORKDIR": "SLURM_SUBMIT_DIR", "PBS_JOBID": "SLURM_JOB_ID", "MOAB_JOBID": "SLURM_JOB_ID",
    "PBS_JOBNAME": "SLURM_JOB_NAME", "MOAB_JOBNAME": "SLURM_JOB_NAME",
    "PBS_ARRAYID": "SLURM_ARRAY_TASK_ID", "PBS_ARRAY_INDEX": "SLURM_ARRAY_TASK_ID",
    "MOAB_JOBARRAYINDEX": "SLURM_ARRAY_TASK_ID", "PBS_NP": "SLURM_NTASKS",
    "PBS_NUM_NODES": "SLURM_JOB_NUM_NODES", "PBS_QUEUE": "SLURM_JOB_PARTITION",
    "PBS_O_HOST": "SLURM_SUBMIT_HOST", "PBS_NODENUM": "SLURM_NODEID", "PBS_O_HOME": "HOME",
    "PBS_NODEFILE": None, "MOAB_NODELIST": None,
}
NO_EQUIVALENT = {
    "PBS_NODEFILE": "Slurm writes no node file: `scontrol show hostnames \"$SLURM_JOB_NODELIST\"` "
                    "lists the nodes, and srun (or an MPI built for Slurm) needs no host file",
    "MOAB_NODELIST": "Slurm's list is `$SLURM_JOB_NODELIST` (compressed: `scontrol show hostnames` expands it)",
}
_NAMES = "|".join(sorted(VARIABLES, key=len, reverse=True))
# $NAME or ${NAME} used as is; `${NAME:-default}` and friends handle the empty case.
VARIABLE_USE = lazy(rf"\$(?:\{{({_NAMES})\}}|({_NAMES})(?![A-Za-z0-9_]))")

# Node-local and project storage variables of the PBS era (Hélios): Slurm/Alliance names.
STORAGE = {"LSCRATCH": "SLURM_TMPDIR", "RAMDISK": "SLURM_TMPDIR"}

# A Calcul Québec RAP project id of the Moab era (`#PBS -A abc-123-aa`), not a Slurm account.
RAP_ID = lazy(r"[a-z]{3}-[0-9]{3}-[a-z]{2}")

SUBMIT_COMMANDS = {"qsub": "Torque/PBS", "msub": "Moab", "bsub": "LSF"}


def rap_id(value: str | None) -> bool:
    return bool(value) and RAP_ID.fullmatch(value) is not None


def resource_value(value: str, key: str) -> str | None:
    """The value of `key=` in a PBS resource list (`nodes=1:gpus=8,feature=k80`), or None."""
    for item in re.split(r"[,:]", value):
        k, eq, v = item.partition("=")
        if eq and k.strip().lower() == key:
            return v
    return None


def ignored_hint(letter: str, value: str | None) -> tuple[str, str | None] | None:
    """For a PBS option sbatch drops: (what it meant and the Slurm way, the #SBATCH line or
    None when the line should just go)."""
    if letter == "r" and value:
        if value.lower().startswith("n"):
            return "`-r n` (do not rerun) is Slurm's `--no-requeue`", "#SBATCH --no-requeue"
        return "`-r y` (rerunnable) is Slurm's `--requeue`", "#SBATCH --requeue"
    if letter == "j":
        return "Slurm already writes both streams to one file unless --error is given", None
    if letter == "V":
        return "Slurm passes your environment to the job by default (--export=ALL)", None
    if letter == "l" and value:
        feature = resource_value(value, "feature")
        if feature:
            return (f"`feature={feature}` chose nodes by feature (on Hélios, the GPU model): in Slurm a "
                    f"GPU model goes in the GPU request (`--gpus-per-node={feature}:N`), another feature "
                    f"in `--constraint={feature}`"), None
        reservation = resource_value(value, "advres")
        if reservation:
            return f"a Moab reservation is Slurm's `--reservation={reservation}`", \
                f"#SBATCH --reservation={reservation}"
    return None
