"""cclint.patterns.lazy: a pattern compiled on first use, that behaves as re.compile's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cclint.patterns import lazy

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("pattern, flags, text", [
    (r"(?P<key>[a-z]+)=(\d+)", 0, "a=1, bb=22, C=3"),
    (r"def-(some|your)\w*", re.IGNORECASE, "DEF-someuser def-YOURPI def-lab"),
    (r"^#SBATCH\s+(\S+)", re.MULTILINE, "#SBATCH -t 1\nx\n#SBATCH --mem=1G\n"),
])
def test_every_method_answers_as_the_compiled_pattern(pattern, flags, text):
    compiled, deferred = re.compile(pattern, flags), lazy(pattern, flags)
    assert deferred.search(text).group() == compiled.search(text).group()
    assert deferred.search(text, 3) is None or deferred.search(text, 3).span() == compiled.search(text, 3).span()
    assert (deferred.match(text) is None) == (compiled.match(text) is None)
    assert (deferred.fullmatch(text) is None) == (compiled.fullmatch(text) is None)
    assert deferred.findall(text) == compiled.findall(text)
    assert [m.span() for m in deferred.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert deferred.sub("<\\1>", text) == compiled.sub("<\\1>", text)
    assert deferred.subn("", text) == compiled.subn("", text)
    assert deferred.split(text) == compiled.split(text)
    assert (deferred.groups, deferred.groupindex) == (compiled.groups, compiled.groupindex)


def test_compiled_once_on_first_use_and_its_methods_kept():
    deferred = lazy(r"x+")
    assert "search" not in vars(deferred)  # nothing compiled yet
    assert deferred.pattern == r"x+" and deferred.flags == 0  # readable without compiling
    assert deferred.match("xx").end() == 2
    assert vars(deferred)["search"].__self__ is vars(deferred)["match"].__self__  # one compilation
    with pytest.raises(AttributeError):
        deferred.no_such_method


def test_a_bad_pattern_fails_where_it_is_first_used():
    deferred = lazy(r"(unclosed")
    with pytest.raises(re.error):
        deferred.search("x")


def test_importing_cclint_and_its_rules_compiles_no_pattern():
    # Start-up: a plain run imports the engine and every rule; none may compile a pattern at
    # import (write `lazy(...)`, not `re.compile(...)`, at module level).
    code = (
        "import re, sys\n"
        "compiled = []\n"
        "real = re._compile\n"
        "def spy(pattern, flags):\n"
        "    caller = sys._getframe(1)\n"
        "    while caller and caller.f_code.co_filename.endswith(('re/__init__.py', 'enum.py')):\n"
        "        caller = caller.f_back\n"
        "    name = caller.f_code.co_filename if caller else ''\n"
        "    if '/cclint/' in name or '/rules/' in name:\n"
        "        compiled.append(f'{name}:{caller.f_lineno}')\n"
        "    return real(pattern, flags)\n"
        "re._compile = spy\n"
        "import cclint.main, cclint.check, cclint.runner\n"
        "from cclint.registry import all_rules\n"
        "all_rules()\n"
        "print('\\n'.join(compiled))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", "patterns compiled at import:\n" + out.stdout
