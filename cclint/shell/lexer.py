"""A tolerant bash lexer: tokens, here-documents and top-level statements.

bashlex is the parser (see `parse.py`), but it raises on whole files for constructs common
in job scripts, and its own statement loop re-slices the file at every statement. This
lexer never raises. It gives bashlex one top-level statement at a time (so a construct it
cannot read costs one statement, not the file), marks the tokens that need masking before
bashlex sees them, provides the fallback tokens for statements bashlex still rejects, and
tells the header scanner which lines are data (here-document bodies, continued strings).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from cclint.patterns import lazy
from cclint.record import Record
from cclint.shell.memo import TextMemo

WORD, OP, NEWLINE, HEREDOC = "word", "op", "newline", "heredoc"

_OPERATORS = (";;&", "<<<", "<<-", "&>>", ";;", ";&", "&&", "||", "|&", "<<", "<>", "<&", ">>",
              ">&", ">|", "&>", ";", "&", "|", "<", ">", "(", ")")
# Blanks are bash's (and bashlex's): space and tab. A \r, \f or Unicode space is a word character.
_PLAIN = lazy(r"[^ \t\n;&|()<>'\"\\$`]+")
# One match per token: blanks and line continuations skipped, then a newline, a comment, an
# operator (`<(` and `>(` start process substitutions: words) or a plain word ending at a
# blank or an operator. Anything else (quotes, `$`, backslashes...) is read by `_word`.
_NEXT = lazy(r"(?:[ \t]|\\\n)*(?:(?P<plain>[^ \t\n;&|()<>'\"\\$`#][^ \t\n;&|()<>'\"\\$`]*)"
             r"(?=[ \t\n;&|<>)]|\Z)|(?P<newline>\n)|(?P<comment>#[^\n]*)|(?P<op>"
             + "|".join(re.escape(o) + ("(?!\\()" if o in ("<", ">") else "") for o in _OPERATORS)
             + "))?")
# In a word: a `$(...)` or `<(...)` that may hold what masking rewrites (then it is masked too).
# A `$(`, `<(` or `>(` with, somewhere after it, a construct bashlex needs rewritten. Two
# searches, never one `opener.*construct` pattern: that backtracks from every opener, quadratic
# on a long word.
_SUBST_OPEN = lazy(r"[$<>]\(")
_NESTED_CONSTRUCT = lazy(r"\[\[|\bcase\b|(?<!\$)\(\(|\btime\b|\bcoproc\b|\bselect\b|=\(")


def _nested_hint(text: str) -> bool:
    opener = _SUBST_OPEN.search(text)
    return opener is not None and _NESTED_CONSTRUCT.search(text, opener.end()) is not None
# `case` and `esac` as words, and the keywords after which a command (a `case`) may start.
_CASE_ESAC = lazy(r"(?:case|esac)(?=[ \t\n;&|)]|\Z)")
_BEFORE_COMMAND = ("then", "do", "else", "elif", "if", "while", "until", "{", "!", "time")


def _command_start(s: str, i: int, opened: int) -> bool:
    """Whether s[i] starts a command inside the `(...)` opened at `opened`."""
    j = i
    while j > opened + 1 and s[j - 1] in " \t":
        j -= 1
    if j == opened + 1 or s[j - 1] in ";&|(\n":
        return True
    k = j
    while k > opened + 1 and s[k - 1] not in " \t\n;&|(":
        k -= 1
    return s[k:j] in _BEFORE_COMMAND


# A here-document delimiter: a word up to a blank, a newline or an operator, quotes included.
_DELIMITER = lazy(r"""(?:[^ \t\n;&|()<>'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")*""")
_ASSIGN_ARRAY = lazy(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$")
_OPENERS = {"if": "fi", "case": "esac", "for": "done", "while": "done", "until": "done",
            "select": "done", "{": "}"}
_COMMAND_POSITION_AFTER = {";", "&", "&&", "||", "|", "|&", "(", ")", ";;", ";&", ";;&", "\n"}
_KEYWORDS_BEFORE_COMMAND = {"then", "do", "else", "elif", "if", "while", "until", "{", "!", "time"}
# $(...), ${...} and quotes nest by recursion: deeper than this, the rest of the text is one
# opaque word (no script nests this deep; a generated or hostile one must not crash us).
MAX_NESTING = 100


_NONE: list = []  # shared by every token without $((...)) or `&&` inside $(...): never mutated


def delimiter_text(word: str) -> str:
    """The line that ends a here-document opened with `<<word`: quotes and backslashes removed."""
    return word.replace("'", "").replace('"', "").replace("\\", "")


class Token(Record):
    __slots__ = ("kind", "start", "end", "text", "role", "arith", "array", "andor", "delimiters",
                 "nested", "unterminated")

    def __init__(self, kind: str, start: int, end: int, text: str, role: str = ""):
        self.kind = kind
        self.start = start
        self.end = end
        self.text = text
        self.role = role  # set by the statement splitter: keyword roles used for masking
        self.arith: list[tuple[int, int]] = _NONE  # $((...)) spans in a word
        self.array: tuple[int, int] | None = None  # the (...) of a `name=(...)` array assignment
        self.andor: list[int] = _NONE  # `&&`/`||` inside $(...): bashlex bug
        self.delimiters: list[tuple[int, int]] = _NONE  # quoted here-document delimiters in $(...)
        self.nested = False  # a $(...) in it may hold a construct masking rewrites (case, [[...)
        self.unterminated = False  # a quote, substitution or brace left open in the word


# Token roles (set by _Splitter) of the constructs `mask.py` rewrites for bashlex.
MASKED_ROLES = frozenset({"case", "case-in", "pattern", "case-sep", "esac", "[[", "]]", "[[inner",
                          "for-arith", "time", "coproc", "select"})


class Statement(Record):
    __slots__ = ("start", "end", "masked", "_tokens", "_shape")

    def __init__(self, start: int, end: int, tokens: list[Token] | None, masked: bool = True,
                 shape: tuple | None = None):
        self.start = start
        self.end = end
        self.masked = masked  # holds a construct mask.py rewrites (False: the text is read as is)
        self._tokens = tokens
        self._shape = shape  # instead of tokens: those of a reused line (see `lex`), made on demand

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            base = self.start - self._shape[0]
            self._tokens = [Token(kind, base + a, base + b, text, role)
                            for kind, a, b, text, role in self._shape[2]]
        return self._tokens


class Lexed(Record):
    __slots__ = ("tokens", "statements", "data_spans", "unterminated")

    def __init__(self, tokens: list[Token], statements: list[Statement],
                 data_spans: list[tuple[int, int]], unterminated: list[tuple[int, str]]):
        # all of them, unless lines were reused: then those of the lines lexed (here-documents
        # included: a line that opens one is never reused), and `statements` has the others
        self.tokens = tokens
        self.statements = statements
        self.data_spans = data_spans  # here-document bodies and multi-line words
        self.unterminated = unterminated  # (where it opened, what) for quotes/heredocs left open


class _Lexer:
    def __init__(self, text: str):
        self.s = text
        self.n = len(text)
        self.i = 0
        self.tokens: list[Token] = []
        self.data_spans: list[tuple[int, int]] = []
        self.unterminated: list[tuple[int, str]] = []
        self.pending_heredocs: list[tuple[str, bool]] = []
        self.word: Token | None = None  # the word being read, to record $((...)) spans
        self.to_mask: list[int] = []  # starts of tokens masking rewrites ($((, arrays, <<...)
        self.depth = 0  # nesting of $(...)/${...} being skipped
        self.expect_delimiter = ""  # after `<<` or `<<-`: the next word ends a here-document

    # -- scanning helpers ---------------------------------------------------------------

    def _skip_quoted(self, i: int, quote: str) -> int:
        """From just after an opening quote, return the index after the closing one."""
        s, n = self.s, self.n
        opened = i - 1
        if quote == "'":
            j = s.find("'", i)
            if j < 0:
                self.unterminated.append((opened, "'"))
                return n
            return j + 1
        while i < n:
            ch = s[i]
            if ch == "\\":
                i += 2
            elif ch == '"':
                return i + 1
            elif ch == "$" and i + 1 < n and s[i + 1] in "({":
                i = self._skip_dollar(i)
            elif ch == "`":
                i = self._skip_backtick(i + 1)
            else:
                i += 1
        self.unterminated.append((opened, '"'))
        return n

    def _skip_backtick(self, i: int) -> int:
        return self._skip_escaped(i, "`", "`")

    def _skip_ansi(self, i: int) -> int:
        return self._skip_escaped(i, "'", "$'")

    def _skip_escaped(self, i: int, close: str, opened: str) -> int:
        """Past the `close` that ends a `...` or $'...' body (backslashes escape)."""
        s, n = self.s, self.n
        start = i - len(opened)
        while i < n:
            if s[i] == "\\":
                i += 2
            elif s[i] == close:
                return i + 1
            else:
                i += 1
        self.unterminated.append((start, opened))
        return n

    def _skip_dollar(self, i: int) -> int:
        """At `$(`, `$((` or `${`: return the index after the matching close."""
        if self.depth >= MAX_NESTING:
            self.unterminated.append((i, "nesting too deep"))
            return self.n
        self.depth += 1
        try:
            return self._skip_dollar_body(i)
        finally:
            self.depth -= 1

    def _skip_dollar_body(self, i: int) -> int:
        s = self.s
        if s.startswith("$((", i):
            end = self._skip_parens(i + 1)
            if self.word is not None and s.startswith("))", end - 2):
                self.word.arith = [*self.word.arith, (i, end)]
            return end
        if s.startswith("$(", i):
            return self._skip_parens(i + 1, True)
        return self._skip_enclosed(i + 1, "}")

    def _skip_parens(self, i: int, commands: bool = False) -> int:
        """At `(`: return the index after its matching `)`, honouring quotes and nesting, and
        (in the `commands` of a `$(...)` or `<(...)`) here-documents and the `)` of `case`
        patterns."""
        s, n = self.s, self.n
        depth, opened = 0, i
        heredocs: list[tuple[str, bool]] = []
        cases: list[int] = []  # depth of each `case` open in the commands
        while i < n:
            ch = s[i]
            if ch == "\\":
                i += 2
                continue
            if commands and ch in "ce" and _CASE_ESAC.match(s, i) and _command_start(s, i, opened):
                if ch == "c":
                    cases.append(depth)
                elif cases:
                    cases.pop()
                i += 4
                continue
            if ch == ")" and cases and cases[-1] == depth:  # a pattern's `)`
                i += 1
                continue
            if commands and ch == "<" and s.startswith("<<", i) and not s.startswith("<<<", i):
                i = self._heredoc_operator(i, heredocs)
                continue
            if ch == "\n" and heredocs:
                i = self._skip_nested_bodies(i + 1, heredocs)
                heredocs = []
                continue
            if ch in "'\"":
                i = self._skip_quoted(i + 1, ch)
                continue
            if ch == "`":
                i = self._skip_backtick(i + 1)
                continue
            if ch == "$" and s.startswith("$(", i):
                i = self._skip_dollar(i)
                continue
            if ch == "$" and s.startswith("$'", i):
                i = self._skip_ansi(i + 2)
                continue
            if ch == "#" and (s[i - 1] in " \t\n("):
                j = s.find("\n", i)
                i = n if j < 0 else j
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            elif ch in "&|" and s.startswith(ch * 2, i) and self.word is not None:
                self.word.andor = [*self.word.andor, i]
                i += 2
                continue
            i += 1
        self.unterminated.append((opened, ")"))
        return n

    def _heredoc_operator(self, i: int, heredocs: list[tuple[str, bool]]) -> int:
        """At `<<` or `<<-` inside `$(...)`: note the delimiter that follows; return the index
        after it."""
        s, n = self.s, self.n
        strip_tabs = s.startswith("<<-", i)
        i += 3 if strip_tabs else 2
        while i < n and s[i] in " \t":
            i += 1
        m = _DELIMITER.match(s, i)
        if m.end() > i:
            delimiter = m.group()
            heredocs.append((delimiter_text(delimiter), strip_tabs))
            if self.word is not None and delimiter != heredocs[-1][0]:
                self.word.delimiters = [*self.word.delimiters, (i, m.end())]
        return m.end()

    def _skip_nested_bodies(self, i: int, heredocs: list[tuple[str, bool]]) -> int:
        """From the start of the line after `<<WORD` in a `$(...)`: the index after the bodies.
        As in bash, a body may also end at a line that is its delimiter followed by `)`."""
        s, n = self.s, self.n
        for delimiter, strip_tabs in heredocs:
            while i < n:
                j = s.find("\n", i)
                line_end = n if j < 0 else j
                line = s[i:line_end].lstrip("\t") if strip_tabs else s[i:line_end]
                if line == delimiter:
                    i = line_end
                    break
                if line.startswith(delimiter) and line[len(delimiter):].lstrip().startswith(")"):
                    return line_end - len(line) + len(delimiter)
                i = line_end + 1
            else:
                return n
        return i

    def _skip_enclosed(self, i: int, close: str) -> int:
        """At the `{` of `${` or the `[` of `$[` (bash's old arithmetic): the index after the
        `}` or `]` that closes it, past quotes and substitutions. As in bash, a `${` inside
        nests but a bare `{` does not (`${a{b}` ends at the first `}`), and a `[` nests in
        `$[...]`, whose body may hold spaces, `(` and newlines."""
        s, n = self.s, self.n
        opened, depth = i - 1, 0
        nests = "[" if close == "]" else ""
        i += 1
        while i < n:
            ch = s[i]
            if ch == "\\":
                i += 2
            elif ch in "'\"":
                i = self._skip_quoted(i + 1, ch)
            elif ch == "$" and i + 1 < n and s[i + 1] in "({":
                i = self._skip_dollar(i)
            elif ch == "$" and s.startswith("$'", i):
                i = self._skip_ansi(i + 2)
            elif ch == "`":
                i = self._skip_backtick(i + 1)
            elif ch == close and not depth:
                return i + 1
            else:
                depth += (ch == nests) - (ch == close)
                i += 1
        self.unterminated.append((opened, close))
        return n

    # -- tokens ---------------------------------------------------------------------------

    def _word(self) -> Token:
        s, n = self.s, self.n
        start = i = self.i
        token = Token(WORD, start, start, "")
        self.word = token
        while i < n:
            m = _PLAIN.match(s, i)
            if m:
                i = m.end()
                if i >= n:
                    break
            ch = s[i]
            if ch == "\\":
                if i + 1 < n and s[i + 1] == "\n" and i == start:
                    break
                i += 2
            elif ch in "'\"":
                i = self._skip_quoted(i + 1, ch)
            elif ch == "`":
                i = self._skip_backtick(i + 1)
            elif ch == "$":
                if i + 1 < n and s[i + 1] in "({":
                    i = self._skip_dollar(i)
                elif i + 1 < n and s[i + 1] == "'":
                    i = self._skip_ansi(i + 2)
                elif i + 1 < n and s[i + 1] == "[":
                    i = self._skip_enclosed(i + 1, "]")
                else:
                    i += 1
            elif ch == "(" and _ASSIGN_ARRAY.match(s[start:i]):
                end = self._skip_parens(i)
                token.array = (i, end)
                i = end
            elif ch in "<>" and i + 1 < n and s[i + 1] == "(" and i == start:
                i = self._skip_parens(i + 1, True)  # process substitution
            else:
                break
        i = min(i, n)
        token.end = i
        token.text = s[start:i]
        self.i = i
        return token

    def _read_heredocs(self) -> None:
        """After a newline: consume the bodies of the here-documents opened on that line."""
        s, n = self.s, self.n
        for delimiter, strip_tabs in self.pending_heredocs:
            body_start = self.i
            while self.i < n:
                j = s.find("\n", self.i)
                line_end = n if j < 0 else j
                line = s[self.i:line_end]
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    self.tokens.append(Token(HEREDOC, body_start, line_end, s[body_start:line_end]))
                    self.data_spans.append((body_start, line_end))
                    self.i = line_end
                    break
                self.i = line_end + 1
            else:
                self.unterminated.append((body_start, "here-document " + delimiter))
                self.tokens.append(Token(HEREDOC, body_start, n, s[body_start:n]))
                self.data_spans.append((body_start, n))
                self.i = n
        self.pending_heredocs = []

    def run_line(self, i: int) -> int:
        """Read tokens from `i` up to the next newline token and the here-document bodies it
        starts (or the end of the text); return where it stopped."""
        s, n = self.s, self.n
        tokens = self.tokens
        append = tokens.append
        next_token = _NEXT.match
        while i < n:
            m = next_token(s, i)  # blanks and line continuations skipped, then the common cases
            kind = m.lastgroup
            if kind == "plain":
                i = m.end()
                token = Token(WORD, m.start(kind), i, m.group(kind))
            elif kind == "newline":
                i = m.end()
                append(Token(NEWLINE, i - 1, i, "\n"))
                if self.pending_heredocs:
                    self.i = i
                    self._read_heredocs()
                    i = self.i
                return i
            elif kind == "op":
                i = m.end()
                op = m.group(kind)
                append(Token(OP, i - len(op), i, op))
                if op == "<<" or op == "<<-":
                    self.expect_delimiter = op
                    self.to_mask.append(i - len(op))
                continue
            elif kind == "comment":
                i = m.end()
                continue
            else:  # a word with quotes, expansions or escapes (or only blanks up to the end)
                i = m.end()
                if i >= n:
                    break
                self.i = i
                open_before = len(self.unterminated)
                token = self._word()
                i = self.i
                token.unterminated = len(self.unterminated) != open_before
                if token.end == token.start:  # defensive: never loop forever
                    i += 1
                    continue
                if "\n" in token.text:
                    self.data_spans.append((token.start, token.end))
                if "(" in token.text and _nested_hint(token.text):
                    token.nested = True
                if token.arith or token.andor or token.delimiters or token.nested or token.array is not None:
                    self.to_mask.append(token.start)
            append(token)
            if self.expect_delimiter:
                delim = delimiter_text(token.text)
                self.pending_heredocs.append((delim, self.expect_delimiter == "<<-"))
                self.expect_delimiter = ""
        if self.pending_heredocs:
            self.unterminated.append((n, "here-document " + self.pending_heredocs[0][0]))
            self.pending_heredocs = []
        return n


def left_open(word: str) -> tuple[int, str]:
    """The innermost quote or substitution a word leaves open at its end: (where it opens,
    what: `"`, `'`, `` ` ``, `$'`, `)`, `}`...), or (0, '')."""
    lexer = _Lexer(word)
    lexer._word()
    return lexer.unterminated[0] if lexer.unterminated else (0, "")


def command_substitutions(text: str) -> list[tuple[int, str]]:
    """The commands of the `$(...)`, `<(...)` and `>(...)` in a word (not in single quotes),
    with their offsets in it."""
    found = []
    lexer = _Lexer(text)
    i, n, quoted = 0, len(text), False
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
        elif c == "'" and not quoted:
            j = text.find("'", i + 1)
            i = n if j < 0 else j + 1
        elif c == '"':
            quoted = not quoted
            i += 1
        elif c == "`":
            i = lexer._skip_backtick(i + 1)
        elif c == "$" and text.startswith("$((", i):
            i = lexer._skip_dollar(i)
        elif (c == "$" or c in "<>" and not quoted) and text.startswith("(", i + 1):
            end = lexer._skip_parens(i + 1, True)
            found.append((i + 2, text[i + 2:end - 1]))
            i = end
        else:
            i += 1
    return found


# Lines that were one whole top-level statement (or only a comment), by text (`module
# purge`, `cd $SLURM_TMPDIR`...): such a line is not lexed again. Values: None (no
# statement) or (statement start and end in the line, ((kind, start, end, text, role), ...)).
_LINES = TextMemo(entries=8192, longest=1000)
_UNKNOWN = object()


def lex(text: str, reuse_lines: bool = False) -> Lexed:
    """Tokens and top-level statements of `text`. With `reuse_lines`, a line seen before as a
    whole statement becomes a statement whose tokens are only made if asked for, and
    `Lexed.tokens` lacks them."""
    lexer = _Lexer(text)
    splitter = _Splitter()
    statements: list[Statement] = []
    current: list[Token] = []
    masked = False  # a token of the current statement has a role masking rewrites
    tokens, n, to_mask = lexer.tokens, len(text), lexer.to_mask
    find, known = text.find, _LINES.get
    i = 0
    while i < n:
        line = None
        if reuse_lines and not current and splitter.at_rest() and not lexer.pending_heredocs \
                and not lexer.expect_delimiter:
            while i < n:  # the lines known from here on (nothing they hold changes the state)
                j = find("\n", i)
                line = text[i:n if j < 0 else j + 1]
                shape = known(line, _UNKNOWN)
                if shape is _UNKNOWN:
                    break
                if shape is not None:
                    statements.append(Statement(i + shape[0], i + shape[1], None, False, shape))
                i += len(line)
            else:
                break
            marks = (i, len(tokens), len(lexer.data_spans), len(lexer.unterminated), len(to_mask),
                     len(statements))
        first = len(tokens)
        i = lexer.run_line(i)
        for k in range(first, len(tokens)):
            tok = tokens[k]
            if tok.kind == HEREDOC and not current and statements:
                # the body read after the newline belongs to the statement that opened it
                statements[-1].tokens.append(tok)
                statements[-1].end = tok.end
                continue
            current.append(tok)
            ends = splitter.feed(tok)
            if tok.role and tok.role in MASKED_ROLES:
                masked = True
            if ends:
                _close(statements, current, masked, to_mask)
                current, masked = [], False
        if line is not None and not current and splitter.at_rest():
            _remember_line(line, lexer, statements, marks)
    if current:
        _close(statements, current, masked, to_mask)
    return Lexed(tokens, statements, lexer.data_spans, lexer.unterminated)


def _remember_line(line: str, lexer: _Lexer, statements: list[Statement], marks: tuple) -> None:
    """Keep a line just read from a statement boundary if it was exactly one plain statement
    (or none) ending with its newline: nothing masked, open, multi-line or here-document.
    `marks`: where the line starts, and the lexer's and statements' counts before it."""
    start, n_tokens, n_spans, n_open, n_mask, n_statements = marks
    tokens = lexer.tokens
    if (not line.endswith("\n") or len(tokens) == n_tokens
            or tokens[-1].kind != NEWLINE or tokens[-1].end != start + len(line)
            or len(lexer.data_spans) != n_spans or len(lexer.unterminated) != n_open
            or len(lexer.to_mask) != n_mask or len(statements) > n_statements + 1):
        return  # (the lexer went on past the line: a continuation, a quote...)
    if len(statements) > n_statements:
        stmt = statements[-1]
        if stmt.masked or stmt.start < start:
            return
        shape = (stmt.start - start, stmt.end - start,
                 tuple((t.kind, t.start - start, t.end - start, t.text, t.role) for t in tokens[n_tokens:]))
    else:
        shape = None
    _LINES.remember(line, shape, line)


class _Splitter:
    """Tracks nesting (if/case/loops/braces/parens) to find where top-level statements end."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.command_position = True
        self.case_pattern = False  # inside `case ... in`, reading a pattern up to `)`
        self.for_header = False  # after `for`/`select`, until `do`
        self.dbl_bracket = False  # inside [[ ... ]]
        self.after_function = 0
        self.body_pending = False  # after `name ()` or `function name`: the body may follow a newline
        self.prev = ""
        self.last_role = ""

    def at_rest(self) -> bool:
        """Between two top-level statements, with nothing pending from the last one."""
        return (self.prev == "" and self.command_position and not self.stack and not self.case_pattern
                and not self.for_header and not self.dbl_bracket and not self.after_function
                and not self.body_pending)

    def feed(self, tok: Token) -> bool:
        """Consume a token; True when it ends a top-level statement."""
        if tok.kind == HEREDOC:
            return False
        text = tok.text
        continued = self.prev in ("|", "&&", "||", "|&")
        if tok.kind == NEWLINE:
            if self.dbl_bracket and not continued:
                self.dbl_bracket = False
            self.command_position = True
            ends = not self.stack and not continued and not self.dbl_bracket and not self.body_pending
            if ends:
                self.prev = ""
            return ends
        if self.dbl_bracket:
            tok.role = "]]" if text == "]]" else "[[inner"
            if text == "]]":
                self.dbl_bracket = False
                self.command_position = False
            self.prev = text
            return False
        if self.stack and self.stack[-1] == "esac" and self.case_pattern:
            tok.role = "pattern"
            if tok.kind == WORD and text == "esac":
                tok.role = "esac"
                self.stack.pop()
                self.case_pattern = False
                self.command_position = False
            elif tok.kind == OP and text == ")":
                self.case_pattern = False
                self.command_position = True
            self.prev = text
            return False
        if self.body_pending and text not in ("(", ")"):
            self.body_pending = False
        if tok.kind == OP:
            self._operator(tok, text)
        else:
            self._word(tok, text)
        self.prev = text
        if tok.role:
            self.last_role = tok.role
        return False

    def _operator(self, tok: Token, text: str) -> None:
        if text in (";;", ";&", ";;&") and self.stack and self.stack[-1] == "esac":
            tok.role = "case-sep"
            self.case_pattern = True
        elif text == "(":
            if self.for_header and self.prev in ("for", "select"):
                tok.role = "for-arith"
            self.stack.append(")")
        elif text == ")" and self.stack and self.stack[-1] == ")":
            self.stack.pop()
            self.body_pending = self.prev == "("  # `name ()`
        self.command_position = text in _COMMAND_POSITION_AFTER

    def _word(self, tok: Token, text: str) -> None:
        if self.for_header:
            if text == "do" and self.command_position:
                self.for_header = False
                self.command_position = True
            else:
                self.command_position = False
            return
        if self.after_function:
            self.after_function -= 1
            self.command_position = self.after_function == 0
            self.body_pending = self.after_function == 0
            return
        if self.command_position:
            if text in _OPENERS:
                self.stack.append(_OPENERS[text])
                tok.role = text
                self.for_header = text in ("for", "select")
                self.command_position = text not in ("for", "select", "case")
                return
            if self.stack and text == self.stack[-1] and text in ("fi", "done", "}", "esac"):
                self.stack.pop()
                if text == "esac":
                    tok.role = "esac"
                self.command_position = False
                return
            if text == "[[":
                tok.role = "[["
                self.dbl_bracket = True
                return
            if text in ("time", "coproc"):
                tok.role = text
                return
            if text == "function":
                self.after_function = 1
                return
        if self.stack and self.stack[-1] == "esac" and text == "in" and self.last_role == "case":
            tok.role = "case-in"
            self.case_pattern = True
            return
        self.command_position = self.command_position and text in _KEYWORDS_BEFORE_COMMAND


def _close(statements: list[Statement], tokens: list[Token], masked: bool, to_mask: list[int]) -> None:
    significant = [t for t in tokens if t.kind != NEWLINE]
    if not significant:
        return
    start, end = significant[0].start, significant[-1].end
    if not masked and to_mask:  # (sorted: a bisection keeps long scripts linear)
        k = bisect_left(to_mask, start)
        masked = k < len(to_mask) and to_mask[k] < end
    statements.append(Statement(start, end, tokens, masked))
