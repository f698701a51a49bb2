"""In CI (the `CI` environment variable set, as `.ci/run` does), a differential test that is
skipped, because an oracle is missing or for any other reason, fails the run: CI must never
pass without having compared cclint with every release. Locally a skip stays a skip."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"in CI a skipped differential test is a failure: {reason}"
