"""Everything that changes how a file is linted, after config files, env and CLI are merged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cclint.diagnostics import Severity
from cclint.profile import GENERIC, Profile
from cclint.slurm_version import SlurmVersion


@dataclass
class Settings:
    select: frozenset[str] | None = None  # rule names; None = every rule enabled by default
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)  # per-rule overrides
    fail_on: Severity | None = Severity.WARNING  # None: never fail
    profile: Profile = field(default_factory=lambda: GENERIC)
    slurm_version: SlurmVersion | None = None  # overrides the profile's
    submit_dir: Path = field(default_factory=lambda: Path(os.getcwd()))

    @property
    def version(self) -> SlurmVersion | None:
        return self.slurm_version if self.slurm_version is not None else self.profile.slurm_version
