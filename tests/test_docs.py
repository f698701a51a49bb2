"""The README's rule table is generated from the rule metadata and must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_rule_table_is_current():
    spec = importlib.util.spec_from_file_location("generate_docs", ROOT / "scripts" / "generate_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text("utf-8")
    assert module.render(readme) == readme, "run: .venv/bin/python scripts/generate_docs.py"


def test_precommit_hooks_are_used_one_at_a_time(tmp_path):
    """cclint-fix lints what its fixes leave, exactly as cclint: running both would print every
    remaining finding twice, so the README's example uses one hook and says why."""
    import re
    import shlex

    from ruamel.yaml import YAML

    from tests.test_cli import cclint

    hooks = {h["id"]: h for h in YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    job = tmp_path / "job.sh"
    job.write_text("#!/bin/bash\n#sbatch --time=1\n#SBATCH --account=def-lab\nconda activate env\n")
    code, out, _ = cclint(*shlex.split(hooks["cclint-fix"]["entry"])[1:], job)
    assert code == 1 and job.read_text().startswith("#!/bin/bash\n#SBATCH --time=1\n")  # fixed
    assert out.count("conda-use") == 1  # and what remains is reported, once
    assert cclint(*shlex.split(hooks["cclint"]["entry"])[1:], job)[1].count("conda-use") == 1
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## pre-commit"):readme.index("## Editors (language server)")]
    example = section[section.index("```yaml"):]
    example = example[:example.index("```\n", 7)]
    assert len(re.findall(r"^\s*#?\s*- id: cclint", example, re.M)) == 1, example
    assert "use **one** of them" in section
