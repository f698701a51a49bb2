"""Real sbatch clients as oracles: `sbatch --test-only` on scripts with a throw-away config.

Three releases are used (RELEASES): Debian's slurm-client (22.05, `sbatch` on the PATH) and
the clients of 24.11.7 and 25.11.7 built from source by `../shared/oracles/build-sbatch.sh`
into `.oracles/<version>` (`.ci/run` builds them; `CCLINT_ORACLES` names another folder).

The config names a controller on 127.0.0.1: a listener of this process (`Controller`) that
accepts each connection and closes it at once, and no database. sbatch parses and checks
the script on the client, then its request fails ("allocation failure: ..."). Nothing is
ever submitted, and nothing outside this machine is contacted. (A port where nothing
listens works too, but 25.11 retries it for MessageTimeout, a second per script.)
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILT = ("24.11.7", "25.11.7")  # the sources in ../shared/oracles, built by .ci/run
# sbatch got past its own checks and sent the request (which the stand-in controller drops):
# slurm_perror("allocation failure") follows job_will_run in every release.
SENT = re.compile(r"^allocation failure: ", re.M)

SLURM_CONF = """\
ClusterName=cclint-differential
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort={port}
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


def oracle_dir() -> Path:
    return Path(os.environ.get("CCLINT_ORACLES") or REPO / ".oracles")


@dataclass(frozen=True)
class Release:
    label: str  # how the test names it: "22.05 (Debian)", "24.11.7", ...
    sbatch: str | None  # None: not available here
    missing: str  # why not, and how to get it


def releases() -> list[Release]:
    system = shutil.which("sbatch", path="/usr/bin:/bin:/usr/local/bin")
    found = [Release("22.05 (Debian)", system, "sbatch is not installed (apt-get install slurm-client)")]
    for version in BUILT:
        path = oracle_dir() / version / "bin" / "sbatch"
        found.append(Release(version, str(path) if os.access(path, os.X_OK) else None,
                             f"{path} is not built (../shared/oracles/build-sbatch.sh {version} "
                             f"{oracle_dir() / version}; .ci/run does it)"))
    return found


@dataclass(frozen=True)
class Outcome:
    status: int
    stderr: str
    stdout: str

    @property
    def accepted(self) -> bool:
        """sbatch got as far as contacting the controller: the client found nothing wrong."""
        return SENT.search(self.stderr) is not None


class Controller:
    """A stand-in slurmctld on 127.0.0.1 that closes every connection it accepts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            conn.close()

    def close(self):
        self.sock.close()


class Oracle:
    def __init__(self, sbatch: str, workdir: Path, port: int):
        self.sbatch, self.workdir = sbatch, workdir
        self.conf = workdir / "slurm.conf"
        self.conf.write_text(SLURM_CONF.format(port=port))
        self.env = {"PATH": "/usr/bin:/bin", "LANG": "C", "HOME": str(workdir),
                    "SLURM_CONF": str(self.conf)}

    def version(self) -> str:
        """`22.05.8`, `24.11.7`..."""
        out = subprocess.run([self.sbatch, "--version"], capture_output=True, text=True, timeout=30,
                             env=self.env, cwd=self.workdir)
        match = re.search(r"\d+\.\d+\.\d+", out.stdout)
        assert match, out.stdout + out.stderr
        return match.group(0)

    def run(self, name: str, text: bytes | str) -> Outcome:
        path = self.workdir / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        try:
            proc = subprocess.run([self.sbatch, "--test-only", path.name], cwd=self.workdir,
                                  env=self.env, capture_output=True, timeout=60,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return Outcome(-1, "sbatch did not finish within 60 s", "")
        return Outcome(proc.returncode, proc.stderr.decode("utf-8", "replace"),
                       proc.stdout.decode("utf-8", "replace"))

    def run_many(self, scripts: dict[str, bytes | str], workers: int = 4) -> dict[str, Outcome]:
        with ThreadPoolExecutor(workers) as pool:
            futures = {name: pool.submit(self.run, name, text) for name, text in scripts.items()}
            return {name: f.result() for name, f in futures.items()}
