"""Apply the edits attached to findings, re-lint, repeat until nothing changes.

Edits are offsets in the normalised text (CRLF already turned into LF). A round applies
every fix whose edits do not overlap an earlier one; fixes that would leave the script
less parsable than before are refused. The text is then encoded back the way the file
was: same encoding, BOM and line ends, unless a fix removed them.
"""

from __future__ import annotations

import os
import stat
import tempfile
from cclint.record import field, record

from cclint.diagnostics import Applicability, Diagnostic, Fix
from cclint.source import UTF8_BOM, SourceFile

MAX_ROUNDS = 10


@record
class FixOutcome:
    original: SourceFile
    text: str  # the normalised text after fixing
    drop_bom: bool = False
    to_lf: bool = False
    applied: list[Diagnostic] = field(default_factory=list)
    converged: bool = True
    refused: list[Diagnostic] = field(default_factory=list)  # fixes that would break parsing
    diagnostics: list[Diagnostic] = field(default_factory=list)  # what the fixed text still has

    @property
    def changed(self) -> bool:
        return self.text != self.original.text or (self.drop_bom and self.original.has_bom) \
            or (self.to_lf and bool(self.original.crlf_lines))

    def encoded(self) -> bytes:
        """The bytes to write: original encoding, BOM and line ends unless fixed."""
        text = self.text
        src = self.original
        if src.crlf_lines and not self.to_lf:
            lines = text.split("\n")
            if len(lines) == len(src.text.split("\n")):
                crlf = set(src.crlf_lines)
                text = "\n".join(line + "\r" if i + 1 in crlf else line for i, line in enumerate(lines))
            elif len(src.crlf_lines) >= src.line_count:
                text = text.replace("\n", "\r\n")
        data = text.encode(src.encoding, errors="surrogateescape" if src.encoding == "utf-8" else "strict")
        if src.has_bom and not self.drop_bom:
            data = UTF8_BOM + data
        return data


def allowed(fix: Fix | None, unsafe: bool) -> bool:
    if fix is None:
        return False
    return fix.applicability == Applicability.SAFE or (unsafe and fix.applicability == Applicability.UNSAFE)


def apply_once(text: str, diagnostics: list[Diagnostic], unsafe: bool) -> tuple[str, list[Diagnostic], bool, bool]:
    """Apply non-overlapping fixes; returns (text, applied, drop_bom, to_lf)."""
    chosen: list[Diagnostic] = []
    taken: list[tuple[int, int]] = []
    drop_bom = to_lf = False
    for diag in sorted(diagnostics, key=lambda d: (min((e.start for e in d.edit.edits), default=-1)
                                                   if d.edit else 0, d.code)):
        fix = diag.edit
        if not allowed(fix, unsafe):
            continue
        ranges = [(e.start, e.end) for e in fix.edits]
        if any(_overlaps(r, t) for r in ranges for t in taken):
            continue
        taken.extend(ranges)
        chosen.append(diag)
        drop_bom |= fix.drop_bom
        to_lf |= fix.to_lf
    # From the end of the text backwards; insertions at one point keep the findings' order.
    numbered = [(e.start, e.end, seq, e) for seq, e in enumerate(e for d in chosen for e in d.edit.edits)]
    for *_, e in sorted(numbered, key=lambda t: t[:3], reverse=True):
        text = text[:e.start] + e.text + text[e.end:]
    return text, chosen, drop_bom, to_lf


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only when strictly inside
        point, other = (a, b) if a[0] == a[1] else (b, a)
        return other[0] < point[0] < other[1]
    return a[0] < b[1] and b[0] < a[1]


def fix_source(source: SourceFile, lint, unsafe: bool = False) -> FixOutcome:
    """`lint(source) -> (diagnostics, incomplete_count)`; loops until no fix applies."""
    outcome = FixOutcome(source, source.text)
    current = source
    diagnostics, incomplete = lint(current)
    outcome.diagnostics = diagnostics
    for _ in range(MAX_ROUNDS):
        text, applied, drop_bom, to_lf = apply_once(current.text, diagnostics, unsafe)
        if not applied:
            return outcome
        candidate = SourceFile.from_bytes(source.path, text.encode("utf-8", "surrogateescape"))
        candidate.encoding = source.encoding
        new_diagnostics, new_incomplete = lint(candidate)
        if new_incomplete > incomplete:
            outcome.refused.extend(applied)
            return outcome
        outcome.text = text
        outcome.applied.extend(applied)
        outcome.drop_bom |= drop_bom
        outcome.to_lf |= to_lf
        current, diagnostics, incomplete = candidate, new_diagnostics, new_incomplete
        outcome.diagnostics = diagnostics
    outcome.converged = False
    return outcome


def write_atomic(path: str, data: bytes) -> None:
    """Replace a file's content all at once: a temporary file in the same directory, the
    original's permission bits, then `os.replace`. On any failure the original is untouched
    and the temporary file is removed. A symbolic link is followed (the target is rewritten).
    A file that does not exist yet is created so (read-write for all, less the umask)."""
    target = os.path.realpath(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    directory = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".cclint-tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def unified_diff(outcome: FixOutcome, path: str) -> bytes:
    """The change as a unified diff of the file's real bytes (line ends, BOM and encoding
    kept), ready for `git apply` or `patch -p1`."""
    import difflib

    before = _as_text(outcome.original.raw, outcome.original.encoding)
    after = _as_text(outcome.encoded(), outcome.original.encoding)
    lines = difflib.unified_diff(_lines(before), _lines(after), fromfile=f"a/{path}", tofile=f"b/{path}")
    out = []
    for line in lines:  # line ends are kept as they are (CRLF too), so `git apply` takes it
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    encoding = outcome.original.encoding
    return "".join(out).encode(encoding, errors="surrogateescape" if encoding == "utf-8" else "replace")


def _lines(text: str) -> list[str]:
    """Split after each \\n only (str.splitlines also splits at \\f, \\x1c, U+2028...)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _as_text(raw: bytes, encoding: str) -> str:
    return raw.decode(encoding, errors="surrogateescape" if encoding == "utf-8" else "strict")
