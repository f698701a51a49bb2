"""Split the text of one `#SBATCH` line into words exactly as sbatch's `get_argument` does.

Facts (slurm-facts.md §2.2): whitespace separates words; `"` and `'` quote (no difference
between them, quotes may sit mid-word and are removed); a backslash drops itself and keeps
the next character (from 24.05 `\\ ` also keeps a space inside the word; before, it ends
the word); an unquoted, unescaped `#` ends the line, even mid-word; a word that is empty
after quote removal ends the line too; an unmatched quote and a word starting with `:` are
fatal. No expansion of any kind.
"""

from __future__ import annotations

from cclint.patterns import lazy
from cclint.record import Record

C_SPACE = " \t\n\v\f\r"  # C-locale isspace(): a non-breaking space is not whitespace
_UNQUOTED_WORD = lazy(r"[^ \t\n\v\f\r]+")


class Word(Record):
    __slots__ = ("text", "start", "end", "columns")  # one per directive word: slotted

    def __init__(self, text: str, start: int, end: int, columns: list[int]):
        self.text = text
        self.start = start  # column offset (0-based) of the word's first raw character in the line
        self.end = end  # column offset just after its last raw character
        self.columns = columns  # raw column (0-based, within the line) of each character of `text`

    def column_of(self, index: int) -> int:
        """Raw column of text[index]; index == len(text) maps to the word's end."""
        if index >= len(self.columns):
            return self.end
        return self.columns[index]


class LineWords(Record):
    __slots__ = ("words", "comment_at", "unmatched_quote", "unmatched_at", "unexpected_colon_at",
                 "ended_at")  # one per directive line: slotted

    def __init__(self, words: list[Word]):
        self.words = words
        self.comment_at: int | None = None  # column of the `#` that ends the line, if any
        self.unmatched_quote: str | None = None  # the quote character left open
        self.unmatched_at: int | None = None
        self.unexpected_colon_at: int | None = None  # column of a word starting with ':'
        self.ended_at: int | None = None  # column of an empty word (`""`), where sbatch stops reading


def split_directive(line: str, offset: int, escaped_space_joins: bool = True) -> LineWords:
    """Split `line[offset:]` (the text after `#SBATCH`) into words.

    `escaped_space_joins` is True for Slurm 24.05 and later (and for an unknown version,
    where cclint warns separately about the difference).
    """
    if "\\" not in line and '"' not in line and "'" not in line:
        return _split_plain(line, offset)
    words: list[Word] = []
    result = LineWords(words)
    n = len(line)
    i = offset
    while True:
        while i < n and line[i] in C_SPACE:
            i += 1
        if i >= n:
            return result
        if line[i] == "#":
            result.comment_at = i
            return result
        if line[i] == ":" and result.unexpected_colon_at is None:
            result.unexpected_colon_at = i
        start = i
        chars: list[str] = []
        cols: list[int] = []
        quote = ""
        quote_at = -1
        while i < n:
            ch = line[i]
            if ch == "\\":
                if i + 1 >= n:
                    i += 1
                    break
                nxt = line[i + 1]
                if nxt in C_SPACE and not quote and not escaped_space_joins:
                    # 23.11 and earlier: the backslash goes, the space still separates
                    i += 1
                    break
                chars.append(nxt)
                cols.append(i + 1)
                i += 2
                continue
            if quote:
                if ch == quote:
                    quote = ""
                    i += 1
                    continue
            elif ch in "\"'":
                quote = ch
                quote_at = i
                i += 1
                continue
            elif ch in C_SPACE:
                break
            elif ch == "#":
                break
            chars.append(ch)
            cols.append(i)
            i += 1
        if quote:
            result.unmatched_quote = quote
            result.unmatched_at = quote_at
            return result  # fatal for sbatch: the partial word is never used
        if not chars:
            # A word that is empty after quote removal (`""`) ends the line for sbatch: the
            # rest of the line is not read (checked on 22.05).
            result.ended_at = start
            return result
        words.append(Word("".join(chars), start, i, cols))
        if i < n and line[i] == "#":
            result.comment_at = i
            return result


def _split_plain(line: str, offset: int) -> LineWords:
    """The same for a line without quotes or backslashes (most): words are runs of non-blanks,
    and the first `#` ends the line."""
    result = LineWords([])
    end = line.find("#", offset)
    if end >= 0:
        result.comment_at = end
    else:
        end = len(line)
    for m in _UNQUOTED_WORD.finditer(line, offset, end):
        start, stop = m.span()
        if line[start] == ":" and result.unexpected_colon_at is None:
            result.unexpected_colon_at = start
        result.words.append(Word(m.group(), start, stop, list(range(start, stop))))
    return result
