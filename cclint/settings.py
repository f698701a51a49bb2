"""Everything that changes how a file is linted, after config files, env and CLI are merged.

`cclint.config` builds one `Settings` per configuration file (defaults < `extends` chain <
file < `CCLINT_*` environment < command line); library users can build one by hand.
"""

from __future__ import annotations

import fnmatch
import os
from cclint.record import field, record
from pathlib import Path

from cclint.diagnostics import Severity
from cclint.profile import GENERIC, Profile
from cclint.slurm_version import SlurmVersion


@record
class Settings:
    select: frozenset[str] | None = None  # rule names; None = every rule enabled by default
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)  # per-rule overrides
    fail_on: Severity | None = Severity.WARNING  # None: never fail
    profile: Profile = field(default_factory=lambda: GENERIC)
    slurm_version: SlurmVersion | None = None  # overrides the profile's
    submit_dir: Path = field(default_factory=lambda: Path(os.getcwd()))
    # -- issue 5: configuration files, suppressions, policy rules -------------------------
    extend_select: frozenset[str] = frozenset()  # added to the default set (off-by-default rules)
    cluster: str | None = None  # profile name or path as configured (resolved into `profile`)
    inline_config: bool = True  # honour `# cclint:` comments (graders turn this off)
    options: dict[str, dict] = field(default_factory=dict)  # rule name -> {option: value}
    # (base directory, glob, rule names): rules skipped for the files the glob matches
    per_file_ignores: tuple[tuple[str, str, frozenset[str]], ...] = ()
    exclude: tuple[tuple[str, str], ...] = ()  # (base directory, glob): files never linted
    config_file: str | None = None  # the configuration file these settings came from
    # grading (--isolated, --config, --report): configuration files the linted file carries
    # that the run does not read, as (path, what it sets); reported by `ignored-config`
    unread_configs: tuple[tuple[str, str], ...] = ()

    @property
    def version(self) -> SlurmVersion | None:
        return self.slurm_version if self.slurm_version is not None else self.profile.slurm_version

    def ignored_for(self, path: str) -> frozenset[str]:
        """Rules that `per-file-ignores` turns off for this file."""
        if not self.per_file_ignores or path.startswith("<"):
            return frozenset()
        full = os.path.abspath(path)
        out: set[str] = set()
        for base, pattern, names in self.per_file_ignores:
            if path_matches(full, base, pattern):
                out |= names
        return frozenset(out)

    def excluded(self, path: str) -> bool:
        if not self.exclude or path.startswith("<"):
            return False
        full = os.path.abspath(path)
        return any(path_matches(full, base, pattern) for base, pattern in self.exclude)


def path_matches(full: str, base: str, pattern: str) -> bool:
    """gitignore-like: a glob without `/` matches any name on the path below `base`; one
    with `/` matches the path relative to `base` (`*` also crosses `/`; `**/` is optional)."""
    rel = os.path.relpath(full, base)
    if rel == "." or rel.startswith(".." + os.sep) or rel == "..":
        return False
    rel = rel.replace(os.sep, "/")
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if pattern.endswith("/"):
        pattern = pattern.rstrip("/")
        parts = rel.split("/")[:-1]  # a directory pattern: only directories on the path
        if "/" not in pattern:
            return any(fnmatch.fnmatchcase(p, pattern) for p in parts)
        return any(fnmatch.fnmatchcase("/".join(parts[:i]), pattern) for i in range(1, len(parts) + 1))
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(p, pattern) for p in rel.split("/"))
    pattern = pattern.lstrip("/")
    candidates = {pattern}
    if pattern.startswith("**/"):
        candidates.add(pattern[3:])
    parts = rel.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatchcase(p, c) for c in candidates for p in prefixes)
