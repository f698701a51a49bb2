"""Regenerate the generated parts of README.md from the rule metadata.

Usage: python scripts/generate_docs.py [--check]   (--check: exit 1 if README.md is stale)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cclint.docs import rules_table

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)", re.S)


def render(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + rules_table() + "\n" + m.group(2), text)


def main() -> int:
    current = README.read_text("utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        return 0 if fresh == current else 1
    README.write_text(fresh, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
