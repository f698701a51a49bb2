"""Values a fix text can take from the script itself, so that a pasted fix is already right.

A suggested `--account=def-xxx` or `~/projects/def-xxx/...` is template text that cclint
itself reports (placeholder-value). Where the script shows the real value (its `--account`,
a project directory it uses), fix texts use that; where it does not, they write `<account>`,
the one form meant for the reader to replace, which placeholder-value reports if pasted.
"""

from __future__ import annotations

from cclint.patterns import lazy

# A group's project directory on the Alliance (and PAICE) clusters, as written in a script.
_PROJECT = lazy(r"(?<![\w/.$-])((?:~|\$HOME|\$\{HOME\}|/home/[\w.-]+)/projects|/project)"
                r"/((?:def|rrg|rpp|ctb|aip)-[a-z0-9][\w-]*)")
_ALLIANCE_ACCOUNT = lazy(r"(?:def|rrg|rpp|ctb)-[a-z0-9][\w-]*\Z")
ACCOUNT = "<account>"  # what a fix writes when the script does not show the account


def _real(value: str) -> bool:
    from cclint.analysis.placeholders import placeholder

    return bool(value) and placeholder(value) is None


def project_dir(script) -> tuple[str, str] | None:
    """(directory as written, account) of the first group project directory the script uses."""
    text = script.source.text
    if "/project" not in text:  # most scripts: no search at all
        return None
    for match in _PROJECT.finditer(text):
        if _real(match[2]):
            return f"{match[1]}/{match[2]}", match[2]
    return None


def account(script) -> str | None:
    """The script's account: its `--account`, else the group of a project directory it uses."""
    d = script.header.get("account")
    if d is not None and d.value and _real(d.value.strip()) and "$" not in d.value:
        return d.value.strip()
    found = project_dir(script)
    return found[1] if found else None


def results_destination(script) -> str:
    """Where a copy-back can put the results: the project directory the script uses (or its
    account's, on the Alliance), else the directory the job was submitted from."""
    found = project_dir(script)
    if found is None:
        name = account(script)
        if name and _ALLIANCE_ACCOUNT.match(name):
            found = (f"~/projects/{name}", name)
    base = found[0] if found else "$SLURM_SUBMIT_DIR"
    return f"{base}/results_$SLURM_JOB_ID"
