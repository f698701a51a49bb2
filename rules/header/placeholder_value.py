"""placeholder-value: template text left in a directive or a path (what counts as one:
`cclint.analysis.placeholders`)."""

from cclint.analysis.directives import FREE_TEXT_OPTIONS
from cclint.analysis.placeholders import (ANYWHERE, CLOSE_FIELD, EXAMPLE_EMAIL, OPEN_FIELD,
                                         directive_placeholder, may_hold_placeholder, placeholder)
from cclint.diagnostics import Severity
from cclint.patterns import lazy
from cclint.registry import Rule
from cclint.source import Span

# Programs whose arguments are code or text (`awk '{print}'`, `sed 's/<br>//'`), not paths.
_TEXT_COMMANDS = {"echo", "printf", "awk", "gawk", "mawk", "sed", "perl", "grep", "egrep", "jq",
                  "xargs", "parallel", "snakemake"}
# What a template in a command does: in a path, the command needs a file that does not exist;
# as `<name>`, bash reads redirections; as a word, the program gets a name it may not need.
_CONSEQUENCE = {
    "path": "the command gets it as written, a path that does not exist.",
    "redirect": "bash reads `<` and `>` there as redirections, so the line fails (or bash refuses "
                "the script).",
    "word": "the command gets it as written, a name that does not exist.",
}
_ACCOUNT_LIKE = lazy(r"(?:^|\s)-W\s*group_list=(\S+)")


class PlaceholderValue(Rule):
    code = "CC110"
    name = "placeholder-value"
    family = "header"
    severity = Severity.ERROR
    summary = "Template text left in a directive or a path (<username>, def-xxx, your-account)"
    rationale = """
Scripts copied from a tutorial keep its placeholders: `--account=def-someuser`,
`--account=<your account>`, `/scratch/<username>/logs`, `--job-name={exp_name}`,
`--array=ARRAY`, `~/projects/def-xxxx/data.tar`, `CHANGEME`. The job is refused for an
invalid account, or it starts, waits in the queue and then fails on a path that does not
exist. Where the job runs anyway (a placeholder in its name, its log name, its mail address,
an empty `--account=`, a word given to a program), the finding is a warning. Placeholders are: text in angle brackets
(`<...>`), `{name}` fields, the template accounts and words (`def-xxx`, `def-someuser`,
`your-account`, `your_username`, `CHANGEME`, `@example.com`), an account ending in `-`, and
an ALL-CAPS word where the option takes only numbers.
"""
    certain_when = ("Template text where a wrong value stops the job: an account (`def-someuser`, "
                    "`<your account>`, `def-`), an option the controller or node checks "
                    "(`--partition`, `--array=ARRAY`, `--chdir`, `--input`), a path a command "
                    "needs (`~/projects/def-xxx/data`), `<name>` that bash reads as redirections, "
                    "a free-text value that sbatch cut at a space (the rest is a stray word). "
                    "Warning where the job runs anyway: a whole free-text value "
                    "(`--job-name={exp_name}`, a log name, `your_username@...` in `--mail-user`), "
                    "an empty `--account=` (the default account, if any, is used), a bare word "
                    "given to a program (`--name {exp_name}`), `#PBS -W group_list` (sbatch "
                    "ignores it).")
    silent_when = ("Real values (`def-sponsor00`); ALL-CAPS words the grammar accepts "
                   "(`UNLIMITED`, `--job-name=RUN`); `${VAR}`, `{}`, `{1..3}`, `{a,b}`, "
                   "`ckpt_{epoch}.pt`; real redirections (`prog <in.dat> out`); the arguments of "
                   "text tools (`echo`, `printf`, `awk`, `sed`, `grep`...); comments and "
                   "here-documents.")
    fix = "Replace the placeholder with your real value (e.g. your account: `sshare -U`)."
    bad = "#!/bin/bash\n#SBATCH --account=def-someuser\n#SBATCH --time=01:00:00\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --account=def-tremblay\n#SBATCH --time=01:00:00\npython x.py\n"

    def check(self, script, ctx):
        source = script.source
        for d in script.header.directives:
            if d.spec is None or d.value is None:
                continue
            if d.name == "account" and d.value.strip() == "":
                yield self.report(ctx, d.span, f"`{d.shown}` is empty: the job is charged to your "
                                  "default account, if you have one, or refused.",
                                  fix=_fix_for("account", "", script),
                                  severity=self.at_most(ctx, Severity.WARNING))
                continue
            match = directive_placeholder(d, source.text)
            if match:
                span = d.value_span if d.value_span is not None else d.span
                if d.origin in ("pbs", "bsub"):
                    span = d.span
                # Whole in a free-text value, the job runs misnamed; cut by sbatch at a space
                # (`{Your ID}`), the rest is a stray word and the script is refused.
                free = d.name in FREE_TEXT_OPTIONS and match in d.value
                said = "the job runs with it as written" if free else "not a real value"
                yield self.report(ctx, span, f"`{match}` in `{d.shown}` is template text, {said}.",
                                  fix=_fix_for(d.name, match, script),
                                  severity=self.at_most(ctx, Severity.WARNING) if free else None)
        for line in script.header.pbs_lines:  # `-W group_list=` is not translated: read it here
            m = _ACCOUNT_LIKE.search(line.text)
            if m and (m.group(1).endswith("-") or placeholder(m.group(1))):
                yield self.report(ctx, line.span, f"`{m.group(1)}` in `{line.text.strip()}` is "
                                  "template text, not a real group (sbatch ignores `-W group_list`).",
                                  fix=_fix_for("account", "-", script),
                                  severity=self.at_most(ctx, Severity.WARNING))
        yield from self._body(script, ctx)

    def _body(self, script, ctx):
        text = script.source.text
        if not may_hold_placeholder(text):  # every word is a piece of the text
            return
        # One search in all the words joined by NULs first: no pattern spans a NUL, which
        # bounds words like the ends of a text, so no match there means none in any word.
        commands = script.body.commands
        joined = "\0".join(w.raw for cmd in commands for w in cmd.all_words())
        if not (may_hold_placeholder(joined) and (ANYWHERE.search(joined) or "@" in joined
                                                  and EXAMPLE_EMAIL.search(joined))) \
                and ("<" not in text or not any(r.op == "<" for cmd in commands for r in cmd.redirects)):
            return
        for cmd in commands:
            skip_brackets = cmd.basename in _TEXT_COMMANDS  # `Usage: run <input>` is fine there
            found = None
            words = list(cmd.all_words())
            for k, word in enumerate(words):
                match = placeholder(word.raw)
                if match and not (skip_brackets and match.group()[0] in "<{") \
                        and not (match.group()[0] == "{" and not _field_in_path(word.raw, match)):
                    kind = "path" if _in_path(word.raw) else "word"
                    found = word.span.start + match.start(), match.group(), word.raw, kind
                    break
                if not skip_brackets and k + 1 < len(words) and OPEN_FIELD.fullmatch(word.raw) \
                        and CLOSE_FIELD.fullmatch(words[k + 1].raw):  # `{Env Name}`: two words
                    shown = text[word.span.start:words[k + 1].span.end]
                    found = word.span.start, shown, shown, "word"
                    break
            if found is None and not skip_brackets:
                pair = _redirect_pair(cmd, text)
                found = pair + ("redirect",) if pair else None
            if found:
                start, shown, where, kind = found
                if where == shown:
                    where = script.source.line(script.source.line_of(start)).strip()
                yield self.report(ctx, Span(start, start + len(shown)),
                                  f"`{shown}` in `{where}` is template text left from an example: "
                                  f"{_CONSEQUENCE[kind]}", fix=_fix_for("", shown, script),
                                  severity=self.at_most(ctx, Severity.WARNING) if kind == "word" else None)


def _in_path(raw: str) -> bool:
    """A word that is a path (`~/projects/def-xxx/data`, `"<path/to/config.yaml>"`): the
    command needs it to exist."""
    return "/" in raw or raw.lstrip("'\"").startswith("~")


def _field_in_path(raw: str, match) -> bool:
    """A `{name}` field that stands as a word or a directory, not inside code (`'{print}'`) or a
    file-name pattern a program fills in (`ckpt_{epoch}.pt`)."""
    raw = raw.strip("'\"")
    start = raw.find(match.group())
    before = raw[start - 1] if start > 0 else ""
    after = raw[start + len(match.group()):][:1]
    return before in ("", "/", "=") and after in ("", "/")


def _redirect_pair(cmd, text: str):
    """`<name>` that bash reads as `< name` then `>`: a template when it is glued to a path
    (`out/<to_save>`, `<env>/bin/activate`) or when that `>` has no file after it (`source
    <path/to/env>`); not `prog <in.txt> out.txt`, two real redirections."""
    for r in cmd.redirects:
        if r.op != "<" or r.target is None or not r.target.raw[:1].isalpha():
            continue
        end = r.target.span.end
        if text[end:end + 1] != ">" or text[end + 1:end + 2] not in ("", " ", "\t", "\n", ";", "/", "'", '"'):
            continue
        start = text.rfind("<", 0, r.target.span.start)
        glued = start > 0 and text[start - 1] not in " \t\n" or text[end + 1:end + 2] == "/"
        after = text[end + 1:].lstrip(" \t")[:1]
        if glued or after in ("", "\n", ";", "<", "|", "&", ")"):
            return start, text[start:end + 1], text[start:end + 1]
    return None


def _fix_for(option: str, text: str, script) -> str:
    if option == "account" or text.lower().startswith("def-") or "account" in text.lower():
        from cclint.analysis.suggest import project_dir

        found = project_dir(script)
        if option == "account" and found is not None:
            return f"Write your real account: `--account={found[1]}`, the group of {found[0]}, if it is yours " \
                "(`sshare -U` lists your accounts)."
        return "Write your real account, such as def- followed by your PI's user name (`sshare -U` lists " \
            "yours)."
    if "@" in text or option == "mail-user":
        return "Write your real e-mail address."
    return f"Replace `{text}` with the real value (your user name is `$USER` in the body; in " \
           "#SBATCH lines type it out)."


RULE = PlaceholderValue
