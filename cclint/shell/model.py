"""The body of a job script as rules see it: simple commands in source order."""

from __future__ import annotations

from dataclasses import dataclass, field

from cclint.source import Span


@dataclass(slots=True)
class Word:
    raw: str  # the source text of the word, quotes included
    span: Span
    _literal: str | None = field(default=None, repr=False, compare=False)

    @property
    def literal(self) -> str:
        """The word with quotes and backslashes removed and expansions left as written."""
        if self._literal is None:
            from cclint.shell.expand import unquote

            self._literal = unquote(self.raw) if ("'" in self.raw or '"' in self.raw
                                                   or "\\" in self.raw) else self.raw
        return self._literal


@dataclass(slots=True)
class Redirect:
    op: str  # '>', '>>', '<', '2>', '&>', '>&', '<<', '<<<', ...
    target: Word | None
    span: Span


@dataclass(slots=True)
class Assignment:
    name: str
    value: Word  # the value part (after `=`), as a word of its own
    span: Span
    append: bool = False


@dataclass(slots=True, eq=False)
class Command:
    """A simple command, or a bare assignment statement (then `words` is empty)."""

    words: list[Word]
    span: Span
    line: int
    assignments: list[Assignment] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    background: bool = False
    # Enclosing constructs, outermost first: 'function:NAME', 'for', 'while', 'until', 'if',
    # 'case', 'subshell', 'pipeline', 'cmdsub', 'trap:SIG,...', 'group'.
    context: tuple[str, ...] = ()
    parsed: bool = True  # False when it comes from the fallback tokenizer
    index: int = 0  # position in Body.commands
    cache: dict = field(default_factory=dict, repr=False)  # facts computed once (invocation...)

    @property
    def name(self) -> str:
        """The command word as written, quotes removed ('' for a bare assignment)."""
        return self.words[0].literal if self.words else ""

    @property
    def basename(self) -> str:
        return self.name.rsplit("/", 1)[-1]

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


@dataclass
class Incomplete:
    """A region bashlex could not read even after masking; rules saw it tokenized."""

    span: Span
    first_line: int
    last_line: int
    reason: str


@dataclass
class FunctionDef:
    name: str
    span: Span
    line: int


@dataclass
class Trap:
    command: Command  # the `trap` command itself
    handler: str  # the handler text
    signals: tuple[str, ...]
    function_calls: tuple[str, ...] = ()  # functions the handler calls by name


@dataclass
class Body:
    commands: list[Command] = field(default_factory=list)
    functions: dict[str, FunctionDef] = field(default_factory=dict)
    traps: list[Trap] = field(default_factory=list)
    incomplete: list[Incomplete] = field(default_factory=list)
    data_lines: frozenset[int] = frozenset()  # here-document bodies, continued strings
    _by_name: dict[str, list[Command]] | None = field(default=None, repr=False)

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
