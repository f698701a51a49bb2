"""cclint reads scripts, it never runs them; YAML is data, never code.

A script full of substitutions, `source`, `eval`, traps and here-documents that would each
create a file if anything executed, expanded or sourced them is linted (in this process and
from the command line) and nothing appears. The source tree is checked for any way to run
code: YAML loaders must be safe, and there is no subprocess, eval or exec.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cclint.runner import lint_text
from tests.conftest import TESTS
from tests.test_cli import CLEAN, cclint

ROOT = TESTS.parent


def hostile_script(marker: Path) -> str:
    m = str(marker)
    return f"""#!/bin/bash
#SBATCH --job-name=$(touch {m}.directive)
#SBATCH --output=`touch {m}.backtick`/%j.out
#SBATCH --chdir=$(touch {m}.chdir)
#SBATCH --comment="$(touch {m}.quoted)"
touch {m}.plain
echo "$(touch {m}.cmdsub)" `touch {m}.backtick2` $((  $(touch {m}.arith) ))
X=$(touch {m}.assign); export Y="$(touch {m}.export)"
source <(echo touch {m}.procsub)
. /dev/stdin <<< "touch {m}.herestring"
eval "touch {m}.eval"
trap 'touch {m}.trap' EXIT
cd "$(touch {m}.cd; echo /tmp)"
cat > "$(touch {m}.redirect)" <<EOF
$(touch {m}.heredoc)
EOF
python -c "import os; os.system('touch {m}.python')"
for f in $(touch {m}.loop); do touch "$f"; done
case $(touch {m}.case) in *) touch {m}.branch ;; esac
f() {{ touch {m}.function; }}; f
"""


def created(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("marker"))


def test_linting_executes_nothing(tmp_path):
    marker = tmp_path / "marker"
    text = hostile_script(marker)
    result = lint_text(text)
    assert result.diagnostics and not result.internal_errors
    script = tmp_path / "job.sh"
    script.write_text(text)
    code, out, err = cclint("--format", "json", script, "-", stdin=text.encode(), cwd=tmp_path)
    assert code in (0, 1) and "Traceback" not in err
    assert created(tmp_path) == []


SOURCES = sorted(p for folder in ("cclint", "rules", "scripts", "benchmarks")
                 for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_source_can_neither_run_code_nor_load_unsafe_yaml(path):
    text = path.read_text("utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    if path.relative_to(ROOT).as_posix() == "cclint/submit.py":  # `cclint sbatch` hands over to
        handover = 'os.execv(sbatch, ["sbatch", *args])'  # sbatch, found on PATH: its one exec
        assert code.count(handover) == 1
        code = code.replace(handover, "")
    for pattern in (r"\bsubprocess\b", r"\bos\.(system|popen|exec\w*|spawn\w*)\b", r"(?<![.\w])eval\(",
                    r"(?<![.\w])exec\(", r"\bpickle\.loads?\(", r"shell\s*=\s*True"):
        if path.name == "run.py" and path.parent.name == "benchmarks" and "subprocess" in pattern:
            continue  # the benchmark runs cclint and shellcheck on purpose
        assert not re.search(pattern, code), f"{pattern} in {path}"
    # ruamel.yaml: only the safe or round-trip loaders (the round-trip one, used for the
    # line numbers of config errors, builds no Python objects either: see the test below);
    # PyYAML: only safe_load / SafeLoader.
    for call in re.findall(r"YAML\(([^)]*)\)", code):
        assert re.search(r"typ\s*=\s*['\"](safe|rt)['\"]", call), f"YAML({call}) in {path}: use typ='safe'"
    assert not re.search(r"\byaml\.load\((?![^)]*SafeLoader)", code), f"yaml.load without SafeLoader in {path}"
    assert not re.search(r"unsafe_load|full_load|UnsafeLoader|FullLoader|typ\s*=\s*['\"]unsafe", code), path


def test_safe_yaml_refuses_python_objects(tmp_path):
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import ConstructorError

    marker = tmp_path / "marker.yaml"
    document = f"rules: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ConstructorError):
        YAML(typ="safe", pure=True).load(document)
    tagged = YAML(typ="rt", pure=True).load(document)["rules"]  # kept as tagged data, never called
    assert tagged.tag.value == "tag:yaml.org,2002:python/object/apply:os.system"
    assert not marker.exists()


def test_config_with_python_tag_is_an_error_that_runs_nothing(tmp_path):
    marker = tmp_path / "marker"
    (tmp_path / ".cclint.yaml").write_text(f"ignore: !!python/object/apply:os.system ['touch {marker}']\n")
    (tmp_path / "job.sh").write_text(CLEAN)
    code, out, err = cclint(tmp_path / "job.sh", cwd=tmp_path)
    assert code == 2 and ".cclint.yaml" in err and "Traceback" not in err
    assert not marker.exists()
