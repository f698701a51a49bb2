"""Regenerate the generated parts of README.md from the rule metadata: the rule table, and
what makes each rule certain and what keeps it silent.

Usage: python scripts/generate_docs.py [--check]   (--check: exit 1 if README.md is stale)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cclint.docs import evidence_list, rules_table

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = {"rules": rules_table, "evidence": evidence_list}


def render(text: str) -> str:
    for name, content in BLOCKS.items():
        block = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        text = block.sub(lambda m: m.group(1) + content() + "\n" + m.group(2), text)
    return text


def main() -> int:
    current = README.read_text("utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        return 0 if fresh == current else 1
    README.write_text(fresh, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
