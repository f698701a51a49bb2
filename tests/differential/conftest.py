"""The oracles as fixtures (`oracle` runs each test once per release), and the CI rule: in CI
(the `CI` environment variable set, as `.ci/run` does), a differential test that is skipped,
because an oracle is missing or for any other reason, fails the run: CI must never pass
without having compared cclint with every release. Locally a skip stays a skip."""

from __future__ import annotations

import os

import pytest

from cclint.slurm_version import SlurmVersion
from tests.differential.oracle import Controller, Oracle, releases

RELEASES = releases()


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


@pytest.fixture(scope="module")
def controller():
    stand_in = Controller()
    yield stand_in
    stand_in.close()


@pytest.fixture(scope="module", params=RELEASES, ids=[r.label for r in RELEASES])
def oracle(request, controller, tmp_path_factory) -> Oracle:
    release = request.param
    if release.sbatch is None:
        pytest.skip(release.missing)  # a failure in CI (above)
    workdir = tmp_path_factory.mktemp("sbatch")
    (workdir / "hosts").write_text("node1\n")
    return Oracle(release.sbatch, workdir, controller.port)


@pytest.fixture(scope="module")
def installed_version(oracle) -> SlurmVersion:
    return SlurmVersion.parse(oracle.version())
