"""Step 2b: the shell body as a list of simple commands, through bashlex, never failing.

Each top-level statement found by the lexer is masked (see `mask.py`) and parsed by
bashlex on its own. The AST becomes `Command`s with their words, assignments, redirects,
background flag and enclosing constructs. When bashlex still raises, the statement's
tokens are grouped into simple commands by the lexer instead, and the region is recorded
as `Incomplete` so that the `parse-incomplete` rule can say which lines were read that way.

Most lines of a job script are plain commands (`module load x`, `cd "$D" || exit`,
`python a.py > log 2>&1 &`): words, assignments, redirects, pipes and `&&`/`;`/`&`, with
no compound keyword, substitution or here-document. Those are built straight from the
lexer's tokens (`_plain`), which gives exactly the `Command`s bashlex would give (a test
compares both paths on every statement) at a tenth of the cost. `CCLINT_BASHLEX_ONLY=1`
sends every statement to bashlex.
"""

from __future__ import annotations

import os
import re
from typing import Callable

from cclint.shell.lexer import HEREDOC, NEWLINE, OP, WORD, Statement, Token, lex
from cclint.shell.mask import mask_statement
from cclint.shell.model import (
    Assignment, Body, Command, FunctionDef, Incomplete, Redirect, Trap, Word,
)
from cclint.source import SourceFile, Span

# bashlex trees by statement text: job scripts repeat lines (within a file, and across the
# students' copies of one template), and a parse costs 0.3-1 ms. Trees are never mutated.
_TREES: dict[str, list] = {}
_TREES_MAX = 4096

_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=")
_SEPARATORS = {";", "&", "&&", "||", "|", "|&", "(", ")", ";;", ";&", ";;&"}
_REDIRECTS = {"<", ">", ">>", "<<", "<<-", "<<<", "<>", "<&", ">&", ">|", "&>", "&>>"}
_KEYWORDS = {"if", "then", "elif", "else", "fi", "do", "done", "while", "until", "{", "}",
             "!", "time", "esac", "coproc"}

FAST_PATH = not os.environ.get("CCLINT_BASHLEX_ONLY")
_RESERVED = _KEYWORDS | {"for", "select", "case", "in", "function", "[[", "]]"}
_PLAIN_REDIRECTS = {"<", ">", ">>", "<>", ">|", "&>", "&>>", "<<<", ">&", "<&"}
_PLAIN_OPERATORS = {";", "&", "&&", "||", "|", "|&"} | _PLAIN_REDIRECTS
_CONTINUED = {"&&", "||", "|", "|&"}  # a newline after these does not end the command
# In a word: a substitution, $[..], $'..', $"..", a continued line, a process substitution.
_NOT_PLAIN = re.compile(r"`|\$[(\['\"]|\\\n|^[<>]\(")
_PLAIN_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_NAME_INDEX = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\[")


def parse_body(source: SourceFile) -> Body:
    body = Body()
    text = source.text
    parser = _Parser(text, source.position, body)
    lexed = lex(text)
    for statement in lexed.statements:
        parser.statement(statement, 0, ())
    data_lines: set[int] = set()
    for a, b in lexed.data_spans:
        first, last = source.position(a)[0], source.position(max(a, b - 1))[0]
        is_heredoc = any(t.kind == HEREDOC and t.start == a for t in lexed.tokens)
        data_lines.update(range(first if is_heredoc else first + 1, last + 1))
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
        if FAST_PATH:
            commands = _plain(stmt.tokens)
            if commands is not None:
                for words, assignments, redirects, background, piped in commands:
                    self._plain_command(base, words, assignments, redirects, background,
                                        context + ("pipeline",) if piped else context)
                return
        masked, synthetic = mask_statement(self._segment_text, stmt.start, stmt.end, stmt.tokens)
        trees = _TREES.get(masked)
        if trees is None:
            try:
                trees = self.bashlex.parse(masked)
            except Exception as exc:  # bashlex raises many types, including NotImplementedError
                self._fallback(stmt, base, context, _reason(exc))
                return
            if len(_TREES) >= _TREES_MAX:
                _TREES.clear()
            _TREES[masked] = trees
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

    def _plain_command(self, base: int, words: list[Token], assignments: list[Token],
                       redirects: list[tuple[str, Token | None, int, int]], background: bool,
                       context: tuple[str, ...]) -> None:
        """The `Command` that `_Converter.command` would build from bashlex's node."""
        if not words and not assignments:
            return
        assigned = []
        for tok in assignments:
            start, end = base + tok.start, base + tok.end
            m = _ASSIGNMENT.match(tok.text)
            assigned.append(Assignment(m.group(1), self.make_word(start + m.end(), end),
                                       Span(start, end), bool(m.group(3))))
        made = [self.make_word(base + t.start, base + t.end) for t in words]
        ends = [r[3] for r in redirects] + [t.end for t in words[-1:]] + [t.end for t in assignments[-1:]]
        starts = [r[2] for r in redirects] + [t.start for t in words[:1]] + [t.start for t in assignments[:1]]
        span = Span(base + min(starts), base + max(ends))
        redirected = [Redirect(op, self.make_word(base + t.start, base + t.end) if t else None,
                               Span(base + a, base + b)) for op, t, a, b in redirects]
        self.add(Command(made, span, self.position(span.start)[0], assigned, redirected,
                         background, context))

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
            self.p.body.functions.setdefault(name, FunctionDef(name, self.span(n), self._line(n.pos[0])))
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
        for part in n.parts:
            if part.kind == "assignment" and not words:
                span = self.span(part)
                raw = self.p.text[span.start:span.end]
                m = _ASSIGNMENT.match(raw)
                if m:
                    value = self.p.make_word(span.start + m.end(), span.end)
                    assignments.append(Assignment(m.group(1), value, span, bool(m.group(3))))
                    self.nested_in(part, ctx)
                    continue
            if part.kind in ("word", "assignment"):
                span = self.span(part)
                words.append(self.p.make_word(span.start, span.end))
                self.nested_in(part, ctx)
            elif part.kind == "redirect":
                redirects.append(self.redirect(part))
                self.nested_in(part, ctx)
        span = self.span(n)
        if words and any(a <= words[0].span.start < b for a, b in self.synthetic):
            return  # the stand-in command of a masked `case`
        if not words and not assignments:
            return
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


def _plain(tokens: list[Token]):
    """The simple commands of a plain statement, or None when bashlex must read it.

    Returns [words, assignments, redirects, background, in_pipeline] per command, where a
    redirect is (op as the converter writes it, target word or None, start, end).
    """
    commands: list[list] = []
    group_start = pipeline_start = 0  # first command of the current group / pipeline
    words: list[Token] = []
    assignments: list[Token] = []
    redirects: list[tuple[str, Token | None, int, int]] = []
    fd, op, op_start = "", "", 0  # a redirect waiting for its target
    prev = ""
    last = len(tokens) - 1
    for k, tok in enumerate(tokens):
        kind, text = tok.kind, tok.text
        if tok.role or kind == HEREDOC:
            return None
        if kind == NEWLINE:
            if op or fd or (prev not in _CONTINUED and k != last):
                return None
            continue
        if kind == WORD:
            if tok.unterminated or tok.arith or tok.array is not None or tok.andor \
                    or _NOT_PLAIN.search(text):
                return None
            if op:
                if op in (">&", "<&"):  # bashlex keeps a numeric fd or `-`, not a word
                    if not (text.isdigit() or text == "-"):
                        return None
                    redirects.append((fd + op, None, op_start, tok.end))
                else:
                    redirects.append((fd + op, tok, op_start, tok.end))
                fd, op = "", ""
            elif text.isdigit() and k < last and tokens[k + 1].kind == OP \
                    and tokens[k + 1].start == tok.end and tokens[k + 1].text in _PLAIN_REDIRECTS:
                if not words and not assignments or tokens[k + 1].text in ("&>", "&>>"):
                    return None
                fd, op_start = str(int(text)), tok.start
            elif words:
                words.append(tok)
            elif _PLAIN_ASSIGNMENT.match(text):
                if redirects:
                    return None  # after a redirect bashlex reads it as a word
                assignments.append(tok)
            elif _NAME_INDEX.match(text) or text in _RESERVED:
                return None
            else:
                words.append(tok)
            prev = text
            continue
        if op or text not in _PLAIN_OPERATORS:
            return None
        prev = text
        if text in _PLAIN_REDIRECTS:
            if not fd:
                if not words and not assignments:
                    return None  # a command that starts with a redirect: left to bashlex
                op_start = tok.start
            op = text
            continue
        if fd or not words and not assignments:
            return None  # an empty command: a syntax error bashlex reports
        commands.append([words, assignments, redirects, False, False])
        words, assignments, redirects = [], [], []
        if text in ("|", "|&"):
            continue
        if len(commands) - pipeline_start > 1:
            for cmd in commands[pipeline_start:]:
                cmd[4] = True
        pipeline_start = len(commands)
        if text in (";", "&"):
            if text == "&":
                for cmd in commands[group_start:]:
                    cmd[3] = True
            group_start = len(commands)
    if op or fd:
        return None
    if words or assignments:
        commands.append([words, assignments, redirects, False, False])
    elif prev in _CONTINUED or not commands:
        return None
    if len(commands) - pipeline_start > 1:
        for cmd in commands[pipeline_start:]:
            cmd[4] = True
    return commands


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
