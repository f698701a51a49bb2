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
    fix = "Add `#SBATCH --account=def-yourpi` (`sshare -U` lists your accounts)."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --account=def-tremblay\n#SBATCH --time=01:00:00\npython x.py\n"

    def check(self, script, ctx):
        if script.header.has("account"):
            return
        where = script.header.directive_lines[-1] if script.header.directive_lines else 1
        profile = ctx.profile
        policy = f" ({profile.name} requires one)" if profile.get("account_required") else ""
        yield self.report(ctx, where, f"No --account in the header{policy}: the job is charged to "
                          "your default account, or refused if you have none.")


RULE = MissingAccount
