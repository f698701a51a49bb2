"""The per-file pipeline's housekeeping (what it does to the interpreter around a file)."""

from __future__ import annotations

import gc

import pytest

from cclint import runner
from cclint.runner import lint_text
from tests.conftest import make_settings


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_paused_during_a_file_and_restored(enabled, monkeypatch):
    seen = []
    build = runner.Script.build
    monkeypatch.setattr(runner.Script, "build", lambda *a: seen.append(gc.isenabled()) or build(*a))
    (gc.enable if enabled else gc.disable)()
    try:
        result = lint_text("#!/bin/bash\n#SBATCH --time=1:00:00\npython x.py\n")
        assert gc.isenabled() is enabled  # as it was, whatever it was
    finally:
        gc.enable()
    assert seen == [False]
    assert result.diagnostics and not result.internal_errors


def test_collector_restored_when_the_model_fails(monkeypatch):
    def broken(*a):
        raise RuntimeError("bug")

    monkeypatch.setattr(runner.Script, "build", broken)
    result = lint_text("echo\n")
    assert gc.isenabled()
    assert "internal error" in result.internal_errors[0]


# -- one problem, one finding: a general rule leaves a case to the precise one that runs -------

UNLIMITED = "#!/bin/bash\n#SBATCH --time=UNLIMITED\n#SBATCH --account=def-lab\npython x.py\n"


@pytest.mark.parametrize("value", ["UNLIMITED", "0"])
def test_no_time_limit_is_said_once_with_the_cluster_cap(value):
    text = UNLIMITED.replace("UNLIMITED", value)
    found = [(d.line, d.rule) for d in lint_text(text, make_settings(cluster="narval")).diagnostics]
    assert (2, "time-exceeds-limit") in found and (2, "misleading-value") not in found


@pytest.mark.parametrize("options", [{}, {"cluster": "narval", "ignore": ["time-exceeds-limit"]}])
def test_no_time_limit_is_still_said_where_no_cap_is_checked(options):
    found = [(d.line, d.rule) for d in lint_text(UNLIMITED, make_settings(**options)).diagnostics]
    assert (2, "misleading-value") in found and (2, "time-exceeds-limit") not in found
