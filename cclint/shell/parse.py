"""Step 2b: the shell body as a list of simple commands, through bashlex, never failing.

Each top-level statement found by the lexer is masked (see `mask.py`) and parsed by
bashlex on its own. The AST becomes `Command`s with their words, assignments, redirects,
background flag and enclosing constructs. When bashlex still raises, the statement's
tokens are grouped into simple commands by the lexer instead, and the region is recorded
as `Incomplete` so that the `parse-incomplete` rule can say which lines were read that way.

bashlex costs 0.3 to 1 ms a statement; most statements of a job script are in the small
grammar `fastparse.py` reads in a few microseconds, giving the same tree shapes, so
bashlex only sees the rest (a test compares both paths on every statement of the corpus
and on generated ones). `CCLINT_BASHLEX_ONLY=1` sends every statement to bashlex.
"""

from __future__ import annotations

import os
import re
from typing import Callable

from cclint.shell import fastparse
from cclint.shell.lexer import HEREDOC, NEWLINE, OP, WORD, Statement, Token, lex
from cclint.shell.mask import mask_statement
from cclint.shell.model import (
    Assignment, Body, Command, FunctionDef, Incomplete, Redirect, Trap, Word,
)
from cclint.source import SourceFile, Span

# Trees by (masked) statement text, from bashlex and from the fast reader: job scripts repeat
# lines (within a file, and across the students' copies of one template). Never mutated.
_TREES: dict[str, list] = {}
_FAST_TREES: dict[str, list] = {}
_TREES_MAX = 4096


def _remember(cache: dict[str, list], text: str, trees: list) -> None:
    if len(cache) >= _TREES_MAX:
        cache.clear()
    cache[text] = trees

_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=")
_SEPARATORS = {";", "&", "&&", "||", "|", "|&", "(", ")", ";;", ";&", ";;&"}
_REDIRECTS = {"<", ">", ">>", "<<", "<<-", "<<<", "<>", "<&", ">&", ">|", "&>", "&>>"}
_KEYWORDS = {"if", "then", "elif", "else", "fi", "do", "done", "while", "until", "{", "}",
             "!", "time", "esac", "coproc"}

# `${` with no `}` after it in a word (possible in quotes): bashlex 0.18 loops forever on it.
_OPEN_BRACE = re.compile(r"\$\{[^}]*\Z")
FAST_PATH = not os.environ.get("CCLINT_BASHLEX_ONLY")  # False: every statement to bashlex


def parse_body(source: SourceFile) -> Body:
    body = Body()
    text = source.text
    parser = _Parser(text, source.position, body)
    lexed = lex(text)
    for statement in lexed.statements:
        parser.statement(statement, 0, ())
    data_lines: set[int] = set()
    heredocs = {t.start for t in lexed.tokens if t.kind == HEREDOC}
    for a, b in lexed.data_spans:
        first, last = source.position(a)[0], source.position(max(a, b - 1))[0]
        data_lines.update(range(first if a in heredocs else first + 1, last + 1))
    body.data_lines = frozenset(data_lines)
    parser.parse_traps()
    body.commands.sort(key=lambda c: c.span.start)
    for index, cmd in enumerate(body.commands):
        cmd.index = index
    return body


class _Parser:
    def __init__(self, text: str, position: Callable[[int], tuple[int, int]], body: Body):
        self.text = text
        self.position = position
        self.body = body
        self._bashlex = None  # imported on the first statement that needs it
        self._segment_text = text  # the text statements are cut from (a trap string when nested)

    # -- statements ---------------------------------------------------------------------

    @property
    def bashlex(self):
        if self._bashlex is None:
            from cclint.shell.bashlex_loader import import_bashlex

            self._bashlex = import_bashlex()
        return self._bashlex

    def statement(self, stmt: Statement, base: int, context: tuple[str, ...]) -> None:
        """Parse one statement; `base` is added to positions of a nested text (trap strings)."""
        masked, synthetic = mask_statement(self._segment_text, stmt.start, stmt.end, stmt.tokens)
        trees = _FAST_TREES.get(masked) if FAST_PATH else None
        if trees is None and FAST_PATH:
            if masked == self._segment_text[stmt.start:stmt.end]:  # nothing rewritten
                trees = fastparse.parse(stmt.tokens, stmt.start)
            else:
                trees = fastparse.parse_text(masked)
            if trees is not None:
                _remember(_FAST_TREES, masked, trees)
        if trees is None:
            trees = _TREES.get(masked)
        if trees is None:
            if any(t.kind == WORD and "${" in t.text and _OPEN_BRACE.search(t.text) for t in stmt.tokens):
                self._fallback(stmt, base, context, "a `${` without its `}`")  # bashlex would loop
                return
            try:
                trees = self.bashlex.parse(masked)
            except Exception as exc:  # bashlex raises many types, including NotImplementedError
                self._fallback(stmt, base, context, _reason(exc))
                return
            _remember(_TREES, masked, trees)
        converter = _Converter(self, base + stmt.start, [(base + a, base + b) for a, b in synthetic])
        try:
            for tree in trees:
                converter.node(tree, context, False)
        except Exception as exc:  # an AST shape we did not expect: keep the tokens instead
            for cmd in converter.produced:
                self.body.commands.remove(cmd)
            self._fallback(stmt, base, context, _reason(exc))

    def text_statements(self, segment: str, base: int, context: tuple[str, ...]) -> None:
        """Parse a nested piece of shell (a trap handler) found at offset `base`."""
        saved = self._segment_text
        self._segment_text = segment
        try:
            for stmt in lex(segment).statements:
                self.statement(stmt, base, context)
        finally:
            self._segment_text = saved

    def _fallback(self, stmt: Statement, base: int, context: tuple[str, ...], reason: str) -> None:
        first = self.position(base + stmt.start)[0]
        last = self.position(base + max(stmt.start, stmt.end - 1))[0]
        self.body.incomplete.append(
            Incomplete(Span(base + stmt.start, base + stmt.end), first, last, reason))
        _TokenCommands(self, base, context).run(stmt.tokens)

    def make_word(self, start: int, end: int) -> Word:
        return Word(self.text[start:end], Span(start, end))

    def add(self, cmd: Command) -> None:
        self.body.commands.append(cmd)

    # -- traps --------------------------------------------------------------------------------

    def parse_traps(self) -> None:
        for cmd in list(self.body.commands):
            if cmd.basename != "trap" or len(cmd.words) < 2:
                continue
            words = cmd.words[1:]
            if words[0].literal == "--":
                words = words[1:]
            if not words or words[0].literal.startswith("-") or len(words) < 2:
                continue
            handler, signals = words[0], tuple(w.literal.upper().removeprefix("SIG") for w in words[1:])
            raw = handler.raw
            inner, offset = raw, handler.span.start
            if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
                inner, offset = raw[1:-1], handler.span.start + 1
            before = len(self.body.commands)
            self.text_statements(inner, offset, cmd.context + ("trap:" + ",".join(signals),))
            added = self.body.commands[before:]
            calls = tuple(c.basename for c in added if c.basename in self.body.functions)
            self.body.traps.append(Trap(cmd, handler.literal, signals, calls))


class _Converter:
    """Turns bashlex nodes of one statement into Commands."""

    def __init__(self, parser: _Parser, base: int, synthetic: list[tuple[int, int]]):
        self.p = parser
        self.base = base
        self.synthetic = synthetic
        self.produced: list[Command] = []

    def span(self, node) -> Span:
        return Span(self.base + node.pos[0], self.base + node.pos[1])

    def node(self, n, ctx: tuple[str, ...], background: bool) -> None:
        kind = n.kind
        if kind == "list":
            self.sequence(n.parts, ctx, background)
        elif kind == "pipeline":
            for part in n.parts:
                if part.kind != "pipe":
                    self.node(part, ctx + ("pipeline",), background)
        elif kind == "command":
            self.command(n, ctx, background)
        elif kind == "compound":
            first = n.list[0] if n.list else None
            opener = first.word if first is not None and first.kind == "reservedword" else ""
            label = {"{": "group", "(": "subshell"}.get(opener, "group")
            if first is not None and any(a <= self.base + first.pos[0] < b for a, b in self.synthetic):
                label = "case"  # the `{ ... }` that stands in for a masked case statement
            inner = ctx + (label,)
            self.sequence(n.list, inner if opener in ("{", "(") else ctx, background)
            for redirect in getattr(n, "redirects", []) or []:
                self.nested_in(redirect, ctx)
        elif kind == "if":
            self.sequence(n.parts, ctx + ("if",), background)
        elif kind == "for":
            words = [p for p in n.parts if p.kind == "word"]
            var = words[0].word if words else "_"
            for item in words[1:]:
                self.nested_in(item, ctx)
            loop = [p for p in n.parts if p.kind not in ("word", "reservedword")]
            self.sequence(loop, ctx + ("for:" + var,), background)
        elif kind in ("while", "until"):
            self.sequence(n.parts, ctx + (kind,), background)
        elif kind == "function":
            name = n.name.word
            definition = FunctionDef(name, self.span(n), self._line(n.pos[0]))
            self.p.body.functions.setdefault(name, definition)
            self.p.body.definitions.append(definition)
            self.node(n.body, ctx + ("function:" + name,), False)
        elif kind == "word":
            self.nested_in(n, ctx)
        # reservedword, operator, pipe, heredoc: nothing to collect

    def sequence(self, parts, ctx: tuple[str, ...], background: bool) -> None:
        """Visit a list, backgrounding each and-or group that ends with `&`."""
        group: list = []
        for part in parts:
            if part.kind == "operator" and part.op in (";", "&", "\n"):
                for item in group:
                    self.node(item, ctx, background or part.op == "&")
                group = []
            elif part.kind in ("operator", "reservedword"):
                continue
            else:
                group.append(part)
        for item in group:
            self.node(item, ctx, background)

    def _line(self, pos: int) -> int:
        return self.p.position(self.base + pos)[0]

    def command(self, n, ctx: tuple[str, ...], background: bool) -> None:
        words: list[Word] = []
        assignments: list[Assignment] = []
        redirects: list[Redirect] = []
        base, text = self.base, self.p.text
        for part in n.parts:
            kind = part.kind
            if kind == "word" or kind == "assignment":
                a, b = base + part.pos[0], base + part.pos[1]
                m = _ASSIGNMENT.match(text, a, b) if kind == "assignment" and not words else None
                if m:
                    assignments.append(Assignment(m.group(1), Word(text[m.end():b], Span(m.end(), b)),
                                                  Span(a, b), bool(m.group(3))))
                else:
                    words.append(Word(text[a:b], Span(a, b)))
                if part.parts:
                    self.nested_in(part, ctx)
            elif kind == "redirect":
                redirects.append(self.redirect(part))
                self.nested_in(part, ctx)
        if words and self.synthetic and any(a <= words[0].span.start < b for a, b in self.synthetic):
            return  # the stand-in command of a masked `case`
        if not words and not assignments:
            return
        span = self.span(n)
        cmd = Command(words, span, self.p.position(span.start)[0], assignments, redirects,
                      background, ctx)
        self.p.add(cmd)
        self.produced.append(cmd)

    def redirect(self, part) -> Redirect:
        fd = part.input if isinstance(getattr(part, "input", None), int) else None
        op = (str(fd) if fd is not None else "") + part.type
        target = part.output if getattr(part, "output", None) is not None \
            and not isinstance(part.output, int) else None
        word = None
        if target is not None and getattr(target, "kind", "") == "word":
            s = self.span(target)
            word = self.p.make_word(s.start, s.end)
        return Redirect(op, word, self.span(part))

    def nested_in(self, node, ctx: tuple[str, ...]) -> None:
        """Commands inside $(...), `...` and <(...) found in a word, assignment or redirect."""
        stack = list(getattr(node, "parts", []) or [])
        if getattr(node, "kind", "") == "redirect" and getattr(node, "output", None) is not None \
                and not isinstance(node.output, int):
            stack.append(node.output)
        while stack:
            part = stack.pop()
            kind = getattr(part, "kind", "")
            if kind in ("commandsubstitution", "processsubstitution"):
                self.node(part.command, ctx + ("cmdsub",), False)
            else:
                stack.extend(getattr(part, "parts", []) or [])


class _TokenCommands:
    """Fallback: group the lexer's tokens of a statement into simple commands."""

    def __init__(self, parser: _Parser, base: int, context: tuple[str, ...]):
        self.p = parser
        self.base = base
        self.context = context
        self.reset()

    def reset(self) -> None:
        self.words: list[Word] = []
        self.assignments: list[Assignment] = []
        self.redirects: list[Redirect] = []
        self.pending: tuple[str, int] | None = None
        self.skip_until: str | None = None

    def flush(self, background: bool = False) -> None:
        if self.words or self.assignments:
            start = min([w.span.start for w in self.words] + [a.span.start for a in self.assignments])
            end = max([w.span.end for w in self.words] + [a.span.end for a in self.assignments]
                      + [r.span.end for r in self.redirects])
            self.p.add(Command(self.words, Span(start, end), self.p.position(start)[0],
                               self.assignments, self.redirects, background, self.context,
                               parsed=False))
        self.reset()

    def run(self, tokens: list[Token]) -> None:
        for k, tok in enumerate(tokens):
            start, end = self.base + tok.start, self.base + tok.end
            if tok.kind in (HEREDOC,):
                continue
            if tok.kind == NEWLINE:
                self.flush()
                continue
            if tok.kind == OP:
                if tok.text in _REDIRECTS:
                    fd_word = self.words[-1] if self.words and self.words[-1].span.end == start \
                        and self.words[-1].raw.isdigit() else None
                    if fd_word is not None:
                        self.words.pop()
                    self.pending = ((fd_word.raw if fd_word else "") + tok.text,
                                    fd_word.span.start if fd_word else start)
                elif tok.text in _SEPARATORS:
                    self.flush(background=tok.text == "&")
                continue
            word = self.p.make_word(start, end)
            if self.pending is not None:
                op, op_start = self.pending
                self.redirects.append(Redirect(op, word, Span(op_start, end)))
                self.pending = None
                continue
            if self.skip_until is not None:
                if tok.text in self.skip_until.split("|"):
                    self.skip_until = None
                continue
            if not self.words and tok.role in ("case-in", "pattern", "esac", "[[", "]]"):
                continue
            if not self.words and tok.text in ("for", "select", "case"):
                self.skip_until = "do|in" if tok.text != "case" else "in"
                continue
            if not self.words and tok.text == "function":
                self.skip_until = "{"
                continue
            if not self.words and tok.text in _KEYWORDS:
                continue
            m = _ASSIGNMENT.match(tok.text)
            if not self.words and m:
                value = self.p.make_word(start + m.end(), end)
                self.assignments.append(Assignment(m.group(1), value, Span(start, end), bool(m.group(3))))
                continue
            self.words.append(word)
        self.flush()


def _reason(exc: Exception) -> str:
    message = str(exc).split("(position")[0].strip()
    if isinstance(exc, NotImplementedError):
        match = re.search(r"type = \{([^}]*)\}", message)
        what = match.group(1) if match else (message or "this construct")
        return f"bashlex does not support {what}"
    return message or type(exc).__name__
