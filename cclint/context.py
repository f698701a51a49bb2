"""What a rule may consult besides the script: settings, profile, target Slurm version.

A leaf of the pipeline: the registry (rules) and the runner both use it, it uses neither.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
from cclint.diagnostics import Severity
from cclint.record import field, record
from cclint.settings import Settings

if TYPE_CHECKING:
    from cclint.script import Script


@record
class Context:
    """What a rule may consult besides the script: settings, profile, target Slurm version."""

    settings: Settings
    script: Script
    path: str
    scratch: dict = field(default_factory=dict)  # per-file cache shared by rules
    active: frozenset[str] | None = None  # the rules run on this file (None: not known)

    @property
    def profile(self):
        return self.settings.profile

    @property
    def version(self):
        return self.settings.version

    def default_severity(self, rule) -> Severity:  # a rule class or instance
        setting = self.settings.profile.rule_setting(rule.name)
        if setting and setting != "off":
            return Severity.parse(setting)
        return rule.severity

    def option(self, rule, key: str):
        """A rule option as configured (`options: {RULE: {KEY: ...}}`), else its default."""
        configured = self.settings.options.get(rule.name, {})
        return configured[key] if key in configured else rule.options[key].default

    def runs(self, rule_name: str) -> bool:
        """Whether `rule_name` runs on this file too: a rule leaves a case to a more precise
        one only when that one will report it (unknown: it reports the case itself)."""
        return self.active is not None and rule_name in self.active

    def cached(self, key: str, compute):
        """Compute a fact once per file (several rules share e.g. the GPU request)."""
        if key not in self.scratch:
            self.scratch[key] = compute()
        return self.scratch[key]
