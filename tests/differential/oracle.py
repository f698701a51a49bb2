"""The real sbatch as an oracle: run `sbatch --test-only` on scripts with a throw-away config.

The config names a controller on 127.0.0.1 port 1, where nothing listens, and no database:
sbatch parses and checks the script on the client, then fails to connect. Nothing is ever
submitted, and nothing outside this machine is contacted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

SBATCH = shutil.which("sbatch")
UNREACHABLE = "Unable to contact slurm controller"

SLURM_CONF = """\
ClusterName=cclint-differential
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=1
SlurmdPort=2
AccountingStorageType=accounting_storage/none
AuthType=auth/none
CredType=cred/none
MessageTimeout=1
TCPTimeout=1
SelectType=select/cons_tres
GresTypes=gpu
NodeName=node1 CPUs=16 RealMemory=64000 Gres=gpu:4 State=UNKNOWN
PartitionName=main Nodes=node1 Default=YES MaxTime=INFINITE State=UP
"""


@dataclass(frozen=True)
class Outcome:
    status: int
    stderr: str
    stdout: str

    @property
    def accepted(self) -> bool:
        """sbatch got as far as contacting the controller: the client found nothing wrong."""
        return UNREACHABLE in self.stderr


def _env(conf: Path | None) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C", "HOME": str(conf.parent) if conf else "/nonexistent"}
    if conf is not None:
        env["SLURM_CONF"] = str(conf)
    return env


class Oracle:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.conf = workdir / "slurm.conf"
        self.conf.write_text(SLURM_CONF)
        self.env = _env(self.conf)

    def version(self) -> str:
        out = subprocess.run([SBATCH, "--version"], capture_output=True, text=True, timeout=30,
                             env=self.env, cwd=self.workdir)
        return out.stdout.strip()

    def run(self, name: str, text: bytes | str) -> Outcome:
        path = self.workdir / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        try:
            proc = subprocess.run([SBATCH, "--test-only", path.name], cwd=self.workdir,
                                  env=self.env, capture_output=True, timeout=60,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return Outcome(-1, "sbatch did not finish within 60 s", "")
        return Outcome(proc.returncode, proc.stderr.decode("utf-8", "replace"),
                       proc.stdout.decode("utf-8", "replace"))

    def run_many(self, scripts: dict[str, bytes | str], workers: int | None = None) -> dict[str, Outcome]:
        workers = workers or max(2, (os.cpu_count() or 2) * 2)
        with ThreadPoolExecutor(workers) as pool:
            futures = {name: pool.submit(self.run, name, text) for name, text in scripts.items()}
            return {name: f.result() for name, f in futures.items()}
