"""Cluster profiles: where a script will run, and the limits it is judged against.

Profiles are YAML data (see `cclint/profiles/`); this module holds the in-memory shape.
`generic` is plain Slurm with no site policy and an unknown Slurm version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cclint.slurm_version import SlurmVersion


@dataclass
class Profile:
    name: str = "generic"
    description: str = "Plain Slurm: no site policy, Slurm version unknown."
    slurm_version: SlurmVersion | None = None
    internet: bool | None = None  # do compute nodes reach the internet? None: not known
    severity: dict[str, str] = field(default_factory=dict)  # rule name -> error|warning|info|off
    data: dict = field(default_factory=dict)  # limits and facts read by profile rules
    source: str = ""  # the file it was loaded from

    def rule_setting(self, rule_name: str) -> str | None:
        return self.severity.get(rule_name)

    def get(self, key: str, default=None):
        return self.data.get(key, default)


GENERIC = Profile()
