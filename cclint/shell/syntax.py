"""Where bash itself refuses the script: the first syntax error, as `bash -n` reports it.

bash reads a script one complete command at a time and stops at the first one it cannot
parse: the job dies there, after running the commands above. This module follows bash
5.2's grammar (parse.y, with its rules for where `fi`, `}`, `in` or `esac` are keywords)
over the lexer's tokens, statement by statement, and finds the first token bash refuses,
with bash's own message and line:

    syntax error near unexpected token `newline'     `source <path/to/venv>`
    unexpected EOF while looking for matching `"'    a quote never closed
    syntax error: unexpected end of file             `if` without `fi`

It never runs anything, and it is exact or silent: where it does not follow bash closely
(`coproc`, a `[[ ]]` or `((` it cannot read, extglob, aliases...) the verdict is "unsure"
and nothing is reported from there on. tests/differential/test_bash_syntax.py holds it to
`bash -n` on thousands of scripts.
"""

from __future__ import annotations

from cclint.patterns import lazy
from cclint.record import Record
from cclint.shell.lexer import HEREDOC, NEWLINE, OP, WORD, Statement, command_substitutions, left_open, lex
from cclint.shell.memo import TextMemo

_RESERVED = frozenset({"if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while",
                       "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]",
                       "coproc"})
# After these (bash's reserved_word_acceptable), a word in command position may be a keyword.
_KEYWORD_AFTER = frozenset({"", "\n", ";", "(", ")", "|", "&", "{", "}", "&&", "!", "|&", "do", "done",
                            "elif", "else", "esac", "fi", "if", "||", ";;", ";&", ";;&", "then", "time",
                            "-p", "--", "until", "while", "((", "]]"})
# Where a word may be an assignment (`x=(...)` an array): at the start of a command.
_ASSIGNMENT_AFTER = (_KEYWORD_AFTER | {"assignment"}) - {"((", "]]", ")", "}", "fi", "done", "esac"}
# Commands whose arguments may be compound assignments (`declare -a x=(1 2)`).
_ASSIGNMENT_BUILTINS = frozenset({"declare", "typeset", "local", "export", "readonly", "eval"})
# ... and after these, `time` is one (time_command_acceptable).
_TIME_AFTER = frozenset({"", "\n", ";", "&&", "||", "&", "while", "do", "until", "if", "then", "elif",
                         "else", "{", "(", ")", "!", "time", "-p", "--"})
_REDIRECTS = frozenset({"<", ">", ">>", "<>", ">|", "&>", "&>>", "<<<", ">&", "<&", "<<", "<<-"})
_FD = lazy(r"[0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\}")
_SUBSTITUTION = lazy(r"\$\(|[<>]\(")
_ASSIGNMENT = lazy(r"[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")
# `[[ ... ]]`: the operators bash's conditional grammar knows.
_UNARY = frozenset("-a -b -c -d -e -f -g -h -k -p -r -s -t -u -w -x -G -L -N -O -S -o -v -R -z -n".split())
_BINARY = frozenset("= == != < > -eq -ne -lt -le -gt -ge -nt -ot -ef".split())

_VERDICTS = TextMemo(entries=8192, longest=4000)  # statement text -> verdict (see `_verdict`)
_VALID, _UNSURE, _MORE, _REFUSED = "valid", "unsure", "more", "refused"


class SyntaxProblem(Record):
    """bash's first syntax error: the line bash names and its message. At the end of the
    file, `opened` is the construct left open (`if`, `{`, `&&`, `$(`...) and `offset` where
    it starts; otherwise `offset` is where bash stopped."""

    __slots__ = ("offset", "line", "message", "opened")

    def __init__(self, offset: int, line: int, message: str, opened: str = ""):
        self.offset = offset
        self.line = line
        self.message = message
        self.opened = opened


def first_error(text: str, statements: list[Statement], line_of, valid: set[int] = frozenset()) \
        -> SyntaxProblem | None:
    """bash's first syntax error in `text`, whose top-level statements these are; None if
    bash accepts it or this module is unsure. `line_of(offset)` gives a line number; `valid`:
    the starts of statements known to be valid (read by fastparse, whose grammar is a part of
    bash's that refuses anything doubtful; the differential test holds it to that)."""
    found = examine(text, statements, line_of, valid)
    return found if isinstance(found, SyntaxProblem) else None


def examine(text: str, statements: list[Statement], line_of, valid: set[int] = frozenset()) \
        -> SyntaxProblem | str | None:
    """As `first_error`, but when unsure, why (a short reason: "aliases", "arithmetic"...)."""
    if "expand_aliases" in text:
        return "aliases"  # an alias may stand for any text
    k, count = 0, len(statements)
    # bash ends a last line without a newline with one of its own
    unended = None if text.endswith("\n") else len(text)
    while k < count:
        stmt = statements[k]
        start, end = stmt.start, stmt.end
        if start in valid:
            k += 1
            continue
        last = k + 1 == count
        # the verdict depends on the text up to the newline that ends the statement (not the
        # last one, which the end of the file ends; nor one continued by a backslash)
        line_end = text.find("\n", end)
        key = text[start:line_end + 1] if line_end >= 0 and not last and "\\" not in text[end:line_end] else None
        verdict = _VERDICTS.get(key) if key is not None else None
        if verdict is None:
            verdict = _verdict(text, stmt.tokens, start, unended if last else None)
            if key is not None:
                _VERDICTS.remember(key, verdict, key)
        tokens = None
        while verdict[0] == _MORE and k + 1 < count:  # bash reads on: so does the check
            tokens = (tokens or list(stmt.tokens)) + statements[k + 1].tokens
            k += 1
            verdict = _verdict(text, tokens, start, unended if k + 1 == count else None)
        if k + 1 == count and unended and (len(text) - len(text.rstrip("\\"))) % 2:
            return "continuation"  # a backslash ends the file: bash drops it, the lexer keeps it
        kind = verdict[0]
        if kind == _VALID:
            k += 1
            continue
        if kind == _UNSURE:
            return verdict[1]
        if kind == _MORE:
            _, at, what = verdict
            at += start
            if what == "[[":
                return SyntaxProblem(at, line_of(at), "unexpected EOF while looking for `]]'", what)
            if what == "[[ (":
                return SyntaxProblem(at, line_of(at), "unexpected token `EOF', expected `)'", "(")
            if what == "[[ term":
                return SyntaxProblem(at, _end_line(text), "unexpected token `EOF' in conditional command", "[[")
            return SyntaxProblem(at, _end_line(text), "syntax error: unexpected end of file", what)
        _, at, message, where = verdict
        at += start
        if where == "end":  # (a `$(` never closed)
            return SyntaxProblem(at, _end_line(text), message, "$(")
        if message.endswith("`('") and "extglob" in text:
            return "extglob"  # `@(a|b)` is a pattern once `shopt -s extglob` has run
        return SyntaxProblem(at, line_of(at), message)
    return None


def _end_line(text: str) -> int:
    """The line bash names at the end of the file (one past the last line)."""
    return text.count("\n") + (1 if text.endswith("\n") else 2)


def _verdict(text: str, tokens, origin: int, unended: int | None = None) -> tuple:
    """(_VALID,), (_UNSURE, reason), (_MORE, offset, what): bash would read on, the innermost
    construct open is `what` at that offset from `origin` (`if`, `{`, `&&`...), or (_REFUSED,
    offset, message, 'token' or 'end'). `unended`: where bash adds a newline at the end."""
    checker = _Check(text, tokens, unended)
    try:
        checker.units()
    except _Refused as refused:
        return _REFUSED, refused.at - origin, refused.message, refused.where
    except _End:
        at, what = checker.open[-1] if checker.open else (origin, "")
        return _MORE, at - origin, what
    except _Unsure as unsure:
        return _UNSURE, unsure.args[0] if unsure.args else "unsure"
    except RecursionError:
        return _UNSURE, "nesting"
    return (_VALID,)


class _Unsure(Exception):
    """A construct this module does not follow as closely as bash."""


class _End(Exception):
    """The tokens ended where bash needs more."""


class _Refused(Exception):
    def __init__(self, at: int, message: str, where: str = "token"):
        super().__init__(message)
        self.at = at
        self.message = message
        self.where = where


class _Tok:
    __slots__ = ("kind", "text", "start", "end", "open", "array", "line_at", "after_bodies")

    def __init__(self, kind: str, text: str, start: int, end: int, open: bool = False,
                 array: bool = False):
        self.kind = kind  # WORD, OP, NEWLINE, or "fd" (a number or {name} glued to a redirect)
        self.text = text
        self.start = start
        self.end = end
        self.open = open  # an unterminated word
        self.array = array  # `name=(...)`
        # the offset whose line bash names when it refuses this token (a newline is read with
        # the here-document bodies it starts; None: bash's count is not followed)
        self.line_at: int | None = start if kind != WORD else end - 1
        self.after_bodies: int | None = None  # the same once bash has read the line's bodies


def _tokens(tokens, unended: int | None) -> list[_Tok]:
    """The lexer's tokens as bash's: here-document bodies dropped (read with their line),
    words glued to each other (`a<(b)`) joined, file descriptors marked, the newline bash
    adds at the end of an unended file (at `unended`) added."""
    out: list[_Tok] = []
    for tok in tokens:
        kind = tok.kind
        if kind == HEREDOC:
            if out and out[-1].kind == NEWLINE:
                out[-1].line_at = tok.end - 1
            continue
        if kind == WORD and out and out[-1].kind == WORD and out[-1].end == tok.start:
            last = out[-1]
            last.text += tok.text
            last.end = tok.end
            last.open = last.open or tok.unterminated
            continue
        if kind == OP and tok.text in _REDIRECTS and out and out[-1].kind == WORD \
                and out[-1].end == tok.start and _FD.fullmatch(out[-1].text):
            out[-1].kind = "fd"
        out.append(_Tok(kind, tok.text, tok.start, tok.end, kind == WORD and tok.unterminated,
                        kind == WORD and tok.array is not None))
    if unended is not None:
        out.append(_Tok(NEWLINE, "\n", unended, unended))
    # bash reads the bodies of the here-documents a line opens as soon as the command before
    # them is complete: an error after that, on that line, is named at the end of the last body
    line_start = 0
    for k in range(len(out) + 1):
        tok = out[k] if k < len(out) else None
        if tok is not None and tok.kind != NEWLINE:
            continue
        if tok is None or tok.line_at != tok.start:  # (from the first `<<WORD` on: the body is known)
            heredoc = next((j for j in range(line_start, k - 1) if out[j].kind == OP
                            and out[j].text in ("<<", "<<-") and out[j + 1].kind == WORD), k)
            for j in range(heredoc + 2, k):
                if tok is None:  # a word swallowed the body (`x=(` on that line): not followed
                    out[j].line_at = None
                else:
                    out[j].after_bodies = tok.line_at
        line_start = k + 1
    return out


class _Check:
    def __init__(self, text: str, tokens, unended: int | None = None):
        self.text = text  # the text the tokens' offsets are in
        self.t = _tokens(tokens, unended)
        self.n = len(self.t)
        self.i = 0
        self.last = ""  # what the last token was to bash: a keyword, an operator, "word"...
        self.before = ""  # and the one before it
        self.open: list[tuple[int, str]] = []  # constructs being read: (offset, `if`, `{`, `&&`...)
        self.opening = -1  # where the `[[` being read starts (-1: none)
        self.command_word: str | None = None  # in a simple command: its command word ('' before it)

    # -- tokens -------------------------------------------------------------------------------

    def peek(self) -> _Tok:
        if self.i >= self.n:
            raise _End
        tok = self.t[self.i]
        if tok.array:
            self.compound_assignment(tok)
        if tok.open:
            self.unterminated(tok)
        return tok

    def compound_assignment(self, tok: _Tok) -> None:
        """`name=(...)`: bash reads the list where an assignment may be (at the start of a
        command, or as an argument of `declare`...); elsewhere the `(` is unexpected."""
        paren = tok.text.index("(")
        word = self.command_word
        if self.opening >= 0:
            raise _Unsure("conditional")  # in `[[ ]]`: bash's conditional grammar says what is wrong
        if not word and self.last in _ASSIGNMENT_AFTER or word in _ASSIGNMENT_BUILTINS:
            body = tok.text[paren + 1:] if tok.open else tok.text[paren + 1:-1]
            for inner in lex(body).tokens:  # words only: bash refuses the first operator
                if inner.unterminated:
                    raise _Unsure("array")
                if inner.kind == OP or inner.array is not None:  # (no array in an array)
                    at = inner.start if inner.kind == OP else inner.array[0]
                    raise _Refused(tok.start + paren + 1 + at,
                                   f"syntax error near unexpected token `{'(' if inner.array else inner.text}'")
            return
        if word in ("alias", "let") or self.last == "function" or tok.line_at is None:
            raise _Unsure("array")
        # (to bash, the word ends before the `(`: a complete command when the here-documents
        # of the line are read)
        at = tok.after_bodies if tok.after_bodies is not None and not self.open else tok.start + paren
        self.refuse(tok, "syntax error near unexpected token `('", at)

    def at_end(self) -> bool:
        return self.i >= self.n

    def take(self, role: str = "word") -> _Tok:
        tok = self.peek()
        self.i += 1
        self.before, self.last = self.last, role
        if tok.kind == WORD:
            self.words_inside(tok)
        return tok

    def take_op(self) -> _Tok:
        return self.take(self.peek().text if self.peek().kind != NEWLINE else "\n")

    def refuse(self, tok: _Tok, message: str = "", at: int | None = -1):
        """bash refuses `tok` here: with `message` (default: the parser's own), on the line
        of `at` (default: the token's)."""
        if at == -1:
            at = tok.line_at
            if tok.after_bodies is not None and not self.open \
                    and self.last not in _REDIRECTS and self.last not in ("!", "time", "-p", "--"):
                at = tok.after_bodies
        if at is None:
            raise _Unsure("here-document")  # (after a here-document left open)
        if tok.kind == WORD:
            self.words_inside(tok)  # (bash reads a whole word, $(...) included, before refusing it)
            if not message and _SUBSTITUTION.search(tok.text):
                raise _Unsure("substitution")  # bash shows the word rebuilt from what it parsed
        if not message and self.is_op(tok, "(") and self.last in _KEYWORD_AFTER and self.i + 1 < self.n \
                and self.is_op(self.t[self.i + 1], "(") and self.t[self.i + 1].start == tok.end:
            raise _Unsure("arithmetic")  # bash reads `((...))` here, and names it whole
        raise _Refused(at, message or f"syntax error near unexpected token `{_shown(tok)}'")

    def keyword(self, tok: _Tok) -> str:
        """The keyword `tok` is to bash here, or ''."""
        if tok.kind != WORD or tok.text not in _RESERVED:
            return ""
        last = self.last
        if tok.text == "time":
            return "time" if last in _TIME_AFTER else ""
        if last in _KEYWORD_AFTER or last == "word" and self.before in ("function", "coproc"):
            return tok.text
        return ""

    def is_op(self, tok: _Tok, *texts: str) -> bool:
        return tok.kind == OP and tok.text in texts

    def newlines(self) -> None:
        while self.i < self.n and self.t[self.i].kind == NEWLINE:
            self.take("\n")

    def expect(self, word: str) -> None:
        tok = self.peek()
        if self.keyword(tok) != word:
            self.refuse(tok)
        self.take(word)

    # -- lexical errors and what is inside words ----------------------------------------------

    def unterminated(self, tok: _Tok) -> None:
        """bash reached the end of the file inside this word: the quote or substitution it
        names (the innermost), on the line where a quote opened, at the end for `$(`."""
        opened, what = left_open(tok.text)
        if what in ("'", '"', "`", "$'", "}", "]"):
            raise _Refused(tok.start + opened, f"unexpected EOF while looking for matching `{what[-1]}'")
        if what == ")" and tok.array and opened == tok.text.index("("):  # (its words: compound_assignment)
            raise _Refused(tok.start + opened, "unexpected EOF while looking for matching `)'")  # x=( a b
        if what == ")" and tok.text.startswith("$((", opened - 1):
            # bash looks for the `))` of arithmetic first, even past a `)`: its line, not the end
            raise _Refused(tok.start + opened, "unexpected EOF while looking for matching `)'")
        inner = tok.text[opened + 1:]
        if what == ")" and tok.text.startswith("$(", opened - 1) and "<<" not in tok.text \
                and _verdict(inner, lex(inner).tokens, 0) == (_VALID,):
            # (bash reads the commands in it first: an error there would come before)
            raise _Refused(tok.start + opened - 1, "unexpected EOF while looking for matching `)'", "end")
        raise _Unsure("substitution")

    def words_inside(self, tok: _Tok) -> None:
        """bash parses the commands of `$(...)` and `<(...)` as it reads the word: they must
        be valid (if not, say nothing: the message would be the nested parser's)."""
        text = tok.text
        if "(" not in text or not ("$(" in text or "<(" in text or ">(" in text):
            return
        for _, inner in command_substitutions(text):
            lexed = lex(inner)
            if lexed.unterminated:
                raise _Unsure("substitution")
            checker = _Check(inner, lexed.tokens)
            try:
                checker.units()
            except (_Refused, _End):
                raise _Unsure("substitution") from None

    # -- grammar ------------------------------------------------------------------------------

    def units(self) -> None:
        """Complete commands, each ended by a newline (or the end of the tokens)."""
        while True:
            self.newlines()
            if self.at_end():
                return
            self.simple_list()
            if self.at_end():
                return
            tok = self.peek()
            if tok.kind != NEWLINE:
                self.refuse(tok)

    def simple_list(self) -> None:
        self.pipeline_command()
        while not self.at_end():
            tok = self.peek()
            if self.is_op(tok, "&&", "||"):
                self.continued(self.pipeline_command)
            elif self.is_op(tok, ";", "&"):
                self.take_op()
                if self.at_end() or self.peek().kind == NEWLINE:
                    return
                self.pipeline_command()
            else:
                return

    def compound_list(self) -> None:
        """Commands up to a token that cannot start one (the caller checks it is its own)."""
        self.newlines()
        self.pipeline_command()
        while True:
            tok = self.peek()
            if self.is_op(tok, "&&", "||"):
                self.continued(self.pipeline_command)
            elif tok.kind == NEWLINE or self.is_op(tok, ";", "&"):
                self.take_op()
                self.newlines()
                if not self.starts_command(self.peek()):
                    return
                self.pipeline_command()
            else:
                return

    def starts_command(self, tok: _Tok) -> bool:
        if tok.kind == OP:
            return tok.text == "(" or tok.text in _REDIRECTS
        if tok.kind == "fd":
            return True
        keyword = self.keyword(tok)
        return not keyword or keyword in ("if", "case", "for", "select", "while", "until", "{", "!",
                                          "time", "[[", "function", "coproc")

    def pipeline_command(self) -> None:
        tok = self.peek()
        keyword = self.keyword(tok)
        if keyword == "!" or keyword == "time":
            self.take(keyword)
            if keyword == "time":
                for option in ("-p", "--"):
                    if not self.at_end() and self.peek().kind == WORD and self.peek().text == option:
                        self.take(option)
                        if option == "-p" and not self.at_end() and self.peek().text == "-p":
                            raise _Unsure("time")
            if self.at_end() or self.peek().kind == NEWLINE or self.is_op(self.peek(), ";"):
                return
            self.pipeline_command()
            return
        self.command()
        while self.i < self.n and self.is_op(self.t[self.i], "|", "|&"):
            self.continued(self.command)

    def continued(self, read) -> None:
        """An `&&`, `||` or `|` and the command after it, which may start on a later line."""
        op = self.take_op()
        self.open.append((op.start, op.text))
        self.newlines()
        read()
        self.open.pop()

    def command(self) -> None:
        tok = self.peek()
        if tok.kind == NEWLINE:
            self.refuse(tok)
        if tok.kind == OP:
            if tok.text == "(":
                nxt = self.t[self.i + 1] if self.i + 1 < self.n else None
                if nxt is not None and self.is_op(nxt, "(") and nxt.start == tok.end:
                    self.arithmetic()
                else:
                    self.open.append((tok.start, "("))
                    self.take("(")
                    self.compound_list()
                    close = self.peek()
                    if not self.is_op(close, ")"):
                        self.refuse(close)
                    self.take(")")
                    self.open.pop()
                self.redirects()
                return
            if tok.text in _REDIRECTS:
                self.simple_command()
                return
            self.refuse(tok)
        keyword = self.keyword(tok)
        if keyword:
            reader = {"if": self.if_clause, "for": self.for_clause, "select": self.for_clause,
                      "while": self.loop, "until": self.loop, "case": self.case_clause,
                      "{": self.group, "[[": self.conditional, "function": self.function}.get(keyword)
            if reader is None:
                if keyword == "coproc":
                    raise _Unsure("coproc")
                self.refuse(tok)
            self.open.append((tok.start, keyword))
            reader()
            self.open.pop()
            if keyword != "function":
                self.redirects()
            return
        if tok.kind == WORD:
            nxt = self.t[self.i + 1] if self.i + 1 < self.n else None
            if nxt is not None and self.is_op(nxt, "(") and not _ASSIGNMENT.match(tok.text):
                self.open.append((tok.start, "function"))
                self.function()
                self.open.pop()
                return
        self.simple_command()

    def redirects(self) -> None:
        while not self.at_end() and (self.peek().kind == "fd" or self.is_op(self.peek(), *_REDIRECTS)):
            self.redirect()

    def redirect(self) -> None:
        tok = self.peek()
        if tok.kind == "fd":
            self.take()
        op = self.take_op()
        if op.text in ("<<", "<<-") and self.i < self.n and self.t[self.i].array:
            raise _Unsure("here-document")  # `<<x=(`: bash's delimiter is `x=`, the lexer's not
        target = self.peek()
        if target.kind != WORD:
            self.refuse(target)
        self.take()
        if op.text in ("<<", "<<-") and "$" in target.text:
            raise _Unsure("here-document")  # (bash's reading of such a delimiter is its own)

    def simple_command(self) -> None:
        self.command_word = ""
        while not self.at_end():
            tok = self.peek()
            if tok.kind == "fd" or self.is_op(tok, *_REDIRECTS):
                self.redirect()
            elif tok.kind == WORD:
                assignment = not self.command_word and _ASSIGNMENT.match(tok.text)
                if not assignment and not self.command_word:
                    self.command_word = tok.text
                self.take("assignment" if assignment else "word")
            else:
                break
        self.command_word = None

    # -- compound commands --------------------------------------------------------------------

    def if_clause(self) -> None:
        self.take("if")
        self.compound_list()
        self.expect("then")
        self.compound_list()
        while True:
            tok = self.peek()
            keyword = self.keyword(tok)
            if keyword == "elif":
                self.take("elif")
                self.compound_list()
                self.expect("then")
                self.compound_list()
            elif keyword == "else":
                self.take("else")
                self.compound_list()
                self.expect("fi")
                return
            elif keyword == "fi":
                self.take("fi")
                return
            else:
                self.refuse(tok)

    def loop(self) -> None:
        self.take(self.peek().text)
        self.compound_list()
        self.expect("do")
        self.compound_list()
        self.expect("done")

    def group(self) -> None:
        self.take("{")
        self.compound_list()
        self.expect("}")

    def for_clause(self) -> None:
        keyword = self.take(self.peek().text).text
        tok = self.peek()
        if keyword == "for" and self.is_op(tok, "("):
            self.arithmetic(for_header=True)
            if self.is_op(self.peek(), ";"):
                self.take(";")
            self.newlines()
            self.loop_body(("do", "{"))
            return
        if tok.kind != WORD:
            self.refuse(tok)
        self.take()  # (any word: bash checks the name when it runs the loop)
        tok = self.peek()
        if tok.kind == WORD and tok.text == "do":  # `for x do`
            self.loop_body(("do",))
            return
        if self.is_op(tok, ";"):
            self.take(";")
            self.newlines()
            self.loop_body()
            return
        self.newlines()
        tok = self.peek()
        if tok.kind == WORD and tok.text == "in":
            self.take("in")
            while True:
                tok = self.peek()
                if tok.kind != WORD:
                    break
                self.take()
            if not (tok.kind == NEWLINE or self.is_op(tok, ";")):
                self.refuse(tok)
            self.take_op()
            self.newlines()
        self.loop_body()

    def loop_body(self, also: tuple[str, ...] = ()) -> None:
        """`do ... done` or `{ ... }`; `also`: the words bash takes as keywords here even
        where it would not elsewhere (`for x do`, `for ((...)) {`)."""
        tok = self.peek()
        keyword = tok.text if tok.kind == WORD and tok.text in also else self.keyword(tok)
        if keyword == "do":
            self.take("do")
            self.compound_list()
            self.expect("done")
        elif keyword == "{":
            self.group()
        else:
            self.refuse(tok)

    def arithmetic(self, for_header: bool = False) -> None:
        """`(( ... ))` (or the one of `for ((...))`): bash reads up to the matching `))`."""
        depth, k = 0, self.i
        first = self.t[self.i]
        if not (self.i + 1 < self.n and self.is_op(self.t[self.i + 1], "(")
                and self.t[self.i + 1].start == first.end):
            raise _Unsure("arithmetic")
        rest = self.text[first.end:]
        if not any(c in rest for c in ")'\"`") and "<<" not in rest:  # (read as characters, to the end)
            raise _Refused(first.line_at, "unexpected EOF while looking for matching `)'")
        while k < self.n:
            tok = self.t[k]
            if tok.kind == NEWLINE or tok.open or tok.kind == OP and tok.text in ("<<", "<<-"):
                raise _Unsure("arithmetic")
            if self.is_op(tok, "("):
                depth += 1
            elif self.is_op(tok, ")"):
                depth -= 1
                if depth == 0:
                    break
            k += 1
        else:
            raise _Unsure("arithmetic")
        if not (self.is_op(self.t[k - 1], ")") and self.t[k - 1].end == self.t[k].start and k - 1 > self.i + 1):
            raise _Unsure("arithmetic")
        if for_header and sum(1 for tok in self.t[self.i:k] if self.is_op(tok, ";")) != 2:
            raise _Unsure("arithmetic")
        self.i = k + 1
        self.before, self.last = self.last, "((" if not for_header else "for(("

    # `[[ ... ]]`: bash's own grammar (parse.y's cond_term), with its own messages

    def conditional(self) -> None:
        opening = self.take("[[")
        self.opening = opening.start
        self.condition_or()
        tok = self.peek()  # (bash: cond_token)
        if not (tok.kind == WORD and tok.text == "]]"):
            message = "syntax error in conditional expression"
            if tok.kind != WORD:
                message += f": unexpected token `{_shown(tok)}'"
            self.refuse(opening, message)
        self.take("]]")
        self.opening = -1

    def condition_or(self) -> None:
        self.condition_term()
        while self.is_op(self.peek(), "&&", "||"):
            self.take_op()
            self.condition_term()

    def condition_skip(self) -> _Tok:
        self.newlines()
        tok = self.peek()
        if tok.kind == "fd" or self.i + 1 < self.n and self.t[self.i + 1].kind == "fd":
            raise _Unsure("conditional")  # (`3>`: how bash's conditional reads it is not followed)
        return tok

    def condition_term(self) -> None:
        self.open.append((self.opening, "[[ term"))  # (at the end here, bash's message differs)
        tok = self.condition_skip()
        self.open.pop()
        if tok.kind == WORD and tok.text == "]]":
            raise _Unsure("conditional")  # (bash gives up without a message)
        if self.is_op(tok, "("):
            self.take("(")
            self.open.append((tok.start, "[[ ("))
            self.condition_or()
            close = self.peek()
            self.open.pop()
            if not self.is_op(close, ")"):
                self.refuse(tok, "expected `)'" if close.kind == WORD and close.text != "]]"
                               else f"unexpected token `{_shown(close)}', expected `)'")
            self.take(")")
            self.condition_skip()
            return
        if tok.kind == WORD and tok.text == "!":
            self.take("!")
            self.condition_term()
            return
        if tok.kind != WORD:
            self.refuse(tok, f"unexpected token `{_shown(tok)}' in conditional command")
        self.take("operand")
        nxt = self.peek()
        if nxt.kind == "fd":
            raise _Unsure("conditional")
        if tok.text in _UNARY:
            if nxt.kind != WORD or nxt.text == "]]":
                self.refuse(nxt, f"unexpected argument `{_shown(nxt)}' to conditional unary operator")
            self.take("operand")
            self.condition_skip()
            return
        if nxt.kind == WORD and nxt.text == "=~":
            raise _Unsure("conditional")  # a regular expression: bash reads it its own way
        if nxt.kind == WORD and nxt.text in _BINARY or self.is_op(nxt, "<", ">"):
            self.take("operator")
            rhs = self.peek()
            if rhs.kind != WORD or rhs.text == "]]":
                if nxt.text in ("=", "==", "!=") and self.is_op(rhs, "("):
                    raise _Unsure("conditional")  # an extended pattern, read as one word
                self.refuse(rhs, f"unexpected argument `{_shown(rhs)}' to conditional binary operator")
            self.take("operand")
            if self.i < self.n and self.is_op(self.t[self.i], "(") and self.t[self.i].start == rhs.end:
                raise _Unsure("conditional")  # `@(a|b)`: idem
            self.condition_skip()
            return
        if nxt.kind == WORD and nxt.text == "]]" or self.is_op(nxt, "&&", "||", ")"):
            return  # `[[ x ]]` tests that x is not empty
        if nxt.kind == WORD:
            self.refuse(nxt, "conditional binary operator expected")
        self.refuse(nxt, f"unexpected token `{_shown(nxt)}', conditional binary operator expected")

    def case_clause(self) -> None:
        self.take("case")
        tok = self.peek()
        if tok.kind != WORD:
            self.refuse(tok)
        self.take()
        self.newlines()
        tok = self.peek()
        if not (tok.kind == WORD and tok.text == "in"):
            self.refuse(tok)
        self.take("in")
        while True:
            self.newlines()
            tok = self.peek()
            if tok.kind == WORD and tok.text == "esac":
                self.take("esac")
                return
            if self.is_op(tok, "("):
                self.take("(")
                tok = self.peek()
                if tok.kind == WORD and tok.text == "esac":
                    raise _Unsure("case pattern")
            while True:  # pattern | pattern ... )
                if tok.kind != WORD:
                    self.refuse(tok)
                if "(" in tok.text:
                    raise _Unsure("case pattern")
                self.take("pattern")
                tok = self.peek()
                if self.is_op(tok, "|"):
                    self.take("|")
                    tok = self.peek()
                    continue
                if not self.is_op(tok, ")"):
                    self.refuse(tok)
                self.take(")")
                break
            self.newlines()
            tok = self.peek()
            if self.starts_command(tok):
                self.compound_list()
                tok = self.peek()
            if self.is_op(tok, ";;", ";&", ";;&"):
                self.take(";;")
                continue
            if self.keyword(tok) == "esac":
                self.take("esac")
                return
            self.refuse(tok)

    def function(self) -> None:
        """`function name [()] body` or `name () body`: the body, after any newlines, is a
        compound command."""
        keyword = self.keyword(self.peek()) == "function"
        if keyword:
            self.take("function")
        name = self.peek()
        if name.kind != WORD:
            self.refuse(name)
        if not _plain(name.text):
            raise _Unsure("function name")
        self.take()
        if not keyword or self.is_op(self.peek(), "("):
            self.take("(")
            close = self.peek()
            if not self.is_op(close, ")"):
                self.refuse(close)
            self.take(")")
        self.newlines()
        tok = self.peek()
        if self.keyword(tok) in ("{", "if", "case", "for", "select", "while", "until", "[[") \
                or self.is_op(tok, "("):
            self.command()
        else:
            self.refuse(tok)


def _shown(tok: _Tok) -> str:
    return "newline" if tok.kind == NEWLINE else tok.text


def _plain(name: str) -> bool:
    """A function name with nothing bash could read in another way."""
    return not any(c in name for c in "$`'\"\\=[]{}*?!~") and bool(name)
