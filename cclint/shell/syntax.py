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

import re

from cclint.record import Record
from cclint.shell.lexer import HEREDOC, NEWLINE, OP, WORD, Statement, _Lexer, lex
from cclint.shell.memo import TextMemo

_RESERVED = frozenset({"if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while",
                       "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]",
                       "coproc"})
# After these (bash's reserved_word_acceptable), a word in command position may be a keyword.
_KEYWORD_AFTER = frozenset({"", "\n", ";", "(", ")", "|", "&", "{", "}", "&&", "!", "|&", "do", "done",
                            "elif", "else", "esac", "fi", "if", "||", ";;", ";&", ";;&", "then", "time",
                            "-p", "--", "until", "while", "((", "]]"})
# ... and after these, `time` is one (time_command_acceptable).
_TIME_AFTER = frozenset({"", "\n", ";", "&&", "||", "&", "while", "do", "until", "if", "then", "elif",
                         "else", "{", "(", ")", "!", "time", "-p", "--"})
_REDIRECTS = frozenset({"<", ">", ">>", "<>", ">|", "&>", "&>>", "<<<", ">&", "<&", "<<", "<<-"})
_SEPARATORS = frozenset({";", "&", "\n"})
_FD = re.compile(r"[0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\}")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# `[[ ... ]]`: the operators bash's conditional grammar knows.
_UNARY = frozenset("-a -b -c -d -e -f -g -h -k -p -r -s -t -u -w -x -G -L -N -O -S -o -v -R -z -n".split())
_BINARY = frozenset("= == != < > -eq -ne -lt -le -gt -ge -nt -ot -ef".split())

_VERDICTS = TextMemo(entries=8192, longest=4000)  # statement text -> verdict (see `_verdict`)
_VALID, _UNSURE, _MORE = "valid", "unsure", "more"


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


def first_error(text: str, statements: list[Statement], line_of) -> SyntaxProblem | None:
    """bash's first syntax error in `text`, whose top-level statements these are; None if
    bash accepts it or this module is unsure. `line_of(offset)` gives a line number."""
    if "expand_aliases" in text:
        return None  # an alias may stand for any text
    k, count = 0, len(statements)
    while k < count:
        stmt = statements[k]
        start, end = stmt.start, stmt.end
        verdict = _VERDICTS.get(text[start:end])
        if verdict is None:
            verdict = _verdict(stmt.tokens, start)
            _VERDICTS.remember(text[start:end], verdict, text[start:end])
        tokens = None
        while isinstance(verdict, tuple) and verdict[0] == _MORE and k + 1 < count:  # bash reads on: so does the check
            tokens = (tokens or list(stmt.tokens)) + statements[k + 1].tokens
            k += 1
            verdict = _verdict(tokens, start)
        if verdict == _VALID:
            k += 1
            continue
        if verdict == _UNSURE:
            return None
        if isinstance(verdict, tuple) and verdict[0] == _MORE:
            _, at, what = verdict
            return SyntaxProblem(start + at, _end_line(text), "syntax error: unexpected end of file", what)
        at, message, where = verdict
        if where == "end":  # (a `$(` never closed)
            return SyntaxProblem(start + at, _end_line(text), message, "$(")
        if message.endswith("`('") and "extglob" in text:
            return None  # `@(a|b)` is a pattern once `shopt -s extglob` has run
        return SyntaxProblem(start + at, line_of(start + at), message)
    return None


def _end_line(text: str) -> int:
    """The line bash names at the end of the file (one past the last line)."""
    return text.count("\n") + (1 if text.endswith("\n") else 2)


def _verdict(tokens, origin: int):
    """_VALID, _UNSURE, (_MORE, offset, what): bash would read on, the innermost construct
    open is `what` at that offset from `origin` (`if`, `{`, `&&`...), or (offset, message,
    'token' or 'end'): refused there."""
    checker = _Check(tokens)
    try:
        checker.units()
    except _Refused as refused:
        return refused.at - origin, refused.message, refused.where
    except _End:
        at, what = checker.open[-1] if checker.open else (origin, "")
        return _MORE, at - origin, what
    except (_Unsure, RecursionError):
        return _UNSURE
    return _VALID


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
    __slots__ = ("kind", "text", "start", "end", "open")

    def __init__(self, kind: str, text: str, start: int, end: int, open: bool):
        self.kind = kind  # WORD, OP, NEWLINE, or "fd" (a number or {name} glued to a redirect)
        self.text = text
        self.start = start
        self.end = end
        self.open = open  # an unterminated word


def _tokens(tokens) -> list[_Tok]:
    """The lexer's tokens as bash's: here-document bodies dropped (read with their line),
    words glued to each other (`a<(b)`) joined, file descriptors marked."""
    out: list[_Tok] = []
    for tok in tokens:
        kind = tok.kind
        if kind == HEREDOC:
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
        out.append(_Tok(kind, tok.text, tok.start, tok.end, kind == WORD and tok.unterminated))
    return out


class _Check:
    def __init__(self, tokens):
        self.t = _tokens(tokens)
        self.n = len(self.t)
        self.i = 0
        self.last = ""  # what the last token was to bash: a keyword, an operator, "word"...
        self.before = ""  # and the one before it
        self.open: list[tuple[int, str]] = []  # constructs being read: (offset, `if`, `{`, `&&`...)

    # -- tokens -------------------------------------------------------------------------------

    def peek(self) -> _Tok:
        if self.i >= self.n:
            raise _End
        tok = self.t[self.i]
        if tok.open:
            self.unterminated(tok)
        return tok

    def at_end(self) -> bool:
        return self.i >= self.n

    def take(self, role: str = "word") -> _Tok:
        tok = self.peek()
        self.i += 1
        self.before, self.last = self.last, role
        if tok.kind == WORD and role == "word":
            self.words_inside(tok)
        return tok

    def take_op(self) -> _Tok:
        return self.take(self.peek().text if self.peek().kind != NEWLINE else "\n")

    def refuse(self, tok: _Tok):
        shown = "newline" if tok.kind == NEWLINE else tok.text
        raise _Refused(tok.start if tok.kind != WORD else tok.end - 1,
                       f"syntax error near unexpected token `{shown}'")

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
        lexer = _Lexer(tok.text)
        lexer._word()
        opened, what = lexer.unterminated[0] if lexer.unterminated else (0, "")
        if what in ("'", '"', "`", "$'", "}"):
            raise _Refused(tok.start + opened, f"unexpected EOF while looking for matching `{what[-1]}'")
        if what == ")" and tok.text.startswith("$(", opened - 1) and not tok.text.startswith("$((", opened - 1) \
                and "<<" not in tok.text:
            raise _Refused(tok.start + opened - 1, "unexpected EOF while looking for matching `)'", "end")
        raise _Unsure

    def words_inside(self, tok: _Tok) -> None:
        """bash parses the commands of `$(...)` and `<(...)` as it reads the word: they must
        be valid (if not, say nothing: the message would be the nested parser's)."""
        text = tok.text
        if "(" not in text or not ("$(" in text or "<(" in text or ">(" in text):
            return
        for inner in _substitutions(text):
            lexed = lex(inner)
            if lexed.unterminated:
                raise _Unsure
            checker = _Check(lexed.tokens)
            try:
                checker.units()
            except (_Refused, _End):
                raise _Unsure from None

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
                            raise _Unsure
            if self.at_end() or self.peek().kind == NEWLINE or self.is_op(self.peek(), ";"):
                return
            self.pipeline_command()
            return
        self.command()
        while self.is_op(self.t[self.i], "|", "|&") if self.i < self.n else False:
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
                    raise _Unsure
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
                self.function_definition()
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
        target = self.peek()
        if target.kind != WORD:
            self.refuse(target)
        self.take()
        if op.text in ("<<", "<<-") and "$" in target.text:
            raise _Unsure  # (bash's reading of such a delimiter is its own)

    def simple_command(self) -> None:
        command_word = False
        while not self.at_end():
            tok = self.peek()
            if tok.kind == "fd" or self.is_op(tok, *_REDIRECTS):
                self.redirect()
            elif tok.kind == WORD:
                assignment = _ASSIGNMENT.match(tok.text)
                if command_word and assignment and tok.text.startswith("(", assignment.end()):
                    raise _Unsure  # `declare a=(1 2)` is fine, `echo a=(1)` is not, `eval a=(1)` is
                if not command_word and not assignment:
                    command_word = True
                self.take()
            else:
                return

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
        if not _NAME.match(tok.text):
            raise _Unsure  # bash checks the name when it runs the loop
        self.take()
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
        if not (self.i + 1 < self.n and self.is_op(self.t[self.i + 1], "(")
                and self.t[self.i + 1].start == self.t[self.i].end):
            raise _Unsure
        while k < self.n:
            tok = self.t[k]
            if tok.kind == NEWLINE or tok.open or tok.kind == OP and tok.text in ("<<", "<<-"):
                raise _Unsure
            if self.is_op(tok, "("):
                depth += 1
            elif self.is_op(tok, ")"):
                depth -= 1
                if depth == 0:
                    break
            k += 1
        else:
            raise _Unsure
        if not (self.is_op(self.t[k - 1], ")") and self.t[k - 1].end == self.t[k].start and k - 1 > self.i + 1):
            raise _Unsure
        if for_header and sum(1 for tok in self.t[self.i:k] if self.is_op(tok, ";")) != 2:
            raise _Unsure
        self.i = k + 1
        self.before, self.last = self.last, "((" if not for_header else "for(("

    def conditional(self) -> None:
        """`[[ ... ]]`: read when it is the plain grammar of tests; otherwise unsure."""
        self.take("[[")
        self.condition_or()
        tok = self.peek()
        if not (tok.kind == WORD and tok.text == "]]"):
            raise _Unsure
        self.take("]]")

    def condition_or(self) -> None:
        self.condition_term()
        while self.is_op(self.peek(), "&&", "||"):
            self.take_op()
            self.condition_term()

    def condition_term(self) -> None:
        tok = self.peek()
        if self.is_op(tok, "("):
            self.take("(")
            self.condition_or()
            if not self.is_op(self.peek(), ")"):
                raise _Unsure
            self.take(")")
            return
        if tok.kind != WORD or tok.text == "]]":
            raise _Unsure
        if tok.text == "!":
            self.take("!")
            self.condition_term()
            return
        self.take()
        nxt = self.peek()
        if tok.text in _UNARY and nxt.kind == WORD and nxt.text != "]]":
            self.take()
            return
        if nxt.kind == WORD and nxt.text in _BINARY or self.is_op(nxt, "<", ">"):
            self.take("op")
            if self.peek().kind != WORD or self.peek().text == "]]":
                raise _Unsure
            self.take()
            return
        if nxt.kind == WORD and nxt.text == "=~":
            raise _Unsure  # a regular expression: bash reads it its own way

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
                    raise _Unsure
            while True:  # pattern | pattern ... )
                if tok.kind != WORD:
                    self.refuse(tok)
                if "(" in tok.text:
                    raise _Unsure
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
        self.take("function")
        name = self.peek()
        if name.kind != WORD:
            self.refuse(name)
        if name.text in _RESERVED or not _plain(name.text):
            raise _Unsure
        self.take()
        if self.is_op(self.peek(), "("):
            self.take("(")
            close = self.peek()
            if not self.is_op(close, ")"):
                self.refuse(close)
            self.take(")")
        self.function_body()

    def function_definition(self) -> None:
        name = self.peek()
        if not _plain(name.text):
            raise _Unsure
        self.take()
        self.take("(")
        close = self.peek()
        if not self.is_op(close, ")"):
            self.refuse(close)
        self.take(")")
        self.function_body()

    def function_body(self) -> None:
        self.newlines()
        tok = self.peek()
        keyword = self.keyword(tok)
        if keyword in ("{", "if", "case", "for", "select", "while", "until", "[["):
            self.command()
        elif self.is_op(tok, "("):
            self.command()
        else:
            self.refuse(tok)


def _plain(name: str) -> bool:
    """A function name with nothing bash could read in another way."""
    return not any(c in name for c in "$`'\"\\=[]{}*?!~") and bool(name)


def _substitutions(text: str) -> list[str]:
    """The commands of the `$(...)`, `<(...)` and `>(...)` in a word (not in single quotes)."""
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
            found.append(text[i + 2:end - 1])
            i = end
        else:
            i += 1
    return found
