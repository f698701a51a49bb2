"""What `cclint check` does (lint, fix, report), with no dependency on typer.

Its keywords are the options declared in `cclint.arguments`: `cclint.main` calls it
directly for every lint command line, `cclint.cli` (typer) for the rest, with the same
defaults. It ends with SystemExit: 0 when no finding reaches --fail-on, 1 when one does,
2 for a usage or input error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from cclint.arguments import FORMATS

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
if TYPE_CHECKING:
    from typing import Optional

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def say(message: str) -> None:
    """One line for the user, on standard error."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def fail(message: str) -> None:
    say(f"cclint: error: {message}")
    raise SystemExit(EXIT_ERROR)


def split_list(values: Optional[Sequence[str]]) -> list[str]:
    """`--select a,b --select c` -> [a, b, c]."""
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def use_color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def run_check(
    paths: Optional[Sequence[str]] = None, *,
    output_format: Optional[str] = None, output_file: Optional[str] = None, statistics: bool = False,
    select: Optional[Sequence[str]] = None, extend_select: Optional[Sequence[str]] = None,
    ignore: Optional[Sequence[str]] = None, fail_on: Optional[str] = None,
    submit_dir: Optional[str] = None, slurm_version: Optional[str] = None, cluster: Optional[str] = None,
    config: Optional[str] = None, isolated: bool = False, no_inline_config: bool = False, no_env: bool = False,
    stdin_filename: Optional[str] = None,
    fix: bool = False, unsafe_fixes: bool = False, diff: bool = False, exit_non_zero_on_fix: bool = False,
    force_exclude: bool = False, only_job_scripts: bool = False,
    report: bool = False, report_format: str = "text", color: str = "auto", jobs: Optional[int] = None,
    report_dir: Optional[str] = None,
) -> None:
    """Lint `paths` (default: the current directory), then exit."""
    from cclint.config import ConfigError, Resolver

    report = report or report_dir is not None

    if unsafe_fixes and not (fix or diff):
        fail("--unsafe-fixes applies with --fix or --diff")
    if report and (fix or diff):
        fail("--report does not fix files; run --fix or --diff without --report")
    if report_format != "text" and not report:
        fail("--report-format applies with --report or --report-dir (the grading table); "
             "the findings' format is --format")
    if report and output_format is not None:
        fail("--report has its own formats: use --report-format text|markdown|json")
    if report and statistics:
        fail("--report already counts each problem across the class (submissions that have it); "
             "--statistics is for a plain run")
    paths = list(paths or (["-"] if stdin_filename else ["."]))
    if stdin_filename is not None and "-" not in paths:
        fail("--stdin-filename names the script read from standard input: add `-` to the paths")
    if report and (len(paths) != 1 or not os.path.isdir(paths[0])):
        fail("--report takes one folder of submissions (one sub-folder per student)")
    if report_dir is not None and os.path.exists(report_dir) and not os.path.isdir(report_dir):
        fail(f"--report-dir {report_dir}: a file, not a folder (the feedback files go in a folder)")
    if fix and not diff and "-" in paths:
        fail("--fix cannot rewrite standard input; use --diff to see the changes")
    fmt = _choose_format(output_format)

    cli_values, labels = command_line_settings(select, extend_select, ignore, fail_on, submit_dir, slurm_version,
                                               cluster, no_inline_config, no_env)
    try:
        resolver = Resolver(config_file=config, isolated=isolated, cli=cli_values, cli_labels=labels,
                            root=paths[0] if report else None)
        results = _lint_all(resolver, paths, force_exclude, only_job_scripts, fix, diff, unsafe_fixes, report,
                            jobs, stdin_filename)
    except ConfigError as exc:
        fail(str(exc))

    if diff:
        _finish_diff(results, output_file)
    from cclint.output import Report

    rep = Report(results=[r for r, _, _ in results], fixing=fix, with_statistics=statistics)
    unreadable, failed = rep.unreadable, rep.failed
    if report:
        from cclint import grading

        submissions = grading.collect(paths[0], rep.results)
        unreadable = [s for s in submissions if s.unreadable]  # not the root's "no job script here"
        failed = failed or not submissions or grading.failed(submissions)  # a missing script never passes
        _emit(output_file, lambda out: grading.render(report_format, paths[0], submissions, out))
        if report_dir is not None:
            from cclint.feedback import write_report_dir

            try:
                written = write_report_dir(report_dir, paths[0], submissions)
            except OSError as exc:
                fail(f"--report-dir {report_dir}: {exc.strerror or exc}")
            say(f"cclint: wrote {written} feedback file{'s' if written != 1 else ''} and "
                 f"{os.path.join(report_dir, 'index.html')}")
    else:
        from cclint.output import renderer

        module = renderer(fmt)
        _emit(output_file, lambda out: module.render(rep, out, color=output_file is None and fmt == "text"
                                                      and use_color(color, out)))
        if statistics and fmt in ("sarif", "gitlab", "junit"):
            from cclint.output import statistics_table

            sys.stderr.write(statistics_table(rep))
    internal = any(r.internal_errors for r in rep.results)
    if unreadable or internal:
        raise SystemExit(EXIT_ERROR)
    if fix and exit_non_zero_on_fix and any(changed for _, changed, _ in results):
        raise SystemExit(EXIT_FINDINGS)
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_OK)


def command_line_settings(select=None, extend_select=None, ignore=None, fail_on=None, submit_dir=None,
                          slurm_version=None, cluster=None, no_inline_config=False,
                          no_env=False) -> tuple[dict, dict]:
    """The settings given on the command line (the top layer of the configuration), and the
    option that set each (`cclint check` and `cclint config` take the same ones)."""
    values = {
        "select": split_list(select) if select else None,
        "extend-select": split_list(extend_select) if extend_select else None,
        "ignore": split_list(ignore) if ignore else None,
        "fail-on": fail_on,
        "submit-dir": submit_dir,
        "slurm-version": slurm_version,
        "cluster": cluster,
        "inline-config": False if no_inline_config else None,
        "env": False if no_env else None,
    }
    labels = {key: f"--{key}" for key in values}
    labels["inline-config"] = "--no-inline-config"
    labels["env"] = "--no-env"
    return values, labels


def _choose_format(given) -> str:
    if given is not None:
        return given
    env = os.environ.get("CCLINT_FORMAT", "").strip().lower()
    if env:
        if env not in FORMATS:
            fail(f"environment variable CCLINT_FORMAT: unknown format {env!r} "
                 f"(choose from {', '.join(FORMATS)})")
        return env
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text"


def _emit(output_file: Optional[str], write) -> None:
    if output_file is None:
        out = sys.stdout
        write(out)
        out.flush()
        return
    import io

    buffer = io.StringIO()
    write(buffer)
    try:
        with open(output_file, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(buffer.getvalue())
    except OSError as exc:
        fail(f"--output-file {output_file}: {exc.strerror or exc}")


_NOTIFIED: set[int] = set()


def _profile_notices(profile) -> None:
    """Once per profile: a retired cluster's replacement, and the profile's own warnings."""
    if id(profile) in _NOTIFIED:
        return
    _NOTIFIED.add(id(profile))
    retired = getattr(profile, "retired", None)
    if retired is not None:
        say(f"cclint: note: {retired.notice()}")
    for warning in getattr(profile, "warnings", ()):
        say(f"cclint: warning: {warning}")


def _lint_all(resolver, paths, force_exclude, only_job_scripts, fix, diff, unsafe, grading=False, jobs=None,
              stdin_filename=None):
    """Lint (and fix) every target; returns [(FileResult, changed, diff bytes or None)].

    When grading, each script's submit directory is its own folder (where the student
    runs sbatch), unless a configuration, CCLINT_SUBMIT_DIR or --submit-dir sets one.
    A configuration file that cannot be read (in one student's folder, say) is one error,
    at the place of the first script it governs; the other scripts are linted as usual.
    Standard input is named `stdin_filename` when given: its configuration is that path's."""
    from cclint.record import replace
    from pathlib import Path

    from cclint.config import ConfigError
    from cclint.discovery import is_job_script, targets
    from cclint.parallel import lint_targets
    from cclint.runner import FileResult, active_rules

    # Settings and rules are resolved here, file by file; linting may then run in processes.
    rules_for: dict[int, tuple] = {}  # id(settings) -> (settings, kept alive; its rules)
    groups: list[tuple] = []  # the distinct (settings, rules) that files are linted with
    group_of: dict[tuple, int] = {}  # (id(settings), submit dir, unread configs) -> index in groups
    work = []  # (target, group index)
    broken: dict[str, list] = {}  # configuration error -> [index in work, ConfigError, scripts]
    for target in targets(paths, every_shell_script=grading):
        if target.path == "-" and stdin_filename and target.problem is None:
            target = replace(target, display=stdin_filename)
        name = target.display if target.path == "-" and stdin_filename else target.path
        try:
            effective = resolver.effective(name)
        except ConfigError as exc:
            if resolver.fatal(name, exc):
                raise
            entry = broken.setdefault(str(exc), [len(work), exc, 0])
            entry[2] += 0 if target.problem else 1
            continue
        settings = effective.settings
        if settings.excluded(name) and (not target.explicit or force_exclude):
            continue
        if target.explicit and only_job_scripts and target.path != "-" and os.path.isfile(target.path) \
                and not is_job_script(target.path):
            continue
        if id(settings) not in rules_for:
            rules_for[id(settings)] = (settings, active_rules(settings))
            _profile_notices(settings.profile)
        rules = rules_for[id(settings)][1]
        submit_dir = settings.submit_dir
        if grading and "submit-dir" not in effective.explicit:
            submit_dir = Path(os.path.dirname(os.path.abspath(target.path)))
        unread = () if target.problem else resolver.unread_configs(target.path, target.top)
        key = (id(settings), submit_dir, unread)
        if key not in group_of:
            group_of[key] = len(groups)
            if submit_dir != settings.submit_dir or unread:
                settings = replace(settings, submit_dir=submit_dir, unread_configs=unread)
            groups.append((settings, rules))
        work.append((target, group_of[key]))
    errors_at: dict[int, list] = {}
    for at, exc, scripts in broken.values():
        path = resolver.shown(exc.path) if exc.path else "configuration"
        message = str(ConfigError(exc.message, path, exc.line, exc.column))
        result = FileResult(path, error=f"{message}; {scripts} job script{'s' if scripts != 1 else ''} "
                                        f"under {resolver.shown(os.path.dirname(exc.path or '.') or '.')}/ not linted")
        errors_at.setdefault(at, []).append(result)

    out = []
    results = lint_targets(work, groups, jobs)
    for index in range(len(work) + 1):
        for result in errors_at.get(index, ()):
            say(f"cclint: error: {result.error}")
            out.append((result, False, None))
        if index == len(work):
            break
        target, group = work[index]
        result = next(results)
        settings, rules = groups[group]
        if result.error:
            say(f"cclint: error: {result.error}")
        for message in result.internal_errors:
            say(f"cclint: error: {result.path}: {message}")
        changed, patch = False, None
        if (fix or diff) and result.source is not None and not result.error:
            changed, patch = _fix_one(target, result, settings, rules, unsafe, write=fix and not diff)
        out.append((result, changed, patch))
    return out


def _fix_one(target, result, settings, rules, unsafe: bool, write: bool) -> tuple[bool, bytes | None]:
    """Fix one file: write it (atomically) or return its diff."""
    from cclint.fixer import fix_source, unified_diff, write_atomic
    from cclint.runner import lint_source
    from cclint.source import SourceFile

    def run(src):
        linted = lint_source(src, settings, rules)
        return linted.diagnostics, linted.incomplete

    outcome = fix_source(result.source, run, unsafe=unsafe)
    for d in outcome.refused:
        say(f"cclint: note: {result.path}:{d.line}: fix for {d.rule} not applied: it would make "
                   "the script unparsable")
    if not outcome.converged:
        say(f"cclint: warning: {result.path}: fixes did not converge; the file may need another run")
    if not outcome.changed:
        return False, None
    data = outcome.encoded()
    if not write:
        from cclint.output import display_path

        return True, unified_diff(outcome, display_path(result.path).lstrip("/"))
    try:
        write_atomic(target.path, data)
    except OSError as exc:
        result.internal_errors.append(f"cannot write the fixed file ({exc.strerror or exc}); it is unchanged")
        say(f"cclint: error: {result.path}: cannot write the fixed file ({exc.strerror or exc}); "
                   "it is unchanged")
        return False, None
    result.source = SourceFile.from_bytes(result.path, data)
    result.found = len(result.diagnostics)
    result.diagnostics = outcome.diagnostics
    result.fixed = len(outcome.applied)
    return True, None


def _finish_diff(results, output_file: Optional[str] = None) -> None:
    patches = [patch for _, was_changed, patch in results if was_changed and patch]
    changed = len(patches)
    if output_file is not None:  # the patch as bytes: each file's own encoding
        try:
            with open(output_file, "wb") as fh:
                fh.write(b"".join(patches))
        except OSError as exc:
            fail(f"--output-file {output_file}: {exc.strerror or exc}")
    else:
        out = getattr(sys.stdout, "buffer", None)
        for patch in patches:
            if out is not None:
                out.write(patch)
            else:
                sys.stdout.write(patch.decode("utf-8", "replace"))
        if out is not None:
            out.flush()
    unreadable = any(r.error or r.internal_errors for r, _, _ in results)
    files = sum(1 for r, _, _ in results if not r.error)
    say(f"{changed} of {files} file{'s' if files != 1 else ''} would be changed by the fixes "
               "(nothing was written).")
    raise SystemExit(EXIT_ERROR if unreadable else EXIT_FINDINGS if changed else EXIT_OK)

