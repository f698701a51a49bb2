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
    examples = json.loads(out.read_text())["examples"]
    assert examples["scripts"] == examples["distinct"] > 1  # real-world row: distinct files, each once


def test_a_tool_that_fails_stops_the_benchmark(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.pop(0)
    assert run.run([sys.executable, "-c", "import sys; sys.exit(1)"]) >= 0  # findings: a normal lint
    with pytest.raises(run.ToolFailed, match="exited with 2: cannot read"):
        run.run([sys.executable, "-c", "import sys; sys.stderr.write('cannot read'); sys.exit(2)"])
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-shellcheck",
                           "--realworld", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "no .sh scripts in" in done.stderr  # an error, not a figure
