"""The header checks several rules share, computed once per file (see `cclint.header`)."""

from __future__ import annotations

from cclint.header.combos import Combo, conflicts, ineffective
from cclint.header.validate import Site, ValueIssue, value_issues

REJECTED = "rejected_by"  # Diagnostic.extra key: 'sbatch' when sbatch itself refuses the script
# Options whose value sbatch and the controller take as any text: template text or an
# unexpanded `$VAR` there leaves the job misnamed, its log misplaced, its mail undelivered or
# a variable wrong, but the job runs (a log directory that does not exist is
# output-dir-missing's finding, with the release's severity).
FREE_TEXT_OPTIONS = frozenset({"job-name", "comment", "mail-user", "output", "error", "export"})


def site(ctx) -> Site:
    """What the profile knows of the cluster's slurm.conf (nothing on `generic`)."""
    profile = ctx.profile

    def listed(key):
        value = profile.get(key)
        return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else None

    def known(key):
        value = profile.get(key)
        return value if isinstance(value, bool) else None

    size = profile.get("max_array_size")
    return Site(gres_types=profile.gres.types, gres_complete=profile.gres.complete,
                cpu_freq_governors=tuple(x.lower() for x in listed("cpu_freq_governors") or ()) or None,
                cpu_freq_def=known("cpu_freq_def"), multiple_sharing_gres=known("multiple_sharing_gres"),
                stepmgr=known("stepmgr"), max_array_size=size if isinstance(size, int) and size > 0 else None)


def issues(ctx) -> list[ValueIssue]:
    return ctx.cached("value-issues", lambda: value_issues(ctx.script.header, ctx.version, site(ctx)))


def conflicting(ctx) -> list[Combo]:
    return ctx.cached("conflicts", lambda: conflicts(ctx.script.header, ctx.version, site(ctx)))


def without_effect(ctx) -> list[Combo]:
    return ctx.cached("ineffective", lambda: ineffective(ctx.script.header, ctx.version))


def rejected(diagnostic, by: str = "sbatch"):
    """Mark a finding as one that makes sbatch (or slurmctld) refuse the job."""
    diagnostic.extra[REJECTED] = by
    return diagnostic
