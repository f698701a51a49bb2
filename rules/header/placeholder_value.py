import re

from cclint.diagnostics import Severity
from cclint.registry import Rule
from cclint.source import Span

# Template text people leave in scripts copied from documentation.
_PLACEHOLDER = re.compile(
    r"(?=[<dycr])(?:"  # the first letters of the alternatives: halves the cost of a search
    r"<[A-Za-z][A-Za-z0-9_ .-]*>"  # <username>, <your account>
    r"|\bdef-(?:some[a-z]*|user(?:name)?|your[a-z_-]*|x{2,}|pi|prof(?:essor)?|supervisor|group"
    r"|account|name|sponsor|labname|allocation)\b"
    r"|\byour[-_]?(?:account|project|group|user(?:name)?|email|e-mail|name|lab|pi|allocation"
    r"|netid|id|partition)\b"
    r"|\b(?:change[-_]?me|replace[-_]?me)\b)",
    re.IGNORECASE)
# Searched apart, only in text with an `@`: tried at every letter, it tripled the cost.
_EXAMPLE_EMAIL = re.compile(r"\b[\w.+-]*@example\.(?:com|org|net)\b", re.IGNORECASE)


def _placeholder(text: str):
    """The first piece of template text in `text` (the leftmost; at equal starts, not the e-mail)."""
    found = _PLACEHOLDER.search(text)
    if "@" in text:
        email = _EXAMPLE_EMAIL.search(text)
        if email and (found is None or email.start() < found.start()):
            return email
    return found


class PlaceholderValue(Rule):
    code = "CC110"
    name = "placeholder-value"
    family = "header"
    severity = Severity.ERROR
    summary = "Template text left in a directive or a path (<username>, def-xxx, your-account)"
    rationale = """
Scripts copied from a tutorial keep its placeholders: `--account=def-someuser`,
`--account=your-account`, `/scratch/<username>/logs`, `~/projects/def-xxxx/data.tar`,
`CHANGEME`. The job is refused for an invalid account, or it starts, waits in the queue and
then fails on a path that does not exist. An empty `--account=` is the same mistake.
"""
    fix = "Replace the placeholder with your real value (e.g. your account: `sshare -U`)."
    bad = "#!/bin/bash\n#SBATCH --account=def-someuser\n#SBATCH --time=01:00:00\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --account=def-tremblay\n#SBATCH --time=01:00:00\npython x.py\n"

    def check(self, script, ctx):
        for d in script.header.directives:
            if d.spec is None or d.value is None:
                continue
            if d.name == "account" and d.value.strip() == "":
                yield self.report(ctx, d.span, f"`{d.shown}` is empty: the job is charged to your "
                                  "default account, if you have one, or refused.",
                                  fix=_fix_for("account", "", script))
                continue
            match = _placeholder(d.value)
            if match:
                span = d.value_span if d.value_span is not None else d.span
                if d.origin in ("pbs", "bsub"):
                    span = d.span
                yield self.report(ctx, span, f"`{match.group()}` in `{d.shown}` is template text, "
                                  "not a real value.", fix=_fix_for(d.name, match.group(), script))
        # One search in all the words joined by NULs first: no pattern spans a NUL, which
        # bounds words like the ends of a text, so no match there means none in any word.
        if _placeholder("\0".join(w.raw for cmd in script.body.commands for w in _words(cmd))) is None:
            return
        for cmd in script.body.commands:
            usage_text = cmd.basename in ("echo", "printf")  # `Usage: run <input>` is fine there
            for word in _words(cmd):
                match = _placeholder(word.raw)
                if match and not (usage_text and match.group().startswith("<")):
                    start = word.span.start + match.start()
                    yield self.report(ctx, Span(start, start + len(match.group())),
                                      f"`{match.group()}` in `{word.raw}` is template text left "
                                      "from an example: this path does not exist.",
                                      fix=_fix_for("", match.group(), script))
                    break


def _words(cmd):
    """The words of a command, assigned values and redirection targets included."""
    yield from cmd.words
    for a in cmd.assignments:
        yield a.value
    for r in cmd.redirects:
        if r.target is not None:
            yield r.target


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
