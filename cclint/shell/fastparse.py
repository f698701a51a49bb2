"""A small reader for the shell most job scripts are made of, giving bashlex's tree shapes.

bashlex costs 0.3 to 1 ms a statement, more than everything else cclint does to a script.
This reader covers the common grammar: simple commands (assignments, words, redirects,
here-documents, `$(...)`, backticks, `<(...)`), pipelines (`!`, `|`, `|&`), lists (`;`, `&`,
`&&`, `||`), `if`, `for ... in`, `while`, `until`, `{ }`, `( )` and function definitions.
It reads the *masked* statement, exactly the text bashlex would get (so `case`, `[[`,
`$((...))`, arrays and `for ((...))` arrive already rewritten), and builds nodes with the
attributes `parse._Converter` reads. Anything else, or anything doubtful (a construct
bashlex rejects or reads oddly), returns None and the statement goes to bashlex.
`tests/robustness/test_fast_path.py` checks that both give the same commands.
"""

from __future__ import annotations

from cclint.patterns import lazy
from cclint.shell.lexer import HEREDOC, NEWLINE, OP, WORD, Token, lex

_RESERVED = {"if", "then", "elif", "else", "fi", "case", "esac", "for", "select", "while", "until",
             "do", "done", "in", "function", "time", "coproc", "{", "}", "!", "[[", "]]"}
_REDIRECTS = {"<", ">", ">>", "<>", ">|", "&>", "&>>", "<<<", ">&", "<&", "<<", "<<-"}
_OPENERS = {"", "if", "for", "while", "until", "{"}  # token roles this reader handles itself
_LIST_OPS = {";", "&"}
_ANDOR = {"&&", "||"}
_PIPES = {"|", "|&"}
_ASSIGNMENT = lazy(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_FUNCTION_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_.:-]*\Z")
# Word contents whose bashlex reading is odd or an error: $[..], $((..)), a nested `<(`.
_ODD = lazy(r"\$\[|\$\(\(|.[<>]\(")
_SUBSTITUTION = lazy(r"\$[(\[]|`|[<>]\(")


class Node:
    """A bashlex-shaped node: only the attributes `parse._Converter` reads."""

    __slots__ = ("kind", "pos", "parts", "list", "redirects", "word", "op", "name", "body",
                 "type", "input", "output", "command")

    def __init__(self, kind: str, pos: tuple[int, int], parts=(), list=(), redirects=(), word=None,
                 op=None, name=None, body=None, type=None, input=None, output=None, command=None):
        self.kind = kind
        self.pos = pos
        self.parts = parts
        self.list = list
        self.redirects = redirects
        self.word = word
        self.op = op
        self.name = name
        self.body = body
        self.type = type
        self.input = input
        self.output = output
        self.command = command


class _Unsure(Exception):
    """The statement is outside what this reader is sure to read as bashlex does."""


def parse(tokens: list[Token], origin: int = 0, depth: int = 0) -> list[Node] | None:
    """bashlex.parse() of the statement whose tokens these are (positions minus `origin`)."""
    try:
        reader = _Reader(tokens, origin, depth)
        tree = reader.top()
    except (_Unsure, RecursionError):
        return None
    return [tree]


def parse_text(text: str) -> list[Node] | None:
    """The same for a statement given as text (the masked statement)."""
    return parse(lex(text).tokens)


class _Reader:
    def __init__(self, tokens: list[Token], origin: int, depth: int):
        self.t = tokens
        self.n = len(tokens)
        self.i = 0
        self.origin = origin
        self.depth = depth
        self.heredocs: list[Node] = []  # here-document redirects waiting for their body
        self.inside = 0  # compound commands being read

    # -- tokens -----------------------------------------------------------------------------

    def peek(self) -> Token | None:
        return self.t[self.i] if self.i < self.n else None

    def at(self, kind: str, *texts: str) -> bool:
        if self.i >= self.n:
            return False
        tok = self.t[self.i]
        return tok.kind == kind and (not texts or tok.text in texts)

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise _Unsure
        self.i += 1
        return tok

    def expect_word(self, text: str) -> Token:
        if not self.at(WORD, text):
            raise _Unsure
        return self.take()

    def pos(self, tok: Token) -> tuple[int, int]:
        return tok.start - self.origin, tok.end - self.origin

    def newlines(self) -> None:
        """Skip line ends, giving each pending here-document its body."""
        while True:
            tok = self.peek()
            if tok is None:
                return
            if tok.kind == NEWLINE:
                self.i += 1
            elif tok.kind == HEREDOC:
                self.heredoc_body(self.take())
            else:
                return

    def heredoc_body(self, tok: Token) -> None:
        if not self.heredocs:
            raise _Unsure
        redirect = self.heredocs.pop(0)
        delimiter = redirect.output.word
        last = tok.text.rsplit("\n", 1)[-1]
        if (last.lstrip("\t") if redirect.type == "<<-" else last) != delimiter:
            raise _Unsure  # delimited by the end of the file: bashlex refuses it
        start, end = self.pos(tok)
        if redirect.pos[1] + 1 == start:  # bashlex stretches a redirect its body follows
            redirect.pos = (redirect.pos[0], end)

    # -- grammar ----------------------------------------------------------------------------

    def top(self) -> Node:
        node = self.compound_list(())
        self.newlines()
        if self.peek() is not None or self.heredocs:
            raise _Unsure
        return node

    def compound_list(self, stops: tuple[str, ...]) -> Node:
        """Commands up to one of the reserved words `stops` (or the end): a flat list."""
        self.newlines()
        parts: list[Node] = []
        while not self.at_stop(stops):
            parts.extend(self.and_or())
            tok = self.peek()
            if tok is not None and tok.kind == OP and tok.text in _LIST_OPS:
                parts.append(Node("operator", self.pos(self.take()), op=tok.text))
                self.newlines()
            elif tok is not None and tok.kind in (NEWLINE, HEREDOC):
                self.newlines()
                if not self.at_stop(stops):
                    parts.append(Node("operator", self.pos(tok), op="\n"))
            else:
                break
        if not parts or not self.at_stop(stops):
            raise _Unsure  # an empty body, or a token that does not belong here
        if len(parts) == 1:
            return parts[0]
        return Node("list", (parts[0].pos[0], parts[-1].pos[1]), parts=parts)

    def at_stop(self, stops: tuple[str, ...]) -> bool:
        tok = self.peek()
        if tok is None:
            return not stops
        if stops == (")",):
            return tok.kind == OP and tok.text == ")"
        return tok.kind == WORD and tok.text in stops

    def and_or(self) -> list[Node]:
        parts = [self.pipeline()]
        while self.at(OP, *_ANDOR):
            tok = self.take()
            parts.append(Node("operator", self.pos(tok), op=tok.text))
            self.newlines()
            parts.append(self.pipeline())
        return parts

    def pipeline(self) -> Node:
        parts: list[Node] = []
        if self.at(WORD, "!"):
            parts.append(Node("reservedword", self.pos(self.take()), word="!"))
        while True:
            parts.append(self.command())
            if not self.at(OP, *_PIPES):
                break
            parts.append(Node("pipe", self.pos(self.take())))
            self.newlines()
        if len(parts) == 1:
            return parts[0]
        return Node("pipeline", (parts[0].pos[0], parts[-1].pos[1]), parts=parts)

    def command(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise _Unsure
        if tok.kind == OP and tok.text == "(":
            nxt = self.t[self.i + 1] if self.i + 1 < len(self.t) else None
            if nxt is not None and nxt.kind == OP and nxt.text == "(" and nxt.start == tok.end:
                raise _Unsure  # (( arithmetic ))
            return self.compound(self.group, "(", ")")
        if tok.kind == WORD:
            text = tok.text
            if text == "if":
                return self.compound(self.if_clause)
            if text == "for":
                return self.compound(self.for_clause)
            if text in ("while", "until"):
                return self.compound(self.loop, text)
            if text == "{":
                return self.compound(self.group, "{", "}")
            if text == "function":
                return self.function(self.take())
            if text in _RESERVED:
                raise _Unsure
            nxt = self.t[self.i + 1] if self.i + 1 < len(self.t) else None
            if nxt is not None and nxt.kind == OP and nxt.text == "(":
                return self.function(None)
        return self.simple()

    # -- compound commands -------------------------------------------------------------------

    def compound(self, read, *args) -> Node:
        self.inside += 1
        node = read(*args)
        self.inside -= 1
        return self.redirected(node)

    def redirected(self, node: Node) -> Node:
        """A compound command with the redirects that follow it, wrapped like bashlex does."""
        redirects = []
        while self.at_redirect():
            redirects.append(self.redirect())
        if node.kind == "compound":
            node.redirects = redirects
            if redirects:
                node.pos = (node.pos[0], redirects[-1].pos[1])
            return node
        end = redirects[-1].pos[1] if redirects else node.pos[1]
        return Node("compound", (node.pos[0], end), list=[node], redirects=redirects)

    def group(self, opener: str, closer: str) -> Node:
        first = self.take()
        body = self.compound_list((closer,))
        last = self.take()
        if closer == ")" and not (last.kind == OP and last.text == ")"):
            raise _Unsure
        return Node("compound", (self.pos(first)[0], self.pos(last)[1]), list=[
            Node("reservedword", self.pos(first), word=opener), body,
            Node("reservedword", self.pos(last), word=closer)])

    def if_clause(self) -> Node:
        first = self.take()
        parts = [self.reserved(first), self.compound_list(("then",)),
                 self.reserved(self.expect_word("then")), self.compound_list(("elif", "else", "fi"))]
        while self.at(WORD, "elif"):
            parts += [self.reserved(self.take()), self.compound_list(("then",)),
                      self.reserved(self.expect_word("then")),
                      self.compound_list(("elif", "else", "fi"))]
        if self.at(WORD, "else"):
            parts += [self.reserved(self.take()), self.compound_list(("fi",))]
        last = self.expect_word("fi")
        parts.append(self.reserved(last))
        return Node("if", (self.pos(first)[0], self.pos(last)[1]), parts=parts)

    def reserved(self, tok: Token) -> Node:
        return Node("reservedword", self.pos(tok), word=tok.text)

    def for_clause(self) -> Node:
        first = self.take()
        var = self.take()
        if var.kind != WORD or not _NAME.match(var.text):
            raise _Unsure
        parts = [self.reserved(first), self.word_node(var)]
        if self.at(WORD, "in"):
            parts.append(self.reserved(self.take()))
            while self.at(WORD) and not self.at_redirect():
                parts.append(self.word_node(self.take()))
        if self.at(OP, ";"):
            parts.append(self.reserved(self.take()))
        self.newlines()
        return self.loop_body(first, "for", parts)

    def loop(self, keyword: str) -> Node:
        first = self.take()
        parts = [Node("reservedword", self.pos(first), word=keyword), self.compound_list(("do",))]
        return self.loop_body(first, keyword, parts)

    def loop_body(self, first: Token, kind: str, parts: list[Node]) -> Node:
        do = self.expect_word("do")
        parts.append(Node("reservedword", self.pos(do), word="do"))
        parts.append(self.compound_list(("done",)))
        done = self.expect_word("done")
        parts.append(Node("reservedword", self.pos(done), word="done"))
        return Node(kind, (self.pos(first)[0], self.pos(done)[1]), parts=parts)

    def function(self, keyword: Token | None) -> Node:
        name = self.take()
        if name.kind != WORD or not _FUNCTION_NAME.match(name.text) or name.text in _RESERVED:
            raise _Unsure
        parens = self.at(OP, "(")
        if parens:
            self.take()
            if not self.at(OP, ")"):
                raise _Unsure
            self.take()
        elif keyword is None:
            raise _Unsure
        self.newlines()
        if self.at(WORD, "{"):
            body = self.compound(self.group, "{", "}")
        elif self.at(OP, "(") and parens:
            body = self.compound(self.group, "(", ")")
        else:
            raise _Unsure
        start = self.pos(keyword if keyword is not None else name)[0]
        return Node("function", (start, body.pos[1]), name=self.word_node(name), body=body)

    # -- simple commands ----------------------------------------------------------------------

    def at_redirect(self) -> bool:
        tok = self.peek()
        if tok is None:
            return False
        if tok.kind == OP:
            return tok.text in _REDIRECTS
        nxt = self.t[self.i + 1] if self.i + 1 < len(self.t) else None
        return (tok.text.isdigit() and nxt is not None and nxt.kind == OP and nxt.start == tok.end
                and nxt.text in _REDIRECTS)

    def redirect(self) -> Node:
        tok = self.take()
        fd = None
        start = self.pos(tok)[0]
        if tok.kind == WORD:
            fd = int(tok.text)
            tok = self.take()
            if tok.text in ("&>", "&>>"):
                raise _Unsure
        if self.at_redirect():
            raise _Unsure  # `> 2>f`: bashlex reads the 2 as a file descriptor, then fails
        target = self.take()
        if target.kind != WORD:
            raise _Unsure
        end = self.pos(target)[1]
        if tok.text in (">&", "<&"):  # bashlex keeps a number or `-`; other targets vary
            if not (target.text.isdigit() or target.text == "-"):
                raise _Unsure
            output = int(target.text) if target.text.isdigit() else "-"
        else:
            output = self.word_node(target)
        node = Node("redirect", (start, end), type=tok.text, input=fd, output=output)
        if tok.text in ("<<", "<<-"):
            if self.inside or self.depth or any(q in target.text for q in "'\"\\$`"):
                raise _Unsure  # in a compound command, bashlex reads the body as commands
            self.heredocs.append(node)
        return node

    def simple(self) -> Node:
        parts: list[Node] = []
        seen_word = seen_redirect = False
        end = 0
        t, n = self.t, self.n
        while self.i < n:  # (tokens read in place: the hottest loop of the reader)
            tok = t[self.i]
            nxt = t[self.i + 1] if self.i + 1 < n else None
            if tok.kind == OP and tok.text in _REDIRECTS or (
                    tok.kind == WORD and nxt is not None and nxt.kind == OP and nxt.start == tok.end
                    and nxt.text in _REDIRECTS and tok.text.isdigit()):  # (at_redirect)
                node = self.redirect()
                seen_redirect = True
            elif tok.kind == WORD:
                self.i += 1
                if nxt is not None and nxt.kind == WORD and nxt.start == tok.end:
                    raise _Unsure  # `a=<(x)`: one word to bashlex, two to the lexer
                text = tok.text
                if parts and text in _RESERVED and parts[-1].kind != "redirect" \
                        and parts[-1].word in _RESERVED:
                    raise _Unsure  # `x { time`: bashlex takes some keywords even here
                if not seen_word and not seen_redirect and _ASSIGNMENT.match(text):
                    node = self.word_node(tok, "assignment")
                else:
                    if not seen_word and (text in _RESERVED or "[" in text.partition("=")[0]
                                          and "=" in text):
                        raise _Unsure  # a keyword after assignments, `a[i]=x`: left to bashlex
                    seen_word = True
                    node = self.word_node(tok)
            else:
                break
            parts.append(node)
            end = node.pos[1]  # (a here-document's body, read later, does not count)
        if not parts:
            raise _Unsure  # an empty command: a syntax error
        return Node("command", (parts[0].pos[0], end), parts=parts)

    def word_node(self, tok: Token, kind: str = "word") -> Node:
        text = tok.text
        if tok.unterminated or text.endswith("\\\n"):
            raise _Unsure  # open quote, or a line continued into nothing
        start = tok.start - self.origin
        parts = self.substitutions(text, start) if _SUBSTITUTION.search(text) else ()
        return Node(kind, (start, tok.end - self.origin), word=text, parts=parts)

    def substitutions(self, text: str, offset: int) -> list[Node]:
        """The `$(...)`, backtick and `<(...)` commands of a word, as bashlex finds them."""
        if _ODD.search(text) or "\\\n" in text:
            raise _Unsure  # (bashlex shifts positions after a continued line)
        if len(text) > 1 and text[0] == "'" and text[-1] == "'" and "'" not in text[1:-1]:
            return []  # one single-quoted string: nothing inside is read
        out: list[Node] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\\":
                i += 2
            elif c == "'":
                j = text.find("'", i + 1)
                inner = text[i + 1:] if j < 0 else text[i + 1:j]
                if any(s in inner for s in ("$(", "`", "<(", ">(", "${")):
                    raise _Unsure  # bashlex reads single quotes in mid-word as if absent
                i = n if j < 0 else j + 1
            elif c == "$" and text.startswith("${", i):
                j = text.find("}", i + 2)
                i = n if j < 0 else j + 1
            elif c == "$" and text.startswith("$(", i):
                j = _closing_paren(text, i + 1)
                out.append(Node("commandsubstitution", (offset + i, offset + j + 1),
                                command=self.nested(text[i + 2:j], offset + i + 2)))
                i = j + 1
            elif c == "`":
                j = text.find("`", i + 1)
                inner = text[i + 1:j]
                if j < 0 or "\\" in inner or not inner.strip():
                    raise _Unsure
                out.append(Node("commandsubstitution", (offset + i, offset + j + 1),
                                command=self.nested(inner, offset + i + 1)))
                i = j + 1
            elif c in "<>" and text.startswith("(", i + 1):
                if i:
                    raise _Unsure
                j = _closing_paren(text, i + 1)
                out.append(Node("processsubstitution", (offset, offset + j + 1),
                                command=self.nested(text[i + 2:j], offset + i + 2)))
                i = j + 1
            else:
                i += 1
        return out

    def nested(self, inner: str, offset: int) -> Node:
        if self.depth > 20 or not inner.strip():
            raise _Unsure
        lexed = lex(inner)
        if lexed.unterminated or any(t.role not in _OPENERS or t.arith or t.array is not None
                                     or t.andor for t in lexed.tokens):
            raise _Unsure  # constructs the masker rewrites, but only at the top level
        reader = _Reader(lexed.tokens, -offset, self.depth + 1)
        node = reader.compound_list(())
        reader.newlines()
        if reader.peek() is not None or reader.heredocs:
            raise _Unsure
        return node


def _closing_paren(text: str, i: int) -> int:
    """Index of the `)` closing the `(` at text[i], honouring quotes and nesting."""
    depth = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in "'\"":
            j = text.find(c, i + 1)
            if j < 0 or c == '"' and "\\" in text[i:j]:
                raise _Unsure
            i = j + 1
            continue
        if c == "`" or c == "#":
            raise _Unsure
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise _Unsure
