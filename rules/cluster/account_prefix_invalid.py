import re

from cclint.analysis.limits import source
from cclint.analysis.resources import shown
from cclint.diagnostics import Severity
from cclint.patterns import lazy
from cclint.registry import Rule

_UNKNOWABLE = ("$", "<", ">", "%", "`", "{")  # variables and template text: other rules report them
# Template words (placeholder-value's domain): not an account to judge.
_TEMPLATE = lazy(r"your|changeme|change-me|xxx|someuser|placeholder", re.I)


class AccountPrefixInvalid(Rule):
    code = "CC610"
    name = "account-prefix-invalid"
    family = "cluster"
    severity = Severity.WARNING
    summary = "--account does not look like an account of the cluster (def-, rrg-, rpp-, ctb-; aip- on PAICE)"
    rationale = """
Alliance accounts are named after the allocation: `def-PI` for a group's default
allocation, `rrg-`/`rpp-` for competition allocations, `ctb-` for contributed systems; the
PAICE AI clusters (Killarney, tamIA, Vulcan) take `aip-` accounts. Another name (a user
name, a group from another centre, an Alliance account on a PAICE cluster) is most likely
refused: `Invalid account or account/partition combination specified` (a warning: a cluster
may have accounts its documentation does not list). Silent
without a `--cluster` profile that gives the prefixes.
"""
    certain_when = ("An `--account` that starts with none of the profile's prefixes (`def-`, "
                    "`rrg-`, `rpp-`, `ctb-`; `aip-` on PAICE): most likely refused, but a cluster "
                    "may have accounts its documentation does not list (warning).")
    silent_when = ("Accounts with a known prefix; template text and variables "
                   "(placeholder-value's, variable-in-directive's); no account "
                   "(missing-account's); profiles without prefixes (generic, Mila).")
    fix = ("Use one of your accounts on the cluster (`sshare -U` lists them); the fix suggests the "
           "name the script gives with the cluster's prefix.")
    bad = "#!/bin/bash\n#SBATCH --account=def-smith\n#SBATCH --time=01:00:00\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --account=aip-smith\n#SBATCH --time=01:00:00\npython train.py\n"
    example_profile = "tamia"

    def check(self, script, ctx):
        profile = ctx.profile
        prefixes = profile.account.prefixes
        if not prefixes:
            return
        d = script.header.get("account")
        if d is None or d.value is None:
            return
        value = d.value.strip()
        if not value or any(c in value for c in _UNKNOWABLE) or _TEMPLATE.search(value):
            return
        if value.lower().startswith(tuple(p.lower() for p in prefixes)):
            return
        listed = ", ".join(prefixes[:-1]) + f" or {prefixes[-1]}" if len(prefixes) > 1 else prefixes[0]
        yield self.report(
            ctx, d.span,
            f"`{shown(d)}`: accounts on {profile.name} start with {listed}; another name is most likely "
            f"refused (`Invalid account or account/partition combination specified`) "
            f"({source(profile, profile.account.url)}).",
            fix=f"Use one of your {profile.name} accounts (`sshare -U` on a login node lists them), "
                f"such as `--account={prefixes[0]}{_group(value)}` if your group's has that name.")


def _group(account: str) -> str:
    """`def-smith` -> `smith`; `smith` stays (the group part of an account name)."""
    head, sep, tail = account.partition("-")
    return tail if sep and tail and len(head) <= 4 and head.isalpha() else account


RULE = AccountPrefixInvalid
