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

A body whose `#!` names another interpreter (`python3`...) is not read (interpreter.py);
`syntax.py` finds where bash itself would refuse the statements.
"""

from __future__ import annotations

import os
import re

from cclint.patterns import lazy
from cclint.shell import fastparse
from cclint.shell.interpreter import interpreter, is_shell, string_lines
from cclint.shell.lexer import HEREDOC, NEWLINE, OP, WORD, Statement, Token, lex
from cclint.shell.mask import mask_statement
from cclint.shell.memo import TextMemo
from cclint.shell.syntax import first_error
from cclint.shell.model import (
    Assignment, Body, Command, FunctionDef, Incomplete, Redirect, Trap, Word,
)
from cclint.source import SourceFile, Span

# Plans (see `_Converter`) by masked statement text, from bashlex's trees and from the fast
# reader's (see memo.py).
_PLANS = TextMemo(entries=4096, longest=4000)
_FAST_PLANS = TextMemo(entries=4096, longest=4000)

_ASSIGNMENT = lazy(r"([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=")
_SEPARATORS = {";", "&", "&&", "||", "|", "|&", "(", ")", ";;", ";&", ";;&"}
_REDIRECTS = {"<", ">", ">>", "<<", "<<-", "<<<", "<>", "<&", ">&", ">|", "&>", "&>>"}
_KEYWORDS = {"if", "then", "elif", "else", "fi", "do", "done", "while", "until", "{", "}",
             "!", "time", "esac", "coproc"}

# `${` with no `}` after it in a word (possible in quotes): bashlex 0.18 loops forever on it.
_OPEN_BRACE = lazy(r"\$\{[^}]*\Z")
FAST_PATH = not os.environ.get("CCLINT_BASHLEX_ONLY")  # False: every statement to bashlex


def parse_body(source: SourceFile) -> Body:
    body = Body()
    text = source.text
    body.interpreter = interpreter(text)
    if not is_shell(body.interpreter):  # Python, Perl...: nothing in it is read as shell
        body.data_lines = string_lines(text)
        return body
    parser = _Parser(source, body)
    lexed = lex(text, reuse_lines=True)
    for statement in lexed.statements:
        parser.statement(statement, 0, ())
    data_lines: set[int] = set()
    heredocs = {t.start for t in lexed.tokens if t.kind == HEREDOC}
    for a, b in lexed.data_spans:
        first, last = source.position(a)[0], source.position(max(a, b - 1))[0]
        data_lines.update(range(first if a in heredocs else first + 1, last + 1))
    body.data_lines = frozenset(data_lines)
    body.syntax_error = first_error(text, lexed.statements, source.line_of, parser.read_fast)
    parser.parse_traps()
    body.commands.sort(key=lambda c: c.span.start)
    for index, cmd in enumerate(body.commands):
        cmd.index = index
    return body


class _Parser:
    def __init__(self, source: SourceFile, body: Body):
        self.text = source.text
        self.position = source.position
        self.line_of = source.line_of
        self.body = body
        self._bashlex = None  # imported on the first statement that needs it
        self._segment_text = source.text  # the text statements are cut from (a trap string when nested)
        self.read_fast: set[int] = set()  # starts of statements the fast reader read as written

    # -- statements ---------------------------------------------------------------------

    @property
    def bashlex(self):
        if self._bashlex is None:
            from cclint.shell.bashlex_loader import import_bashlex

            self._bashlex = import_bashlex()
        return self._bashlex

    def statement(self, stmt: Statement, base: int, context: tuple[str, ...]) -> None:
        """Parse one statement; `base` is added to positions of a nested text (trap strings)."""
        if stmt.masked:
            masked, synthetic = mask_statement(self._segment_text, stmt.start, stmt.end, stmt.tokens)
            synthetic = tuple((a - stmt.start, b - stmt.start) for a, b in synthetic)
        else:  # nothing to rewrite (most statements)
            masked, synthetic = self._segment_text[stmt.start:stmt.end], ()
        key = (masked, synthetic) if synthetic else masked
        plan = _FAST_PLANS.get(key) if FAST_PATH else None
        if plan is None and FAST_PATH:
            if masked == self._segment_text[stmt.start:stmt.end]:  # nothing rewritten
                trees = fastparse.parse(stmt.tokens, stmt.start)
            else:
                trees = fastparse.parse_text(masked)
            plan = self._plan(trees, stmt, synthetic) if trees is not None else None
            if plan is not None:
                _FAST_PLANS.remember(key, plan, masked)
        if plan is not None and not synthetic and self._segment_text is self.text \
                and (not stmt.masked or masked == self.text[stmt.start:stmt.end]):
            self.read_fast.add(stmt.start)  # the fast reader's grammar is bash's, restricted
        if plan is None:
            plan = _PLANS.get(key)
        if plan is None:
            if any(t.kind == WORD and "${" in t.text and _OPEN_BRACE.search(t.text) for t in stmt.tokens):
                self._fallback(stmt, base, context, "a `${` without its `}`")  # bashlex would loop
                return
            try:
                trees = self.bashlex.parse(masked)
                plan = _Converter(self._segment_text[stmt.start:stmt.end], synthetic).plan(trees)
            except Exception as exc:  # bashlex raises many types, including NotImplementedError;
                # the converter, on a tree shape it did not expect: keep the tokens instead
                self._fallback(stmt, base, context, _reason(exc))
                return
            _PLANS.remember(key, plan, masked)
        self._build(plan, base + stmt.start, context)

    def _plan(self, trees: list, stmt: Statement, synthetic: tuple) -> list | None:
        """The fast reader's trees as a plan (None if the converter refuses them)."""
        try:
            return _Converter(self._segment_text[stmt.start:stmt.end], synthetic).plan(trees)
        except Exception:  # the fast reader's trees have bashlex's shapes; never seen to fail
            return None

    def _build(self, plan: list, base: int, context: tuple[str, ...]) -> None:
        """The commands and function definitions of a plan, at offset `base` of the text."""
        text, body = self.text, self.body
        for step in plan:
            if step[0] == _DEFINITION:
                _, name, a, b = step
                definition = FunctionDef(name, Span(base + a, base + b), self.line_of(base + a))
                body.functions.setdefault(name, definition)
                body.definitions.append(definition)
                continue
            _, words, assignments, redirects, a, b, background, inner = step
            body.commands.append(Command(
                [Word(text[base + x:base + y], Span(base + x, base + y)) for x, y in words],
                Span(base + a, base + b), self.line_of(base + a),
                [Assignment(name, Word(text[base + v:base + y], Span(base + v, base + y)),
                            Span(base + x, base + y), append) for name, v, x, y, append in assignments],
                [Redirect(op, None if target is None else Word(text[base + target[0]:base + target[1]],
                                                               Span(base + target[0], base + target[1])),
                          Span(base + x, base + y)) for op, target, x, y in redirects],
                background, context + inner if context else inner))

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


_DEFINITION, _COMMAND = "definition", "command"


class _Converter:
    """Turns the bashlex-shaped trees of one statement into a plan: its function definitions
    and simple commands, with offsets relative to the statement, that `_Parser._build` makes
    into objects. A plan depends only on the statement's text, so it is cached with it.

        (_DEFINITION, name, start, end)
        (_COMMAND, words [(start, end)], assignments [(name, value start, start, end, append)],
         redirects [(op, target (start, end) or None, start, end)], start, end, background,
         enclosing constructs inside the statement)
    """

    def __init__(self, text: str, synthetic: tuple[tuple[int, int], ...]):
        self.text = text  # the statement as written (not masked): assignments are read in it
        self.synthetic = synthetic  # stand-in code of a masked `case`
        self.steps: list[tuple] = []

    def plan(self, trees: list) -> list[tuple]:
        for tree in trees:
            self.node(tree, (), False)
        return self.steps

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
            if first is not None and any(a <= first.pos[0] < b for a, b in self.synthetic):
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
            self.steps.append((_DEFINITION, name, n.pos[0], n.pos[1]))
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

    def command(self, n, ctx: tuple[str, ...], background: bool) -> None:
        words: list[tuple[int, int]] = []
        assignments: list[tuple] = []
        redirects: list[tuple] = []
        text = self.text
        for part in n.parts:
            kind = part.kind
            if kind == "word" or kind == "assignment":
                a, b = part.pos
                m = _ASSIGNMENT.match(text, a, b) if kind == "assignment" and not words else None
                if m:
                    assignments.append((m.group(1), m.end(), a, b, bool(m.group(3))))
                else:
                    words.append((a, b))
                if part.parts:
                    self.nested_in(part, ctx)
            elif kind == "redirect":
                redirects.append(self.redirect(part))
                self.nested_in(part, ctx)
        if words and self.synthetic and any(a <= words[0][0] < b for a, b in self.synthetic):
            return  # the stand-in command of a masked `case`
        if not words and not assignments:
            return
        self.steps.append((_COMMAND, words, assignments, redirects, n.pos[0], n.pos[1], background, ctx))

    @staticmethod
    def redirect(part) -> tuple:
        fd = part.input if isinstance(getattr(part, "input", None), int) else None
        op = (str(fd) if fd is not None else "") + part.type
        target = part.output if getattr(part, "output", None) is not None \
            and not isinstance(part.output, int) else None
        word = None
        if target is not None and getattr(target, "kind", "") == "word":
            word = target.pos
        return op, word, part.pos[0], part.pos[1]

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
