"""Property tests run the same examples on every run (the fixed profile of
tests/robustness/strategies.py): a failure found once is found again, on any machine."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent


def test_every_property_test_uses_the_fixed_profile():
    loose = []
    for path in sorted(TESTS.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.match(r"\s*@settings\(", line) and not re.match(r"\s*@settings\((S\.)?PROFILE\b", line):
                loose.append(f"{path.relative_to(TESTS)}:{number}: {line.strip()}")
    assert not loose, "use @S.PROFILE or @settings(PROFILE, ...):\n" + "\n".join(loose)
    assert any("@S.PROFILE" in p.read_text("utf-8") for p in TESTS.rglob("*.py"))
