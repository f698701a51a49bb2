"""The header checks several rules share, computed once per file (see `cclint.header`)."""

from __future__ import annotations

from cclint.diagnostics import Severity
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


# Releases the differential tests prove (the others' behaviour is inferred from them), in the
# order most likely to differ from the newest. With the target release unknown, cclint judges
# as the newest; a refusal is certain only when these refuse the line too (a change of
# behaviour between two of them holds for every release after it).
RELEASES = ("22.05", "25.11", "24.11")


def unless_a_release_accepts(rule, ctx, diagnostics):
    """A header rule's findings, where the target release is unknown and a refusal of the
    newest release is not one of every release: a warning that names a release accepting it."""
    for diagnostic in diagnostics:
        if ctx.version is None and diagnostic.extra.get(REJECTED) and diagnostic.path == ctx.path:
            release = _accepting_release(rule, ctx, diagnostic.line)
            if release is not None:
                diagnostic.severity = min(diagnostic.severity, rule.at_most(ctx, Severity.WARNING))
                diagnostic.message += (f" Slurm {release} accepts it, and the target release is "
                                       "unknown (give --slurm-version or --cluster).")
        yield diagnostic


def _accepting_release(rule, ctx, line: int) -> str | None:
    for release in RELEASES:
        refused = ctx.cached(f"refused:{rule.name}:{release}", lambda: _refused_lines(rule, ctx, release))
        if line not in refused:
            return release
    return None


def _refused_lines(rule, ctx, release: str) -> set[int]:
    """The lines on which `rule` reports a refusal when the script is read for `release`."""
    other = ctx.cached(f"as-read-by:{release}", lambda: _as_read_by(ctx, release))
    return {d.line for d in rule.check(other.script, other) if d.extra.get(REJECTED) and d.path == ctx.path}


def _as_read_by(ctx, release: str):
    """The context of the same script with its header read for `release` (rules share it);
    only the header: what a release refuses is there."""
    from cclint.context import Context
    from cclint.header.external import COMMAND_LINE, command_line_header
    from cclint.record import replace
    from cclint.script import Script, read_header
    from cclint.slurm_version import SlurmVersion

    settings = replace(ctx.settings, slurm_version=SlurmVersion.parse(release))
    script = ctx.script
    if ctx.path == COMMAND_LINE:  # `cclint sbatch`'s options, checked as a file of their own
        header = command_line_header(settings.command_line, settings.version)
    else:
        header = read_header(script.source, script.body, settings.version, settings.environment,
                             settings.command_line, header_only=True)
    return Context(settings, Script(script.source, header, script.body, script.flow), ctx.path,
                   active=ctx.active)
