import fnmatch

from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Option, Rule


class RequiredAccount(Rule):
    code = "CC902"
    name = "required-account"
    family = "policy"
    severity = Severity.ERROR
    enabled_by_default = False
    summary = "No --account, or not one of the accounts the course or group requires (course policy)"
    rationale = """
A policy an instructor or a group sets in the configuration: every job must be charged to
one of the listed accounts (`options: {required-account: {accounts: [def-sponsor00]}}`;
globs such as `def-*` are accepted). With no list, any `--account` is accepted but one must
be given. On a teaching cluster a job without the course account, or with a personal one,
is refused or charged to the wrong allocation. When exactly one account is allowed, the
unsafe fix writes it.
"""
    certain_when = ("No `--account`, or one that matches none of the configured `accounts` (globs "
                    "allowed): the course's policy, set in its configuration, refuses it.")
    silent_when = "A listed account; any account when none is listed; off by default."
    fix = "Add `#SBATCH --account=<account>` with the account the course gives."
    fix_safety = Applicability.UNSAFE
    options = {"accounts": Option("list[str]", (), "accepted accounts (globs allowed); empty: any account")}
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-sponsor00\npython train.py\n"

    def check(self, script, ctx):
        accounts = tuple(ctx.option(self, "accounts"))
        single = accounts[0] if len(accounts) == 1 and not any(c in accounts[0] for c in "*?[") else None
        wanted = " or ".join(f"`{a}`" for a in accounts) if accounts else "an account"
        header, source = script.header, script.source
        d = header.get("account")
        if d is None or d.value is None or not d.value.strip():
            where = header.directive_lines[-1] if header.directive_lines else 1
            edit = None
            if single:
                at = source.line_start(where) + len(source.line(where)) if header.directive_lines else \
                    (source.line_start(1) + len(source.line(1)) if source.text.startswith("#!") else -1)
                if at >= 0:
                    edit = Fix(f"Add --account={single}", (Edit(at, at, f"\n#SBATCH --account={single}"),),
                               Applicability.UNSAFE)
            fix = f"Add `#SBATCH --account={single}`." if single else self.fix
            yield self.report(ctx, where, f"No --account: this course requires {wanted}.", fix=fix, edit=edit)
            return
        if not accounts or any(fnmatch.fnmatchcase(d.value, a) for a in accounts):
            return
        edit = None
        if single and d.origin == "sbatch" and d.value_span is not None:
            edit = Fix(f"Use --account={single}", (Edit(d.value_span.start, d.value_span.end, single),),
                       Applicability.UNSAFE)
        yield self.report(ctx, d.value_span or d.span, f"--account={d.value} is not an account this course "
                          f"accepts ({wanted}).", fix=f"Use `#SBATCH --account={accounts[0]}`.", edit=edit)


RULE = RequiredAccount
