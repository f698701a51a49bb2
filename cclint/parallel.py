"""Lint many paths, in worker processes when that pays: results come in the targets' order.

`--jobs 1` (or a handful of files) lints in this process. Otherwise a pool of N processes
(forked where the platform allows, so they start with every module already imported) lints
the files in chunks, and `imap` hands the results back in order, so the output is the same
as a sequential run. Standard input is always read here, never in a worker.
"""

from __future__ import annotations

import os
import signal
from typing import Iterable, Iterator

from cclint.discovery import Target
from cclint.registry import Rule
from cclint.runner import STDIN, FileResult, active_rules, lint_path
from cclint.settings import Settings

# A pool costs about 30 ms (fork, bashlex in each worker): fewer files than this per worker
# are linted in this process.
MIN_FILES_PER_JOB = 16

_worker: tuple[Settings, list[Rule]] | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def lint_target(target: Target, settings: Settings, rules: list[Rule]) -> FileResult:
    if target.problem:
        return FileResult(target.display, error=target.problem)
    return lint_path(target.path, settings, rules, display=target.display)


def _init(settings: Settings) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the parent
    _worker = (settings, active_rules(settings))


def _lint_in_worker(target: Target) -> FileResult:
    settings, rules = _worker
    return lint_target(target, settings, rules)


def lint_targets(targets: Iterable[Target], settings: Settings, rules: list[Rule],
                 jobs: int | None = None) -> Iterator[FileResult]:
    targets = list(targets)
    jobs = min(jobs or default_jobs(), len(targets) // MIN_FILES_PER_JOB)
    if jobs <= 1:
        for target in targets:
            yield lint_target(target, settings, rules)
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    remote = [t for t in targets if t.path != STDIN and not t.problem]
    chunk = max(1, min(64, len(remote) // (jobs * 8)))
    pool = context.Pool(jobs, initializer=_init, initargs=(settings,))
    try:
        results = pool.imap(_lint_in_worker, remote, chunksize=chunk)
        for target in targets:
            if target.path == STDIN or target.problem:
                yield lint_target(target, settings, rules)
            else:
                yield next(results)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
