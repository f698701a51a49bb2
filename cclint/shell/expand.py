"""Word values and path locations, computed statically (nothing is ever executed).

A word is expanded against a symbolic environment: variables the job environment defines
keep a symbolic root (`$SLURM_TMPDIR`, `$SCRATCH`, `~`), variables the script assigns are
substituted, and everything unknowable (`$1`, `$(date)`, loop variables) stays visible as
`${NAME}` with `exact=False`. A path is then classified as node-local, shared or unknown
(rules.md, top): relative paths are resolved against the tracked working directory.
"""

from __future__ import annotations

import posixpath
import re

from cclint.patterns import LazyPattern, lazy
from cclint.record import FrozenRecord

LOCAL, SHARED, UNKNOWN = "local", "shared", "unknown"

# Roots that live on the compute node and vanish with the job.
LOCAL_ROOTS = ("$SLURM_TMPDIR", "$TMPDIR", "$LSCRATCH", "$RAMDISK", "/tmp", "/localscratch",
               "/dev/shm")
# Network file systems shared by all nodes (and kept after the job).
SHARED_ROOTS = ("~", "$HOME", "/home", "/project", "/projects", "$PROJECT", "$SCRATCH",
                "/scratch", "/network", "/nearline", "$ARCHIVE", "/datashare",
                "$SLURM_SUBMIT_DIR", "/lustre*", "/gpfs*",
                "$RAP", "/rap")  # Hélios's project space (Moab era)

SUBMIT_DIR = "$SLURM_SUBMIT_DIR"

# What the job environment provides, symbolically.
JOB_ENVIRONMENT = {
    "SLURM_TMPDIR": "$SLURM_TMPDIR", "TMPDIR": "$TMPDIR", "LSCRATCH": "$LSCRATCH",
    "RAMDISK": "$RAMDISK", "HOME": "~", "SCRATCH": "$SCRATCH", "PROJECT": "$PROJECT",
    "ARCHIVE": "$ARCHIVE", "SLURM_SUBMIT_DIR": SUBMIT_DIR, "RAP": "$RAP",
}

_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-]")
_MAX_DEFAULT_NESTING = 20  # ${a:-${b:-...}} deeper than this is unknown (and cannot recurse away)


class Value(FrozenRecord):
    __slots__ = ("text", "exact")

    def __init__(self, text: str, exact: bool = True):
        self.text = text
        self.exact = exact  # False when some part could not be known statically

    @property
    def location(self) -> str:
        return classify(self.text)


def _roots(roots: tuple[str, ...]) -> LazyPattern:
    parts = [re.escape(r[:-1]) if r.endswith("*") else re.escape(r) + "(?:/|$)" for r in roots]
    return lazy("|".join(parts))


_LOCAL = _roots(LOCAL_ROOTS)
_SHARED = _roots(SHARED_ROOTS)


def classify(path: str) -> str:
    """'local', 'shared' or 'unknown' for an absolute or symbolic path."""
    if _LOCAL.match(path):
        return LOCAL
    if _SHARED.match(path) or path.startswith("~"):
        return SHARED
    return UNKNOWN


def join(cwd: str | None, path: str) -> str | None:
    """Resolve `path` against the working directory, symbolically. None if unknowable."""
    if path.startswith(("/", "~", "$")):
        return _normalise(path)
    if cwd is None:
        return None
    return _normalise(posixpath.join(cwd, path)) if path else cwd


def _normalise(path: str) -> str:
    if path.startswith("${"):
        return path
    out = posixpath.normpath(path)
    return out if not path.endswith("/") or out == "/" else out


# A double- or single-quoted part (closed or left open at the end), for `unquote`'s fast path.
_QUOTED_PART = lazy(r"\"([^\"]*)\"?|'([^']*)'?")


def unquote(raw: str) -> str:
    """Remove quotes and backslashes, keeping expansions as written."""
    if "\\" not in raw and "$'" not in raw:  # most words: only quotes to take off
        if "'" not in raw:
            return raw.replace('"', "")
        if '"' not in raw:
            return raw.replace("'", "")
        return _QUOTED_PART.sub(r"\1\2", raw)
    out: list[str] = []
    i, n = 0, len(raw)
    quote = ""
    while i < n:
        ch = raw[i]
        if quote == "'":
            if ch == "'":
                quote = ""
            else:
                out.append(ch)
        elif ch == "\\" and i + 1 < n:
            nxt = raw[i + 1]
            if quote == '"' and nxt not in '$`"\\\n':
                out.append(ch)
            if nxt != "\n":
                out.append(nxt)
            i += 1
        elif ch == '"':
            quote = "" if quote else '"'
        elif ch == "'" and not quote:
            quote = "'"
        elif ch == "$" and not quote and raw.startswith("$'", i):
            quote = "'"
        else:
            out.append(ch)
        i += 1
    return "".join(out)


class Expander:
    """Expands words against an environment (name -> text, None = unknown) and a cwd."""

    def __init__(self, env: dict[str, str | None], cwd: str | None):
        self.env = env
        self.cwd = cwd
        self._depth = 0

    def lookup(self, name: str) -> str | None:
        if name == "PWD":
            return self.cwd
        return self.env.get(name, JOB_ENVIRONMENT.get(name))

    def expand(self, raw: str) -> Value:
        out: list[str] = []
        exact = True
        i, n = 0, len(raw)
        quote = ""
        if raw.startswith("~") and (n == 1 or raw[1] == "/"):
            out.append("~")
            i = 1
        elif raw.startswith("~") and re.match(r"~[a-z_][a-z0-9_-]*(/|$)", raw):
            user = re.match(r"~([a-z_][a-z0-9_-]*)", raw)[1]
            out.append("/home/" + user)
            i = 1 + len(user)
        while i < n:
            ch = raw[i]
            if quote == "'":
                if ch == "'":
                    quote = ""
                else:
                    out.append(ch)
                i += 1
                continue
            if ch == "\\" and i + 1 < n:
                out.append(raw[i + 1])
                i += 2
                continue
            if ch == '"':
                quote = "" if quote else '"'
                i += 1
                continue
            if ch == "'" and not quote:
                quote = "'"
                i += 1
                continue
            if ch == "`":
                j = raw.find("`", i + 1)
                j = n if j < 0 else j + 1
                text, ok = self._substitution(raw[i + 1:j - 1])
                out.append(text)
                exact = exact and ok
                i = j
                continue
            if ch == "$" and i + 1 < n:
                text, ok, i = self._dollar(raw, i)
                out.append(text)
                exact = exact and ok
                continue
            out.append(ch)
            i += 1
        return Value("".join(out), exact)

    def _substitution(self, inner: str) -> tuple[str, bool]:
        if inner.strip() in ("pwd", "pwd -P", "pwd -L") and self.cwd is not None:
            return self.cwd, True
        return "${" + "(" + inner.strip()[:20] + ")}", False

    def _dollar(self, raw: str, i: int) -> tuple[str, bool, int]:
        nxt = raw[i + 1]
        if nxt == "(":
            j = _closing(raw, i + 1, "(", ")")
            inner = raw[i + 2:j]
            text, ok = self._substitution(inner) if not inner.startswith("(") else ("${((..))}", False)
            return text, ok, j + 1
        if nxt == "{":
            j = _closing(raw, i + 1, "{", "}")
            text, ok = self._braced(raw[i + 2:j])
            return text, ok, j + 1
        if nxt == "'":
            return "", True, i + 1  # $'...': the quote itself is handled by the caller
        m = _NAME.match(raw, i + 1)
        if not m:
            return "$", True, i + 1
        name = m.group()
        value = self.lookup(name)
        if value is None:
            return "${" + name + "}", False, m.end()
        return value, True, m.end()

    def _braced(self, body: str) -> tuple[str, bool]:
        m = re.match(r"([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])(.*)$", body, re.S)
        if not m:
            return "${" + body + "}", False
        name, rest = m.groups()
        value = self.lookup(name)
        for op in (":-", "-", ":=", "="):
            if rest.startswith(op):
                if value is not None and (value or op in ("-", "=")):
                    return value, True
                if self._depth >= _MAX_DEFAULT_NESTING:
                    return "${" + name + "}", False
                self._depth += 1
                try:
                    default = self.expand(rest[len(op):])
                finally:
                    self._depth -= 1
                return default.text, default.exact
        if rest == "" and value is not None:
            return value, True
        return "${" + body + "}", False

    def path(self, raw: str) -> tuple[Value, str | None]:
        """The value of a word used as a path, and that path resolved against the cwd."""
        value = self.expand(raw)
        if not value.text or value.text.startswith("${"):
            return value, None
        return value, join(self.cwd, value.text)

    def location(self, raw: str) -> str:
        _, resolved = self.path(raw)
        return classify(resolved) if resolved else UNKNOWN


def _closing(raw: str, j: int, opening: str, closing: str) -> int:
    """Index of the bracket that closes the one at `j` (len(raw) if none does)."""
    depth = 0
    while j < len(raw):
        if raw[j] == opening:
            depth += 1
        elif raw[j] == closing:
            depth -= 1
            if depth == 0:
                break
        j += 1
    return j
