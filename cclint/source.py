"""Step 1 of the pipeline: turn the bytes of a job script into text with positions.

Nothing here knows about Slurm or bash. A `SourceFile` keeps what sbatch checks on the
raw bytes (BOM, NUL, CRLF, first two bytes) and exposes a normalised text in which every
`\\r\\n` became `\\n`, so that the header scanner and the shell parser see the file the
way bash on a compute node would (and the way the corpus conventions ask for), while
line and column numbers stay those of the original file.
"""

from __future__ import annotations

import bisect

from cclint.patterns import lazy
from cclint.record import FrozenRecord, Record

UTF8_BOM = b"\xef\xbb\xbf"
_NEWLINE = lazy("\n")


class Span(FrozenRecord):
    """A region of the normalised text: 0-based offsets, end exclusive. Never mutated."""

    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int):
        self.start = start
        self.end = end


class ExternalSpan(Span):
    """A region of another text than the script's: sbatch's command line or environment
    (header/external.py). A finding there carries that text's name as its path."""

    __slots__ = ("source",)

    def __init__(self, start: int, end: int, source: "SourceFile"):
        self.start, self.end, self.source = start, end, source

    def _values(self) -> tuple:
        return (self.start, self.end, self.source.path, self.source.text)

    def __repr__(self) -> str:
        return f"ExternalSpan({self.start}, {self.end}, {self.source.path!r})"


class SourceFile(Record):
    __slots__ = ("path", "raw", "text", "encoding", "has_bom", "crlf_lines", "lone_cr", "has_nul",
                 "_line_starts")

    def __init__(self, path: str, raw: bytes, text: str = "", encoding: str = "utf-8",
                 has_bom: bool = False, crlf_lines: list[int] | None = None, lone_cr: bool = False,
                 has_nul: bool = False):
        self.path = path
        self.raw = raw
        self.text = text
        self.encoding = encoding
        self.has_bom = has_bom
        self.crlf_lines: list[int] = crlf_lines or []  # 1-based lines that ended in \r\n
        self.lone_cr = lone_cr  # a \r not followed by \n (old Mac line ends)
        self.has_nul = has_nul
        self._line_starts: list[int] = []

    @classmethod
    def from_bytes(cls, path: str, raw: bytes) -> "SourceFile":
        src = cls(path=path, raw=raw)
        body = raw
        if body.startswith(UTF8_BOM):
            src.has_bom = True
            body = body[len(UTF8_BOM):]
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            # French comments saved by old editors are ISO-8859-1; Latin-1 never fails.
            text = body.decode("latin-1")
            src.encoding = "latin-1"
        src.has_nul = "\x00" in text
        if "\r" in text:
            src.crlf_lines = _crlf_lines(text)
            text = text.replace("\r\n", "\n")
            src.lone_cr = "\r" in text
        src.text = text
        src._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        return src

    @classmethod
    def from_text(cls, text: str, path: str = "<string>") -> "SourceFile":
        return cls.from_bytes(path, text.encode("utf-8"))

    # -- positions -----------------------------------------------------------------

    @property
    def line_count(self) -> int:
        n = len(self._line_starts)
        if self.text.endswith("\n"):
            n -= 1
        return max(n, 1 if self.text else 0)

    def line(self, number: int) -> str:
        """Text of a 1-based line, without its line end."""
        if number < 1 or number > len(self._line_starts):
            return ""
        start = self._line_starts[number - 1]
        end = self._line_starts[number] - 1 if number < len(self._line_starts) else len(self.text)
        return self.text[start:end]

    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def line_starts(self) -> list[int]:
        """Offset of the first character of each line (one per `text.split("\\n")` item)."""
        return self._line_starts

    def line_start(self, number: int) -> int:
        return self._line_starts[min(max(number, 1), len(self._line_starts)) - 1]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a character offset in the normalised text."""
        offset = min(max(offset, 0), len(self.text))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def line_of(self, offset: int) -> int:
        """The 1-based line of an offset (`position(offset)[0]`, for the many callers that only
        want the line)."""
        return bisect.bisect_right(self._line_starts, min(max(offset, 0), len(self.text))) or 1

    def offset(self, line: int, column: int) -> int:
        return self.line_start(line) + column - 1

    @property
    def is_blank(self) -> bool:
        """Empty or whitespace only: sbatch rejects it and there is nothing else to lint."""
        return not self.text.strip(" \t\n\r\v\f")


def _crlf_lines(text: str) -> list[int]:
    lines = text.split("\n")[:-1]  # each followed by a \n
    return [number for number, line in enumerate(lines, 1) if line.endswith("\r")]
