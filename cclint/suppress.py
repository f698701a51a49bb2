"""Inline suppressions: `# cclint: ACTION=NAME[,NAME] [-- reason]` comments.

Every scope is named by its keyword, never guessed from where the comment sits:

    ACTION             where             covers
    disable-line       end of a line     that line (and the whole command it ends, when the
                                         command spans several lines)
    disable            end of a line     same as disable-line
    disable-next-line  its own line      the next line that is not blank and not another
                                         `# cclint:` comment (the whole command when it
                                         spans several lines)
    disable            its own line      opens a range, up to `# cclint: enable=NAME`;
                                         a range that is never closed covers nothing and
                                         is reported (invalid-suppression)
    enable             its own line      closes the range of each name
    disable-file       its own line      the whole file, wherever the comment is

Names are rule names or codes. Comments are found on lines (bashlex drops comments):
a `#` that starts a shell comment (line start, or after a blank or `;|&()`), outside
quotes, never in here-document bodies. On `#SBATCH` lines sbatch ends the directive at
the unquoted `#`, so a trailing `# cclint:` comment does not change the directive.

After the rules have run, `apply_suppressions` drops the covered findings and adds the
findings of two engine rules: `invalid-suppression` (unknown action or rule name,
malformed list, keyword in the wrong place, unclosed range, `enable` with no range) and
`unused-suppression` (a name that suppressed nothing: a rule that did not run, e.g. one
left out by --select, is run quietly to judge its suppressions).
"""

from __future__ import annotations

import re
from cclint.patterns import lazy
from cclint.record import field, record

from cclint.diagnostics import Applicability, Diagnostic, Edit, Fix
from cclint.registry import find_rule
from cclint.source import Span

ACTIONS = ("disable", "enable", "disable-line", "disable-next-line", "disable-file")
_MARK = lazy(r"#[ \t]*cclint[ \t]*:", re.I)
_NAME = lazy(r"[A-Za-z0-9_.-]+\Z")
_SEPARATORS = " \t;|&()"
ENGINE_RULES = ("unused-suppression", "invalid-suppression")


@record
class Comment:
    """One `# cclint:` comment."""

    line: int
    own_line: bool
    action: str
    span: Span  # from `#` to the end of the comment
    line_span: Span  # the whole line, newline included (removing an own-line comment)
    trail_span: Span  # from the end of the code before it (removing a trailing comment)
    names: list[tuple[str, Span]] = field(default_factory=list)  # as written
    names_span: Span | None = None
    rules: dict[str, str] = field(default_factory=dict)  # rule name -> name as written


@record
class Suppression:
    comment: Comment
    rule: str
    lines: range | None  # None: the whole file
    used: bool = False
    partner: Comment | None = None  # the `enable` comment closing a range


@record
class Parsed:
    suppressions: list[Suppression] = field(default_factory=list)
    problems: list[tuple[Span, str, str]] = field(default_factory=list)  # span, message, fix


def find_comments(source, data_lines=frozenset()) -> list[tuple[int, int, str]]:
    """(line, column of `#`, text after `cclint:`) of every `# cclint:` comment: the
    line's comment must start with it (a `# cclint:` inside another comment is prose)."""
    found = []
    text = source.text
    if "cclint" not in text.lower():
        return found
    for number, line in enumerate(text.split("\n"), 1):
        if number in data_lines or "cclint" not in line.lower():
            continue
        at = _comment_start(line)
        if at is None:
            continue
        match = _MARK.match(line, at)
        if match:
            found.append((number, at, line[match.end():]))
    return found


def _comment_start(line: str) -> int | None:
    """Column of the `#` that starts the line's comment, outside quotes; None if none.

    Shell: a `#` at the start of a word. `#SBATCH`/`#SLURM` lines: sbatch's rule, the first
    unquoted `#` after the prefix, even mid-word."""
    directive = line.startswith(("#SBATCH", "#SLURM"))
    i = (7 if line.startswith("#SBATCH") else 6) if directive else 0
    quote = ""
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"':
                i += 1
        elif ch == "\\":
            i += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (directive or i == 0 or line[i - 1] in _SEPARATORS):
            return i
        i += 1
    return None


def parse(script, resolve) -> Parsed:
    """Read every suppression comment of a script. `resolve(name)` -> rule name or None."""
    source = script.source
    out = Parsed()
    comments: list[Comment] = []
    for number, at, rest in find_comments(source, script.body.data_lines):
        comment = _parse_comment(source, number, at, rest, resolve, out)
        if comment is not None:
            comments.append(comment)
    _scopes(script, comments, out)
    return out


def _parse_comment(source, number, at, rest, resolve, out: Parsed) -> Comment | None:
    line_text = source.line(number)
    start = source.line_start(number)
    before = line_text[:at]
    own = not before.strip()
    end_of_line = start + len(line_text)
    code_end = start + len(before.rstrip(" \t"))
    line_end = min(end_of_line + 1, len(source.text))
    comment = Comment(number, own, "", Span(start + at, end_of_line), Span(start, line_end),
                      Span(code_end, end_of_line))
    body_at = len(line_text) - len(rest)  # column (0-based) of what follows `cclint:`
    m = re.match(r"[ \t]*([A-Za-z][A-Za-z-]*)", rest)
    if not m:
        out.problems.append((comment.span, "A `# cclint:` comment without an action is ignored.",
                             "Write `# cclint: disable-line=RULE` (or disable-next-line, disable-file, "
                             "disable/enable for a range)."))
        return None
    action = m.group(1).lower()
    if action not in ACTIONS:
        from cclint.spelling import closest

        close = closest(action, ACTIONS)
        guess = f" (did you mean `{close}`?)" if close else ""
        out.problems.append((Span(start + body_at + m.start(1), start + body_at + m.end(1)),
                             f"Unknown suppression action `{m.group(1)}`{guess}: this comment is ignored.",
                             f"Write `{close}`." if close else f"Use one of {', '.join(ACTIONS)}."))
        return None
    comment.action = action
    after = rest[m.end():]
    eq = re.match(r"[ \t]*=[ \t]*", after)
    if not eq:
        out.problems.append((comment.span, f"`# cclint: {action}` names no rule: this comment is ignored.",
                             f"Name the rules: `# cclint: {action}=RULE[,RULE] -- reason`."))
        return None
    list_col = body_at + m.end() + eq.end()  # column where the names start
    tail = rest[m.end() + eq.end():]
    stop = re.search(r"[ \t]--(?:[ \t]|$)|[ \t]#|\A--|\A#", tail)
    names_text = tail[:stop.start()] if stop else tail
    names_text_stripped = names_text.rstrip(" \t")
    comment.names_span = Span(start + list_col, start + list_col + len(names_text_stripped))
    if not names_text_stripped:
        out.problems.append((comment.span, f"`# cclint: {action}=` names no rule: this comment is ignored.",
                             f"Name the rules: `# cclint: {action}=RULE[,RULE] -- reason`."))
        return None
    col = list_col
    for piece in names_text_stripped.split(","):
        name = piece.strip(" \t")
        offset = col + (len(piece) - len(piece.lstrip(" \t")))
        span = Span(start + offset, start + offset + len(name))
        col += len(piece) + 1
        if not name:
            continue
        if not _NAME.match(name):
            out.problems.append((span, f"`{name}` is not a rule name: separate names with commas and put "
                                 "a reason after ` -- `.",
                                 f"Write `# cclint: {action}=RULE,RULE -- reason`."))
            continue
        if name.lower() in ("all", "*"):
            out.problems.append((span, "A suppression must name its rules: `all` is not accepted.",
                                 "List the rules by name or code."))
            continue
        rule = resolve(name)
        if rule is None:
            from cclint.registry import closest_rules, did_you_mean, prefixed_rules

            several = prefixed_rules(name)
            if len(several) > 1:
                out.problems.append((span, f"`{name}` is a prefix of several rules ({', '.join(several)}): "
                                     "a suppression names each rule it silences, so it suppresses nothing.",
                                     "Name the rules, separated by commas."))
                continue
            close = closest_rules(name)
            out.problems.append((span, f"Unknown rule `{name}` in a suppression{did_you_mean(name)}: it "
                                 "suppresses nothing.",
                                 f"Write `{close[0]}`." if len(close) == 1
                                 else "Use a rule name or code from `cclint rules`."))
            continue
        comment.names.append((name, span))
        comment.rules.setdefault(rule, name)
    if not comment.rules:
        return None
    if action in ("disable-next-line", "disable-file", "enable") and not own:
        out.problems.append((comment.span, f"`{action}` must be on a line of its own: this comment is ignored.",
                             "Put it on its own line, or use `disable-line` at the end of a line."))
        return None
    if action == "disable-line" and own:
        out.problems.append((comment.span, "`disable-line` on a line of its own covers nothing.",
                             "Put it at the end of the line to silence, or write `disable-next-line`."))
        return None
    return comment


def _scopes(script, comments: list[Comment], out: Parsed) -> None:
    source = script.source
    command_lines = _command_lines(script)
    directive_lines = {c.line for c in comments if c.own_line}
    open_ranges: dict[str, Comment] = {}
    total = source.line_count
    for c in comments:
        if c.action == "disable-file":
            out.suppressions.extend(Suppression(c, r, None) for r in c.rules)
        elif c.action in ("disable-line", "disable") and not c.own_line:
            first = _command_start(source, c.line, command_lines)
            out.suppressions.extend(Suppression(c, r, range(first, c.line + 1)) for r in c.rules)
        elif c.action == "disable-next-line":
            target = c.line + 1
            while target <= total and (not source.line(target).strip() or target in directive_lines):
                target += 1
            if target > total:
                out.problems.append((c.span, "`disable-next-line` has no line after it to cover.",
                                     "Remove the comment."))
                continue
            last = _command_end(source, target, command_lines)
            out.suppressions.extend(Suppression(c, r, range(target, last + 1)) for r in c.rules)
        elif c.action == "disable":  # own line: a range
            for r, written in c.rules.items():
                if r in open_ranges:
                    out.problems.append((c.span, f"`{written}` is already disabled since line "
                                         f"{open_ranges[r].line}.", "Remove one of the two comments."))
                    continue
                open_ranges[r] = c
        elif c.action == "enable":
            for r, written in c.rules.items():
                opener = open_ranges.pop(r, None)
                if opener is None:
                    out.problems.append((c.span, f"`enable={written}` closes no `# cclint: disable={written}` "
                                         "range.", "Remove it, or add the `disable` comment above."))
                    continue
                out.suppressions.append(Suppression(opener, r, range(opener.line + 1, c.line), partner=c))
    for r, c in open_ranges.items():
        written = c.rules[r]
        out.problems.append((c.span, f"`# cclint: disable={written}` on its own line opens a range that no "
                             f"`# cclint: enable={written}` closes, so it suppresses nothing.",
                             f"Add `# cclint: enable={written}` after the lines to silence, or write "
                             f"`# cclint: disable-next-line={written}` to cover only the next line."))


def _command_lines(script) -> dict[int, int]:
    """First line -> last line of every simple command spanning several lines."""
    spans: dict[int, int] = {}
    source = script.source
    for cmd in script.body.commands:
        if cmd.span.end <= cmd.span.start:
            continue
        first = source.position(cmd.span.start)[0]
        last = source.position(cmd.span.end - 1)[0]
        if last > first:
            spans[first] = max(spans.get(first, first), last)
    return spans


def _command_end(source, line: int, command_lines: dict[int, int]) -> int:
    last = command_lines.get(line, line)
    n = line
    while n < source.line_count and _continues(source.line(n)):
        n += 1
    return max(last, n)


def _command_start(source, line: int, command_lines: dict[int, int]) -> int:
    first = line
    for start, end in command_lines.items():
        if start < first and end == line:
            first = start
    n = first
    while n > 1 and _continues(source.line(n - 1)):
        n -= 1
    return min(first, n)


def _continues(text: str) -> bool:
    stripped = text.rstrip(" \t")
    return stripped.endswith("\\") and not stripped.endswith("\\\\") and not stripped.lstrip().startswith("#")


_FILE_FINDINGS = frozenset({"missing-shebang", "crlf-line-endings"})


def disable_next_line(script, line: int, rule: str) -> tuple[int, str] | None:
    """Where and what to insert to silence `rule` on `line`: a `disable-next-line` comment on
    its own line above the command that holds it (above its first line when it is continued).
    None where no comment can go: in a here-document or a multi-line string, or above `#!`;
    and for a finding about the file itself (no `#!` on line 1, the first `\\r\\n`), which the
    comment would not silence: it becomes that first line, and the finding moves onto it."""
    source = script.source
    if line in script.body.data_lines or line < 1 or rule in _FILE_FINDINGS:
        return None
    first = _command_start(source, line, _command_lines(script))
    if first == 1 and source.line(1).startswith("#!"):
        return None
    text = source.line(first)
    indent = text[:len(text) - len(text.lstrip(" \t"))]
    return source.line_start(first), f"{indent}# cclint: disable-next-line={rule}\n"


# -- applying ------------------------------------------------------------------------------


def apply_suppressions(script, ctx, diagnostics: list[Diagnostic], active: set[str]) -> list[Diagnostic]:
    def resolve(name):
        rule = find_rule(name)
        return rule.name if rule is not None else None

    parsed = parse(script, resolve)
    kept = _filter(diagnostics, parsed.suppressions)
    if "unused-suppression" in active:
        # A suppression of a rule that did not run is judged by running that rule quietly:
        # it is unused only if the rule would find nothing in its scope.
        shadow = {s.rule for s in parsed.suppressions} - active - set(ENGINE_RULES)
        if shadow:
            _filter(_shadow_findings(script, ctx, shadow), parsed.suppressions)
    extra: list[Diagnostic] = []
    if "invalid-suppression" in active:
        rule = find_rule("invalid-suppression")()
        for span, message, fix in parsed.problems:
            extra.append(_override(ctx, rule.report(ctx, span, message, fix=fix)))
    if "unused-suppression" in active:
        rule = find_rule("unused-suppression")()
        extra.extend(_override(ctx, d) for d in _unused(script, ctx, rule, parsed.suppressions, active))
    return kept + _filter(extra, parsed.suppressions)


def _shadow_findings(script, ctx, names: set[str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for name in sorted(names):
        rule = find_rule(name)
        if rule is None or (script.source.is_blank and rule.needs_content):
            continue
        try:
            found.extend(rule().check(script, ctx))
        except Exception:  # the rule itself reports its bugs when it runs for real
            continue
    return found


def _override(ctx, diag: Diagnostic) -> Diagnostic:
    override = ctx.settings.severity.get(diag.rule)
    if override is not None:
        diag.severity = override
    return diag


def _filter(diagnostics: list[Diagnostic], suppressions: list[Suppression]) -> list[Diagnostic]:
    if not suppressions:
        return list(diagnostics)
    kept = []
    for d in diagnostics:
        hit = False
        for s in suppressions:
            if s.rule == d.rule and (s.lines is None or d.line in s.lines):
                s.used = hit = True
        if not hit:
            kept.append(d)
    return kept


def _unused(script, ctx, rule, suppressions: list[Suppression], active: set[str]):
    by_comment: dict[int, list[Suppression]] = {}
    for s in suppressions:
        if s.rule in ENGINE_RULES:
            continue
        by_comment.setdefault(id(s.comment), []).append(s)
    for group in by_comment.values():
        unused = [s for s in group if not s.used]
        if not unused:
            continue
        comment = group[0].comment
        all_rules = set(comment.rules)
        unused_rules = {s.rule for s in unused}
        shown = ", ".join(f"`{comment.rules[s.rule]}`" for s in unused)
        where = "in this file" if comment.action == "disable-file" else "in its scope"
        message = (f"Suppression of {shown} is unused: no such finding {where}." if len(unused) == 1 else
                   f"Suppressions of {shown} are unused: no such findings {where}.")
        edit = _removal(script.source, comment, all_rules, unused_rules, group[0].partner)
        yield rule.report(ctx, comment.span, message, edit=edit)


def _removal(source, comment: Comment, all_rules: set[str], unused: set[str], partner: Comment | None) -> Fix | None:
    if unused == all_rules:
        if partner is not None:
            if set(partner.rules) != all_rules:
                return None
            return Fix("Remove the unused range", (_remove(comment), _remove(partner)), Applicability.SAFE)
        return Fix("Remove the unused suppression", (_remove(comment),), Applicability.SAFE)
    if partner is not None:
        return None
    keep = [written for written, _ in comment.names if _resolved(comment, written) not in unused]
    span = comment.names_span
    return Fix("Remove the unused names", (Edit(span.start, span.end, ",".join(keep)),), Applicability.SAFE)


def _resolved(comment: Comment, written: str) -> str | None:
    for rule, name in comment.rules.items():
        if name == written:
            return rule
    found = find_rule(written)
    return found.name if found else None


def _remove(comment: Comment) -> Edit:
    span = comment.line_span if comment.own_line else comment.trail_span
    return Edit(span.start, span.end, "")
