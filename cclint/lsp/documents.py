"""An editor's document, linted as `cclint FILE` would lint the file, and the answers an editor
asks for: diagnostics, quick fixes (cclint's own fixes and "disable this rule here"), hovers.

Positions: cclint counts 1-based lines and columns in characters of the normalised text
(`\\r\\n` -> `\\n`); LSP counts 0-based lines and columns in the units of the position
encoding the server chose at `initialize` (UTF-16 by default; UTF-8 or UTF-32 when the client
prefers them). Lines are the same in both (a `\\r\\n` file keeps its line numbers), so only
columns are converted.
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlparse

from lsprotocol import types as T

from cclint.diagnostics import Applicability, Diagnostic, Severity
from cclint.runner import FileResult
from cclint.settings import Settings
from cclint.source import SourceFile

SOURCE = "cclint"
BOM = "\ufeff"  # a byte-order mark an editor's buffer may hold (cclint's text does not)
UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"  # LSP's position encodings (PositionEncodingKind)
_SEVERITY = {Severity.ERROR: T.DiagnosticSeverity.Error, Severity.WARNING: T.DiagnosticSeverity.Warning,
             Severity.INFO: T.DiagnosticSeverity.Information}


def uri_to_path(uri: str) -> str | None:
    """The local file of a `file:` URI; None for an unsaved buffer (`untitled:`) and others."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and re.match(r"/[A-Za-z]:", path):
        path = path[1:]
    return path


def is_job_text(path: str | None, text: str) -> bool:
    """Whether a buffer is a job script, decided as for a file found in a folder (a plain `.sh`
    helper with no sign of a batch job gets no diagnostics)."""
    from cclint.discovery import looks_like_job_script

    return looks_like_job_script(path or "", text[:65536].encode("utf-8", "surrogatepass"))


class Linted:
    """One lint of one version of a document."""

    __slots__ = ("uri", "path", "source", "settings", "result", "encoding", "_script")

    def __init__(self, uri: str, path: str | None, source: SourceFile, settings: Settings, result: FileResult,
                 encoding: str = UTF16):
        self.uri, self.path, self.source, self.settings, self.result = uri, path, source, settings, result
        self.encoding = encoding  # the position encoding of the editor's columns
        self._script = None

    @property
    def script(self):
        """The model, for hovers (built again: the lint does not keep it)."""
        if self._script is None:
            from cclint.script import Script

            self._script = Script.build(self.source, self.settings.version)
        return self._script


def lint_document(uri: str, text: str, *, config: str | None = None, isolated: bool = False,
                  cwd: str | None = None, encoding: str = UTF16) -> Linted | None:
    """Lint an editor buffer with the configuration its file would get on the command line
    (the closest `.cclint.yaml`/`pyproject.toml`, `CCLINT_*`, then the server's own options).
    The submission directory is the file's folder unless a configuration sets one. Returns
    None for a document that is not a job script or that the configuration excludes. Raises ConfigError for a broken configuration.
    `encoding` is the position encoding of the editor's columns ("utf-8", "utf-16", "utf-32")."""
    from cclint.config import Resolver
    from cclint.record import replace
    from cclint.runner import lint_source

    path = uri_to_path(uri)
    if not is_job_text(path, text):
        return None
    cwd = cwd or os.getcwd()
    resolver = Resolver(config_file=config, isolated=isolated, cwd=cwd)
    effective = resolver.effective(path or "-")
    settings = effective.settings
    if path and settings.excluded(path):
        return None  # as a folder walk leaves it: the configuration says it is not linted
    if path and "submit-dir" not in effective.explicit:
        settings = replace(settings, submit_dir=_folder(path))
    shown = path or uri
    source = SourceFile.from_bytes(shown, text.encode("utf-8", "surrogatepass"))
    return Linted(uri, path, source, settings, lint_source(source, settings), encoding)


def _folder(path: str):
    from pathlib import Path

    return Path(os.path.dirname(os.path.abspath(path)))


# -- positions ----------------------------------------------------------------------------


def _units(text: str, encoding: str = UTF16) -> int:
    """Length of `text` in the code units of a position encoding."""
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == UTF32:
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def position(source: SourceFile, line: int, column: int, encoding: str = UTF16) -> T.Position:
    """cclint's (1-based line, 1-based character column) -> an LSP position. LSP also ends a
    line at a lone `\\r` (cclint and bash do not): in such a file, each one before the
    position is one more line."""
    before = source.line(line)[:max(column - 1, 0)]
    number = max(line - 1, 0)
    if source.lone_cr:
        number += source.text[:source.line_start(line)].count("\r") + before.count("\r")
        before = before[before.rfind("\r") + 1:]
    if source.has_bom and number == 0:  # the editor's first line holds the BOM cclint strips
        before = BOM + before
    return T.Position(line=number, character=_units(before, encoding))


def offset_position(source: SourceFile, offset: int, encoding: str = UTF16) -> T.Position:
    return position(source, *source.position(offset), encoding)


def _range(source: SourceFile, d: Diagnostic, encoding: str = UTF16) -> T.Range:
    start = position(source, d.line, d.column, encoding)
    end = position(source, d.end_line or d.line, d.end_column or d.column, encoding)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return T.Range(start=start, end=end)


# -- diagnostics --------------------------------------------------------------------------


def _outside(d: Diagnostic) -> bool:
    """A finding on sbatch's environment or command line (`environment:2`), not on the script."""
    from cclint.registry import OUTSIDE

    return bool(d.extra) and OUTSIDE in d.extra


def _where(linted: Linted, d: Diagnostic) -> T.Range:
    """The range of a finding in the editor; one outside the script is put at its start."""
    if _outside(d):
        zero = T.Position(line=0, character=0)
        return T.Range(start=zero, end=zero)
    return _range(linted.source, d, linted.encoding)


def diagnostics(linted: Linted) -> list[T.Diagnostic]:
    out = []
    for d in linted.result.diagnostics:
        message = (f"{d.path}:{d.line}: " if _outside(d) else "") + d.message + (f"\nfix: {d.fix}" if d.fix else "")
        out.append(T.Diagnostic(
            range=_where(linted, d), message=message, severity=_SEVERITY[d.severity],
            code=f"{d.code} {d.rule}", source=SOURCE, data={"rule": d.rule},
        ))
    return out


def failure(message: str) -> list[T.Diagnostic]:
    """A configuration the file cannot be linted with: one diagnostic on the first line."""
    zero = T.Position(line=0, character=0)
    return [T.Diagnostic(range=T.Range(start=zero, end=zero), message=message,
                         severity=T.DiagnosticSeverity.Error, source=SOURCE)]


# -- code actions -------------------------------------------------------------------------


def code_actions(linted: Linted, wanted: T.Range) -> list[T.CodeAction]:
    """Quick fixes for the findings that touch `wanted`: cclint's own fix (safe ones first,
    unsafe ones say so), and `# cclint: disable-next-line=RULE` above the command."""
    actions: list[T.CodeAction] = []
    disables: list[T.CodeAction] = []
    seen_rules: set[str] = set()
    for d, lsp_diag in zip(linted.result.diagnostics, diagnostics(linted)):
        if not _overlaps(lsp_diag.range, wanted):
            continue
        if d.edit is not None and d.edit.applicability != Applicability.SUGGESTION:
            edits = _text_edits(linted.source, d.edit, linted.encoding)
            if edits:
                unsafe = d.edit.applicability == Applicability.UNSAFE
                actions.append(T.CodeAction(
                    title=f"{d.edit.title} ({d.rule}{', unsafe: changes what the job does' if unsafe else ''})",
                    kind=T.CodeActionKind.QuickFix, diagnostics=[lsp_diag], is_preferred=not unsafe,
                    edit=T.WorkspaceEdit(changes={linted.uri: edits})))
        if d.rule in seen_rules or _outside(d):  # no comment in the script reaches the environment
            continue
        seen_rules.add(d.rule)
        disable = _disable_action(linted, d, lsp_diag)
        if disable is not None:
            disables.append(disable)
    actions.sort(key=lambda a: not a.is_preferred)
    return actions + disables


def _overlaps(a: T.Range, b: T.Range) -> bool:
    a0, a1 = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b0, b1 = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a0 <= b1 and b0 <= a1


def _text_edits(source: SourceFile, fix, encoding: str = UTF16) -> list[T.TextEdit]:
    newline = "\r\n" if source.crlf_lines and not fix.to_lf else "\n"
    drop_bom = fix.drop_bom and source.has_bom
    zero = T.Position(line=0, character=0)
    edits = [T.TextEdit(range=T.Range(start=zero if drop_bom and e.start == 0  # the BOM goes too
                                      else offset_position(source, e.start, encoding),
                                      end=offset_position(source, e.end, encoding)),
                        new_text=e.text.replace("\n", newline)) for e in fix.edits]
    if drop_bom and not any(e.start == 0 for e in fix.edits):  # the BOM, before the text cclint edits
        edits.append(T.TextEdit(range=T.Range(start=zero, end=T.Position(line=0, character=_units(BOM, encoding))),
                                new_text=""))
    if fix.to_lf:  # each \r\n line end becomes \n
        for number in source.crlf_lines:
            start = position(source, number, len(source.line(number)) + 1, encoding)
            end = position(source, number + 1, 1, encoding)
            edits.append(T.TextEdit(range=T.Range(start=start, end=end), new_text="\n"))
    return edits


def _disable_action(linted: Linted, d: Diagnostic, lsp_diag: T.Diagnostic) -> T.CodeAction | None:
    from cclint.suppress import disable_next_line

    placed = disable_next_line(linted.script, d.line, d.rule)
    if placed is None:
        return None
    offset, text = placed
    if linted.source.crlf_lines:
        text = text.replace("\n", "\r\n")
    at = offset_position(linted.source, offset, linted.encoding)
    return T.CodeAction(
        title=f"Disable {d.rule} for this line (# cclint: disable-next-line)",
        kind=T.CodeActionKind.QuickFix, diagnostics=[lsp_diag],
        edit=T.WorkspaceEdit(changes={linted.uri: [T.TextEdit(range=T.Range(start=at, end=at), new_text=text)]}))


# -- hover --------------------------------------------------------------------------------


def hover(linted: Linted, at: T.Position) -> T.Hover | None:
    """What the `#SBATCH` option under the cursor does and accepts, and the rule page of each
    finding under it."""
    parts: list[str] = []
    source = linted.source
    for directive in linted.script.header.directives:
        if directive.spec is None:
            continue
        start = offset_position(source, directive.span.start, linted.encoding)
        end = offset_position(source, directive.span.end, linted.encoding)
        if start.line == at.line and start.character <= at.character <= end.character:
            parts.append(option_markdown(directive.spec, linted.settings.version))
            break
    for d in linted.result.diagnostics:
        if _overlaps(_where(linted, d), T.Range(start=at, end=at)):
            parts.append(rule_summary(d.rule))
    if not parts:
        return None
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


def option_markdown(spec, version) -> str:
    from cclint.header.options import availability
    from cclint.header.validate import value_form

    takes = {"required": "takes a value", "optional": "takes an optional value, attached with `=`",
             "none": "takes no value"}[spec.arg_in(version)]
    lines = [f"**`{spec.display}`** (sbatch) {takes}{availability(spec.long)}"]
    if spec.notes:
        lines.append(spec.notes)
    form = value_form(spec)
    if form and spec.arg_in(version) != "none":
        lines.append(f"Accepted: {form}")
    return "\n\n".join(lines)


def rule_summary(name: str) -> str:
    from cclint.registry import find_rule

    rule = find_rule(name)
    if rule is None:
        return f"**{name}**"
    import textwrap

    return (f"**{rule.code} {rule.name}** ({rule.severity.label}): {rule.summary}.\n\n"
            f"{' '.join(textwrap.dedent(rule.rationale).split())}\n\n"
            f"**Fix:** {rule.fix}\n\n`cclint rule {rule.name}` shows the whole page.")
