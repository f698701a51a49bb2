from cclint.diagnostics import Severity
from cclint.registry import Rule


class MissingAccount(Rule):
    code = "CC203"
    name = "missing-account"
    family = "resources"
    severity = Severity.INFO
    summary = "No --account: the job is charged to your default account, if there is one"
    rationale = """
Without `--account` (`-A`) the job goes to your default account. On clusters where you
belong to several allocations (a `def-` default and an `rrg-`/`rpp-` award, or several
groups), that may be the wrong one, and on some clusters there is no default at all and the
job is refused. Naming the account makes the script work the same for everyone who runs it.
"""
    certain_when = ("No account anywhere sbatch reads one: the default account is used when you "
                    "have exactly one, so the evidence of a refusal is partial (info); a warning "
                    "on Alliance profiles, where most users have several allocations, an error on "
                    "PAICE profiles, which require an `aip-` account.")
    silent_when = ("An account in any form (`-A`, `#PBS -A`, `SBATCH_ACCOUNT`); one only in an "
                   "ignored line does not count.")
    fix = ("Add `#SBATCH --account=<account>` with one of your accounts (`sshare -U` lists them); "
           "where the script uses a project directory, the fix names its group's account.")
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --account=def-tremblay\n#SBATCH --time=01:00:00\npython x.py\n"

    def check(self, script, ctx):
        if script.header.has("account"):
            return
        where = script.header.directive_lines[-1] if script.header.directive_lines else 1
        profile = ctx.profile
        policy = f" ({profile.name} requires one)" if profile.get("account_required") else ""
        yield self.report(ctx, where, f"No --account in the header{policy}: the job is charged to "
                          "your default account, or refused if you have none.", fix=_fix(script, profile))


def _fix(script, profile) -> str:
    from cclint.analysis.suggest import ACCOUNT, project_dir

    found = project_dir(script)
    if found is not None:
        return f"Add `#SBATCH --account={found[1]}`, the group of {found[0]} (`sshare -U` lists your accounts)."
    prefixes = profile.account.prefixes
    start = f" ({profile.name} accounts start with {', '.join(prefixes)})" if prefixes else ""
    return f"Add `#SBATCH --account={ACCOUNT}` with one of your accounts{start}: `sshare -U` lists them."


RULE = MissingAccount
