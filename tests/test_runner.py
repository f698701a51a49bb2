"""The per-file pipeline's housekeeping (what it does to the interpreter around a file)."""

from __future__ import annotations

import gc

import pytest

from cclint import runner
from cclint.runner import lint_text


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
