"""Lint many paths, in worker processes when that pays: results come in the targets' order.

`--jobs 1` (or a handful of files) lints in this process. Otherwise a pool of N processes
(forked where the platform allows, so they start with every module already imported) lints
the files in chunks, and `imap` hands the results back in order, so the output is the same
as a sequential run. Standard input is always read here, never in a worker.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

from cclint.discovery import Target
from cclint.registry import Rule
from cclint.runner import STDIN, FileResult, active_rules, lint_path
from cclint.settings import Settings

# A pool costs about 30 ms (fork, bashlex in each worker): fewer files than this per worker
# are linted in this process.
MIN_FILES_PER_JOB = 16

_worker: tuple[list[Settings], dict[int, list[Rule]]] | None = None  # in a worker process


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def lint_target(target: Target, settings: Settings, rules: list[Rule]) -> FileResult:
    if target.problem:
        return FileResult(target.display, error=target.problem)
    return lint_path(target.path, settings, rules, display=target.display)


def _init(settings: list[Settings]) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the parent
    _worker = (settings, {})


def _lint_in_worker(job: tuple[Target, int]) -> FileResult:
    target, group = job
    settings, rules = _worker
    if group not in rules:
        rules[group] = active_rules(settings[group])
    result = lint_target(target, settings[group], rules[group])
    result.settings = None  # the parent has them: no need to send them back
    return result


def lint_targets(work: list[tuple[Target, int]], groups: list[tuple[Settings, list[Rule]]],
                 jobs: int | None = None) -> Iterator[FileResult]:
    """Lint each (target, index in groups), yielding results in the order of `work`."""
    jobs = min(jobs or default_jobs(), len(work) // MIN_FILES_PER_JOB)
    if jobs <= 1:
        for target, group in work:
            yield lint_target(target, *groups[group])
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    local = [job[0].path == STDIN or job[0].problem is not None for job in work]
    remote = [job for job, here in zip(work, local) if not here]
    chunk = max(1, min(64, len(remote) // (jobs * 8)))
    pool = context.Pool(jobs, initializer=_init, initargs=([s for s, _ in groups],))
    try:
        results = pool.imap(_lint_in_worker, remote, chunksize=chunk)
        for (target, group), here in zip(work, local):
            if here:
                yield lint_target(target, *groups[group])
            else:
                result = next(results)
                result.settings = groups[group][0]
                yield result
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
