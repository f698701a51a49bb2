"""Every input the property tests ever crashed on, by name, so that none comes back.

Each case is linted through the whole pipeline; the invariants are those of
`test_properties.check_invariants` (no exception, no rule failure, positions in the file).
"""

from __future__ import annotations

import pytest

from cclint.shell import parse
from cclint.source import SourceFile
from tests.robustness.test_properties import check_invariants

CRASHES = {
    # a span ending with the file's last newline pointed one line past the end of the file
    "unterminated-backtick-at-eof": b"#!/bin/bash\n`\n",
    # mask.py: `for ((` never closed made the masker write past the statement (IndexError)
    "for-arith-unclosed": b"#!/bin/bash\nfor (\n",
    "for-arith-unclosed-in-pipeline": b"#!/bin/bash\necho | for (\n",
    # lexer.py: $((, "$( and "${ nested ~1000 deep overflowed the recursive scanner
    "deep-arithmetic": b"#!/bin/bash\n" + b"$((" * 1000 + b"1" + b"))" * 1000 + b"\n",
    "deep-quoted-substitution": b"#!/bin/bash\n" + b'"$(' * 1000 + b"x" + b')"' * 1000 + b"\n",
    "deep-quoted-default": b"#!/bin/bash\n" + b'"${x:-' * 1000 + b'}"' * 1000 + b"\n",
    # expand.py: ${x:-${x:-...}} as a value the flow resolves recursed once per level
    "deep-default-assignment": b"#!/bin/bash\nX=" + b"${x:-" * 1500 + b"a" + b"}" * 1500 + b"\n",
    "deep-default-cd": b"#!/bin/bash\ncd " + b"${x:-" * 1500 + b"a" + b"}" * 1500 + b"\n",
    # bashlex 0.18 loops forever on a `${` without `}` that its tokenizer lets through (a hang)
    "bashlex-hang-open-brace-in-quotes": b"#!/bin/bash\necho x'${y'\n",
    "bashlex-hang-in-backticks": b"#!/bin/bash\nif true; then echo `x'${y'`; fi\n",
    # ... and inside a substitution whose word has a `}` after it, which the text check of
    # parse.py takes for the closing one (found by test_lint_path_reads_any_file, random seeds):
    # bashlex_loader._never_loop turns the loop into bashlex's own ParsingError
    "bashlex-hang-open-brace-in-substitution": b"#!/bin/bash\necho $(echo '${'{)}\n",
    "bashlex-hang-open-brace-in-process-substitution": b"#!/bin/bash\ncat < <(echo '${'{)}\n",
    # lexer.py: a line with no token (a continuation to the end) after a reused line
    # (IndexError on the empty token list, only with the line cache warm)
    "continuation-alone-after-reused-line": b"#!/bin/bash\n\\\n",
    # lexer.py: the nested-construct hint backtracked from every `$(` of a word to its end
    # (quadratic: a 94,000-character word of `$(` never finished; found by test_very_long_lines)
    "long-word-of-substitution-openers": b"#!/bin/bash\necho \"" + b"$(" * 40000 + b"\"\n",
}


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "bashlex-only"])
@pytest.mark.parametrize("raw", CRASHES.values(), ids=CRASHES.keys())
def test_former_crash(raw, fast, monkeypatch):
    monkeypatch.setattr(parse, "FAST_PATH", fast)
    check_invariants(SourceFile.from_bytes("job.sh", raw))
    check_invariants(SourceFile.from_bytes("job.sh", raw))  # with the lines and plans cached


def test_bashlex_raises_instead_of_looping_on_a_brace_it_cannot_close():
    from cclint.shell.bashlex_loader import import_bashlex

    bashlex = import_bashlex()
    with pytest.raises(bashlex.errors.ParsingError, match="no closing"):
        bashlex.parse("echo '${'{")
    assert bashlex.parse("echo ${x:-$(pwd)} $HOME ${a}")  # the guard lets good words through
