"""Step 1 (inputs): which files to lint, from the paths given on the command line.

A file named explicitly is always linted (and a problem reading it is reported). In a
directory (and with --only-job-scripts, as the pre-commit hook runs), cclint lints job
scripts only:
- a file ending in .sbatch, .slurm, .job or .pbs: the name says it is one;
- a text file with a line starting with `#SBATCH`, `#PBS` or `#BSUB`, but not a document
  (Markdown, reStructuredText, HTML, a notebook...: it shows a job script, and --fix would
  write `#!/bin/bash` above its title);
- a shell script (.sh, .bash) with a sign of a batch job: a directive look-alike
  (`# SBATCH --time`, `#sbatch -p`), a job variable (`$SLURM_TMPDIR`, `$SLURM_ARRAY_TASK_ID`,
  `$PBS_O_WORKDIR`), or an `srun` step. A helper with none (setup, download, submit loops run
  on a login node) is not a job script. When grading (`--report`), every shell script of a
  submission counts: a student's script with no header at all is the first thing to report.
Hidden directories, virtual environments and VCS folders are skipped; the order is sorted,
so output is deterministic. A file reached by a symbolic link comes after the files found
under their own names, so a file is linted under its own name, not a link's; when grading,
a link out of its submission's folder is not followed (another student's script, a file
of the grader's).
"""

from __future__ import annotations

import fnmatch
import os
import re
from cclint.patterns import lazy
from cclint.record import record


BATCH_SUFFIXES = (".sbatch", ".slurm", ".job", ".pbs")
SHELL_SUFFIXES = (".sh", ".bash")
# Documents: a tutorial or README often shows a job script, its #SBATCH lines at column 0.
DOCUMENT_SUFFIXES = (".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".org", ".tex", ".html",
                     ".htm", ".ipynb", ".rmd", ".qmd")
_SKIP_DIRS = {"node_modules", "__pycache__", "venv", "site-packages", ".git"}
_SNIFF_BYTES = 65536
_DIRECTIVE_LINE = lazy(rb"^(#SBATCH|#PBS[ \t]|#BSUB[ \t])", re.M)  # at column 0, as sbatch reads them
_JOB_SIGN = lazy(rb"^[ \t]*#[ \t]*(?:sbatch|pbs)[ \t]+-"  # a directive look-alike
                 rb"|\$\{?(?:SLURM|PBS|LSB)_[A-Z]"  # a variable only a job has
                 rb"|^[ \t]*srun[ \t](?![^\n]*--pty)", re.M | re.I)  # a job step


@record(frozen=True)
class Target:
    path: str  # what to open ('-' for stdin)
    display: str  # how to name it in output
    explicit: bool  # named on the command line (errors are reported, never skipped)
    problem: str | None = None  # why there is nothing to lint here (one line for the user)
    top: str | None = None  # the directory named on the command line it was found under


def is_job_script(path: str, every_shell_script: bool = False) -> bool:
    """Whether a file found in a directory is a job script (see the module's docstring)."""
    if every_shell_script and path.endswith(SHELL_SUFFIXES):
        return True
    named = _by_name(path)
    if named is not None:
        return named
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return path.endswith(SHELL_SUFFIXES)  # linting it reports the problem
    return looks_like_job_script(path, head)


def _by_name(name: str) -> bool | None:
    """What the name alone decides: a batch suffix is a job script, a document is not."""
    if name.endswith(BATCH_SUFFIXES):
        return True
    if name.lower().endswith(DOCUMENT_SUFFIXES):
        return False
    return None


def looks_like_job_script(name: str, head: bytes) -> bool:
    """The same decision from a file's name and first bytes (an editor's buffer, say)."""
    named = _by_name(name)
    if named is not None:
        return named
    head = head[:_SNIFF_BYTES]
    if b"\x00" in head:
        return name.endswith(SHELL_SUFFIXES)  # a binary .sh: linting it reports the problem
    if b"\r" in head:  # old Mac line ends (\r alone) end lines too: crlf-line-endings reports them
        head = head.replace(b"\r", b"\n")
    if _DIRECTIVE_LINE.search(head):
        return True
    return name.endswith(SHELL_SUFFIXES) and _JOB_SIGN.search(head) is not None


def _excluded(rel: str, exclude: tuple[str, ...]) -> bool:
    parts = rel.split("/")
    for pattern in exclude:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(rel, pattern) or any(fnmatch.fnmatch(p, pattern) for p in parts):
            return True
    return False


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _add(full: str, real: str, given: str, seen: set[str], found: list[Target], every_shell_script: bool) -> int:
    """A file met in a folder walk: 1 if it counts as a job script (found now or before)."""
    if real in seen:
        return 1
    if not os.path.isfile(full) or not is_job_script(full, every_shell_script):
        return 0
    seen.add(real)
    found.append(Target(full, full if not full.startswith("./") else full[2:], False, top=given))
    return 1


def targets(paths: list[str], exclude: tuple[str, ...] = (), every_shell_script: bool = False) -> list[Target]:
    found: list[Target] = []
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            again = "<stdin>" in seen
            seen.add("<stdin>")
            found.append(Target("-", "<stdin>", True, "standard input can be read only once (`-` is "
                                "given twice)" if again else None))
            continue
        if not os.path.isdir(given):
            real = os.path.realpath(given)
            if os.path.isfile(given):
                if real in seen:  # named twice, or found under a folder named before
                    continue
                seen.add(real)
            found.append(Target(given, given, True))
            continue
        before, scripts = len(found), 0

        def unreadable(error: OSError) -> None:
            name = error.filename or given
            found.append(Target(name, name, True, f"{name}: cannot search this directory "
                                f"({(error.strerror or str(error)).lower()})"))

        links: list[tuple[str, str]] = []  # (path, real path): after the files they may point to
        top = os.path.realpath(given)
        for root, dirs, files in os.walk(given, onerror=unreadable, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS
                             and not _excluded(os.path.relpath(os.path.join(root, d), given), exclude))
            for name in sorted(files):
                full = os.path.join(root, name)
                rel = os.path.relpath(full, given)
                if name.startswith(".") or _excluded(rel, exclude):
                    continue
                real = os.path.realpath(full)
                if os.path.islink(full):
                    # Grading: a submission is its own files; a link out of it (to another
                    # student's script, to the grader's files) is not followed.
                    if not every_shell_script or _inside(real, os.path.join(top, rel.split(os.sep)[0])):
                        links.append((full, real))
                    continue
                scripts += _add(full, real, given, seen, found, every_shell_script)
        for full, real in links:  # a file found under its own name is linted under it
            scripts += _add(full, real, given, seen, found, every_shell_script)
        if not scripts and len(found) == before:
            found.append(Target(given, given, True, f"{given}: no job scripts in this directory (files "
                                f"ending in {', '.join(BATCH_SUFFIXES)}, or with an #SBATCH/#PBS line, "
                                "or shell scripts using $SLURM_... or srun)"))
    return found


