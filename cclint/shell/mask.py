"""Rewrite, offset for offset, the constructs bashlex 0.18 cannot parse.

Each rewrite keeps the length of the text and every newline, so bashlex's positions are
positions in the original script. The rewritten text is only fed to bashlex: words are
always read back from the original text. Constructs and their stand-ins:

    $((expr))            ->  $________         (an unknown value)
    [[ a && b ]]         ->  [  a    b  ]       (a test command; operators blanked)
    case W in p) x;; esac ->  { : W ;    x;  }   (the branches become a command group)
    a=(x y)              ->  a='x y'            (an array becomes one opaque value)
    for ((i=0;i<n;i++))  ->  for _ in           (a loop over an unknown value)
    time cmd / coproc    ->       cmd
    select x in ...      ->  for    x in ...
    <<'EOF'              ->  <<EOF               (quoted here-document delimiters)

and the same inside `$(...)` and `<(...)`.
"""

from __future__ import annotations

from cclint.shell.lexer import (
    HEREDOC, MASKED_ROLES, NEWLINE, OP, WORD, Token, command_substitutions, delimiter_text, lex,
)



def mask_statement(text: str, start: int, end: int, tokens: list[Token]) -> tuple[str, list[tuple[int, int]]]:
    """Return the masked text of text[start:end] and the spans (absolute) of stand-in code."""
    if not any(t.role in MASKED_ROLES or t.arith or t.andor or t.delimiters or t.nested
               or t.array is not None or t.text in ("<<", "<<-") for t in tokens):
        return text[start:end], []  # the common case: nothing to rewrite
    chars = list(text[start:end])
    synthetic: list[tuple[int, int]] = []

    def put(a: int, replacement: str) -> None:
        for k in range(max(a - start, 0), min(a - start + len(replacement), len(chars))):
            if chars[k] != "\n":
                chars[k] = replacement[k - a + start]

    def blank(a: int, b: int, filler: str = " ") -> None:
        for k in range(max(a - start, 0), min(b - start, len(chars))):
            if chars[k] != "\n":
                chars[k] = filler

    clause_has_words = False
    prev_significant: Token | None = None
    in_regex = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        role = tok.role
        if tok.kind == WORD:
            for a, b in tok.arith:
                if start <= a and b <= end:
                    blank(a, b, "_")
                    put(a, "$")
            for a in tok.andor:
                if start <= a < end:
                    put(a, "; ")
            for a, b in tok.delimiters:
                plain = delimiter_text(text[a:b])
                put(a, plain + " " * (b - a - len(plain)))
            if tok.nested and start <= tok.start and tok.end <= end:  # the same, inside $(...)
                for offset, inner in command_substitutions(tok.text):
                    base = tok.start + offset
                    for stmt in lex(inner).statements:
                        masked_inner, inner_synthetic = mask_statement(inner, stmt.start, stmt.end, stmt.tokens)
                        put(base + stmt.start, masked_inner)
                        synthetic.extend((base + a, base + b) for a, b in inner_synthetic)
            if tok.array is not None:
                a, b = tok.array
                inner = text[a + 1:b - 1]
                if "'" in inner:
                    blank(a + 1, b - 1, "_")
                put(a, "'")
                put(b - 1, "'")
        if role == "case":
            put(tok.start, "{ : ")
            synthetic.append((tok.start, tok.end))
        elif role == "case-in":
            put(tok.start, "; ")
            clause_has_words = False
        elif role == "pattern":
            blank(tok.start, tok.end)
            clause_has_words = False
        elif role == "case-sep":
            after_newline = prev_significant is not None and prev_significant.kind == NEWLINE
            if clause_has_words and not after_newline:
                put(tok.start, ";" + " " * (tok.end - tok.start - 1))
            else:
                blank(tok.start, tok.end)
        elif role == "esac":
            put(tok.start, "}   ")
        elif role == "[[":
            put(tok.start, "[ ")
            in_regex = False
        elif role == "]]":
            put(tok.start, " ]")
            in_regex = False
        elif role == "[[inner":
            if in_regex:
                blank(tok.start, tok.end, "_")
            elif tok.kind == OP:
                blank(tok.start, tok.end)
            elif tok.text == "=~":
                in_regex = True
        elif role == "for-arith":
            depth, j = 0, i
            while j < len(tokens):
                t = tokens[j]
                if t.kind == OP and t.text == "(":
                    depth += 1
                elif t.kind == OP and t.text == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j == len(tokens):  # `for ((` never closed: left to bashlex, which rejects it
                i += 1
                continue
            blank(tok.start, tokens[j].end)
            if tokens[j].end - tok.start >= 4:
                put(tok.start, "_ in")
            i = j + 1
            prev_significant = tokens[j]
            continue
        elif role in ("time", "coproc"):
            blank(tok.start, tok.end)
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if role == "time" and nxt is not None and nxt.text == "-p":
                blank(nxt.start, nxt.end)
                i += 1
        elif role == "select":
            put(tok.start, "for   ")
        elif tok.kind == WORD and prev_significant is not None and prev_significant.kind == OP \
                and prev_significant.text in ("<<", "<<-") and any(q in tok.text for q in "'\"\\"):
            plain = delimiter_text(tok.text)
            put(tok.start, plain + " " * (len(tok.text) - len(plain)))
        if tok.kind == WORD and role not in ("case", "case-in", "pattern", "esac"):
            clause_has_words = True
        if tok.kind != HEREDOC:
            prev_significant = tok
        i += 1
    return "".join(chars), synthetic
