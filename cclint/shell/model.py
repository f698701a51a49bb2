"""The body of a job script as rules see it: simple commands in source order."""

from __future__ import annotations

from cclint.record import Record
from cclint.shell.expand import unquote
from cclint.source import Span


class Word(Record):
    __slots__ = ("raw", "span", "_literal")

    def __init__(self, raw: str, span: Span):
        self.raw = raw  # the source text of the word, quotes included
        self.span = span
        self._literal: str | None = None

    @property
    def literal(self) -> str:
        """The word with quotes and backslashes removed and expansions left as written."""
        literal = self._literal
        if literal is None:
            raw = self.raw
            literal = self._literal = unquote(raw) if ("'" in raw or '"' in raw or "\\" in raw) else raw
        return literal


class Redirect(Record):
    __slots__ = ("op", "target", "span")

    def __init__(self, op: str, target: Word | None, span: Span):
        self.op = op  # '>', '>>', '<', '2>', '&>', '>&', '<<', '<<<', ...
        self.target = target
        self.span = span


class Assignment(Record):
    __slots__ = ("name", "value", "span", "append")

    def __init__(self, name: str, value: Word, span: Span, append: bool = False):
        self.name = name
        self.value = value  # the value part (after `=`), as a word of its own
        self.span = span
        self.append = append


class Command(Record):
    """A simple command, or a bare assignment statement (then `words` is empty)."""

    __slots__ = ("words", "span", "line", "assignments", "redirects", "background", "context",
                 "parsed", "index", "cache", "_basename")
    __eq__ = object.__eq__  # identity: two identical lines are two commands
    __hash__ = object.__hash__

    def __init__(self, words: list[Word], span: Span, line: int,
                 assignments: list[Assignment] | None = None, redirects: list[Redirect] | None = None,
                 background: bool = False, context: tuple[str, ...] = (), parsed: bool = True):
        self.words = words
        self.span = span
        self.line = line
        self.assignments = assignments if assignments is not None else []
        self.redirects = redirects if redirects is not None else []
        self.background = background
        # Enclosing constructs, outermost first: 'function:NAME', 'for', 'while', 'until', 'if',
        # 'case', 'subshell', 'pipeline', 'cmdsub', 'trap:SIG,...', 'group'.
        self.context = context
        self.parsed = parsed  # False when it comes from the fallback tokenizer
        self.index = 0  # position in Body.commands
        self.cache: dict = {}  # facts computed once (invocation...)
        self._basename: str | None = None
    def all_words(self):
        """The words of the command, assigned values and redirection targets included."""
        yield from self.words
        for a in self.assignments:
            yield a.value
        for r in self.redirects:
            if r.target is not None:
                yield r.target

    @property
    def name(self) -> str:
        """The command word as written, quotes removed ('' for a bare assignment)."""
        return self.words[0].literal if self.words else ""

    @property
    def basename(self) -> str:
        if self._basename is None:
            self._basename = self.name.rsplit("/", 1)[-1]
        return self._basename

    @property
    def args(self) -> list[str]:
        return [w.literal for w in self.words[1:]]

    @property
    def function(self) -> str | None:
        """The innermost function this command is defined in, if any."""
        for ctx in reversed(self.context):
            if ctx.startswith("function:"):
                return ctx[9:]
        return None

    @property
    def in_loop(self) -> bool:
        return any(c.startswith("for:") or c in ("while", "until") for c in self.context)

    @property
    def trap(self) -> str | None:
        for ctx in self.context:
            if ctx.startswith("trap:"):
                return ctx[5:]
        return None


class Incomplete(Record):
    """A region bashlex could not read even after masking; rules saw it tokenized."""

    __slots__ = ("span", "first_line", "last_line", "reason")

    def __init__(self, span: Span, first_line: int, last_line: int, reason: str):
        self.span = span
        self.first_line = first_line
        self.last_line = last_line
        self.reason = reason


class FunctionDef(Record):
    __slots__ = ("name", "span", "line")

    def __init__(self, name: str, span: Span, line: int):
        self.name = name
        self.span = span
        self.line = line


class Trap(Record):
    __slots__ = ("command", "handler", "signals", "function_calls")

    def __init__(self, command: Command, handler: str, signals: tuple[str, ...],
                 function_calls: tuple[str, ...] = ()):
        self.command = command  # the `trap` command itself
        self.handler = handler  # the handler text
        self.signals = signals
        self.function_calls = function_calls  # functions the handler calls by name


class Body(Record):
    __slots__ = ("commands", "functions", "definitions", "traps", "incomplete", "data_lines", "syntax_error",
                 "interpreter", "_by_name", "cache")

    def __init__(self) -> None:
        self.commands: list[Command] = []
        self.functions: dict[str, FunctionDef] = {}  # name -> its first definition
        self.definitions: list[FunctionDef] = []  # every definition, a name may come back
        self.traps: list[Trap] = []
        self.incomplete: list[Incomplete] = []
        self.data_lines: frozenset[int] = frozenset()  # here-document bodies, continued strings
        self.syntax_error = None  # where bash refuses the script (shell.syntax.SyntaxProblem), if sure
        self.interpreter = ""  # what the `#!` line runs ('' without one); not a shell: no commands
        self._by_name: dict[str, list[Command]] | None = None
        self.cache: dict = {}  # facts the analyses compute once per script (commands.running's index)

    def named(self, *names: str) -> list[Command]:
        """Commands whose basename is one of `names`, in source order."""
        if self._by_name is None:
            index: dict[str, list[Command]] = {}
            for cmd in self.commands:
                if cmd.words:
                    index.setdefault(cmd.basename, []).append(cmd)
            self._by_name = index
        if len(names) == 1:
            return self._by_name.get(names[0], [])
        found = [c for n in names for c in self._by_name.get(n, [])]
        return sorted(found, key=lambda c: c.index)
