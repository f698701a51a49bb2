"""The fast paths of the parser change nothing but speed.

- Plain commands (`parse._plain`) build exactly what bashlex builds: every file of the
  shared corpus, the examples, a sample of the benchmark corpus and generated plain
  statements are parsed twice, with the fast path and with bashlex only (`FAST_PATH =
  False`, what `CCLINT_BASHLEX_ONLY=1` sets), and the bodies must be equal.
- Lines reused by the lexer (`lex(text, reuse_lines=True)`) give the same statements,
  tokens, here-documents and open constructs as lexing every line.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cclint.shell import fastparse, parse
from cclint.shell import lexer
from cclint.shell.bashlex_loader import NO_CLOSING_BRACE
from cclint.shell.lexer import lex
from cclint.source import SourceFile
from tests.conftest import CORPUS, TESTS
from tests.robustness import strategies as S

ROOT = TESTS.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import job_script  # noqa: E402

FILES = sorted(p for p in (CORPUS / "scripts").iterdir() if p.is_file()) + sorted((ROOT / "examples").glob("*.sh"))


def dump(body) -> dict:
    def word(w):
        return None if w is None else (w.raw, w.span.start, w.span.end)

    return {
        "commands": [(
            [word(w) for w in c.words], (c.span.start, c.span.end), c.line,
            [(a.name, word(a.value), a.span.start, a.span.end, a.append) for a in c.assignments],
            [(r.op, word(r.target), r.span.start, r.span.end) for r in c.redirects],
            c.background, c.context, c.parsed, c.index,
        ) for c in body.commands],
        "functions": {k: (f.span.start, f.span.end, f.line) for k, f in body.functions.items()},
        "traps": [(t.command.index, t.handler, t.signals, t.function_calls) for t in body.traps],
        "incomplete": [(i.span.start, i.span.end, i.first_line, i.last_line, i.reason)
                       for i in body.incomplete],
        "data_lines": sorted(body.data_lines),
    }


def both(text: str) -> tuple[dict, dict]:
    source = SourceFile.from_text(text)
    saved = parse.FAST_PATH
    try:
        parse.FAST_PATH = True
        fast = dump(parse.parse_body(source))
        parse.FAST_PATH = False
        slow = dump(parse.parse_body(source))
    finally:
        parse.FAST_PATH = saved
    return fast, slow


def plain_share(texts) -> float:
    statements = [s for t in texts for s in lex(t).statements]
    return sum(fastparse.parse_text(t[s.start:s.end]) is not None for t in texts for s in lex(t).statements) / len(statements)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_commands_on_corpus(path):
    text = SourceFile.from_bytes(str(path), path.read_bytes()).text
    for stmt in lex(text).statements:  # statement by statement, for a readable failure
        piece = text[stmt.start:stmt.end]
        fast, slow = both(piece)
        assert fast == slow, piece
    fast, slow = both(text)
    assert fast == slow


def test_same_commands_on_benchmark_scripts():
    texts = [job_script(seed) for seed in range(60)]
    for text in texts:
        fast, slow = both(text)
        assert fast == slow, text
    assert plain_share(texts) > 0.9  # the fast path really is the common case


_BASHLEX_GIVES_UP = ("a `${` without its `}`", NO_CLOSING_BRACE)


@S.PROFILE
@given(st.lists(st.one_of(S.plain_lists, S.plain_lists, S.simple_commands), min_size=1, max_size=6))
def test_same_commands_on_generated_statements(lines):
    text = "\n".join(lines) + "\n"
    fast, slow = both(text)
    # bashlex loops on a `${` with no `}` after it, even in single quotes (`echo '${y'`,
    # `$(echo '${'{)}`): the bashlex-only path gives up on such a statement (parse.py's text
    # check, or bashlex_loader's guard), so it is no reference there.
    assume(not any(i[4] in _BASHLEX_GIVES_UP for i in slow["incomplete"]))
    assert fast == slow


def lexed(text: str, reuse_lines: bool) -> dict:
    result = lex(text, reuse_lines)
    return {
        "statements": [(s.start, s.end, s.masked, [(t.kind, t.start, t.end, t.text, t.role) for t in s.tokens])
                       for s in result.statements],
        "data_spans": result.data_spans, "unterminated": result.unterminated,
        "heredocs": sorted(t.start for t in result.tokens if t.kind == lexer.HEREDOC),
    }


def same_with_reused_lines(text: str) -> None:
    plain = lexed(text, False)
    assert lexed(text, True) == plain, text  # lines read and remembered
    assert lexed(text, True) == plain, text  # the same lines, now reused


def test_reused_lines_on_corpus_and_benchmark_scripts():
    lexer._LINES.clear()
    texts = [SourceFile.from_bytes(str(p), p.read_bytes()).text for p in FILES]
    texts += [job_script(seed) for seed in range(60)]
    for text in texts:
        same_with_reused_lines(text)
    assert len(lexer._LINES) > 100  # lines really were remembered (and so reused above)


def test_a_reused_line_is_not_reused_inside_a_construct():
    # `echo hi` is remembered as a statement, then met inside a here-document, a loop,
    # a multi-line quote and after a continuation: there it must be read in context
    same_with_reused_lines("echo hi\n" "cat <<EOF\necho hi\nEOF\n" "for x in a; do\necho hi\ndone\n"
                           "x='\necho hi\n'\n" "a \\\necho hi\n" "echo hi\n")


@S.PROFILE
@given(st.lists(st.one_of(S.shell_text, S.mangled, S.soup), min_size=1, max_size=3))
def test_reused_lines_on_generated_text(texts):
    for text in texts:  # later texts meet the lines of earlier ones in the cache
        same_with_reused_lines(text)


# Lines that open, close or continue constructs, shuffled: the states a known line can be
# met in. (A lone `\\` after a reused line once crashed the lexer.)
LINES = st.sampled_from(["echo hi", "# note", "", "\\", "a \\", "cat <<EOF", "EOF", "x='", "'",
                         'y="', '"', "for x in a; do", "done", "f() {", "}", "case $x in", "a) b ;;",
                         "esac", "if [[ -f x ]]; then", "fi", "echo $((1+2))", "(", ")", "`", "\t"])


@S.PROFILE
@given(st.lists(st.lists(LINES, max_size=10).map("\n".join), min_size=1, max_size=3),
       st.sampled_from(["", "\n"]))
def test_reused_lines_in_every_state(texts, end):
    lexer._LINES.clear()
    for text in texts:
        same_with_reused_lines(text + end)


def test_caches_keep_no_long_line_or_statement():
    from cclint.shell import parse as P

    long_line = "echo " + "x" * 5000 + "\n"
    P.parse_body(SourceFile.from_text("echo short\n" + long_line))
    assert "echo short\n" in lexer._LINES  # (short lines are kept: the test can fail)
    assert long_line not in lexer._LINES
    assert all(len(k if isinstance(k, str) else k[0]) <= cache.longest
               for cache in (P._PLANS, P._FAST_PLANS) for k in cache)
    assert "echo short" in P._FAST_PLANS


def test_text_memo_is_bounded_in_entries_and_key_length():
    from cclint.shell.memo import TextMemo

    memo = TextMemo(entries=2, longest=5)
    memo.remember("a", 1, "a")
    memo.remember(("b", ()), 2, "b")
    memo.remember("toolong", 3, "toolong")
    assert memo == {"a": 1, ("b", ()): 2}
    memo.remember("c", 4, "c")  # full: cleared, then kept
    assert memo == {"c": 4}
