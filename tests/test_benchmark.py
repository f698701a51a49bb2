"""The benchmark stays runnable: `benchmarks/run.py --quick` ends well and reports every
figure. Nothing is timed here (speed is for the benchmark itself, run by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not (Path(sys.executable).parent / "cclint").exists(),
                    reason="cclint is not installed beside this Python (pip install -e .)")
def test_quick_benchmark_reports_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-shellcheck",
                           "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())["cclint"]
    for key in ("cold_start_ms", "cli_scripts_per_s", "cli_examples_per_s", "in_process_scripts_per_s",
                "in_process_examples_per_s", "cli_all_cores_scripts_per_s", "python_start_ms"):
        assert figures[key] > 0, key
    assert set(figures["size_ms"]) == set(figures["in_process_size_ms"]) == {"100", "200"}
    assert "scripts per second, command line, 1 core" in done.stdout
