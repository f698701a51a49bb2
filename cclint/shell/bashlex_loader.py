"""Import bashlex without rebuilding its LALR tables on every run.

bashlex 0.18 builds its parser tables with its bundled PLY each time `bashlex.parser` is
imported (about 150 ms here, more than all of cclint's own work on a script). We wrap
`bashlex.yacc.yacc` during that import: the first run builds the tables as usual and stores
the action, goto and production tables with `marshal` (data only, never code) in the user's
cache directory, keyed by a hash of bashlex's grammar sources and the Python version; later
runs rebuild the parser object from that file in a few milliseconds. Any problem with the
cache (unwritable directory, corrupt file) silently falls back to the normal build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_FORMAT = 1
NO_CLOSING_BRACE = "bad substitution: no closing `}`"  # what `_never_loop` raises (a statement's reason)


def cache_dir() -> Path:
    if os.environ.get("CCLINT_CACHE_DIR"):
        return Path(os.environ["CCLINT_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "cclint"


def _key() -> str:
    import hashlib
    import importlib.util

    # find_spec on the top-level package only: a submodule lookup would import bashlex.
    spec = importlib.util.find_spec("bashlex")
    if spec is None or not spec.submodule_search_locations:
        return ""
    folder = Path(list(spec.submodule_search_locations)[0])
    digest = hashlib.sha256(f"{_FORMAT}:{sys.version_info[:2]}".encode())
    for name in ("parser.py", "yacc.py", "tokenizer.py"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:20]


class _Production:
    """The four attributes of a PLY production that the LR parser uses."""

    __slots__ = ("name", "len", "func", "callable", "str")

    def __init__(self, name: str, length: int, func: str | None, text: str, pdict: dict):
        self.name, self.len, self.func, self.str = name, length, func, text
        self.callable = pdict[func] if func else None


def _tables_file() -> Path | None:
    try:
        key = _key()
    except OSError:
        return None
    return cache_dir() / f"bashlex-tables-{key}.marshal" if key else None


def _load(path: Path | None) -> dict | None:
    if path is None:
        return None
    import marshal

    try:
        with open(path, "rb") as fh:
            data = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) and data.get("format") == _FORMAT else None


def _save(path: Path | None, parser) -> None:
    if path is None:
        return
    import marshal

    productions = [
        (p.name, p.len, p.func, p.str) if p is not None else None for p in parser.productions
    ]
    data = {
        "format": _FORMAT,
        "action": {k: dict(v) for k, v in parser.action.items()},
        "goto": {k: dict(v) for k, v in parser.goto.items()},
        "productions": productions,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            marshal.dump(data, fh)
        os.replace(tmp, path)
    except OSError:
        pass


def import_bashlex():
    """Import and return the `bashlex` package, using cached parser tables when possible."""
    if "bashlex.parser" in sys.modules:  # imported already (by cclint, or plainly by a caller)
        _never_loop(sys.modules["bashlex.subst"], sys.modules["bashlex.errors"])
        return sys.modules["bashlex"]
    import importlib.util
    import types

    # bashlex/__init__.py imports the parser at once, so register the package without
    # running it, import bashlex.yacc alone, patch it, then run the package's __init__.
    spec = importlib.util.find_spec("bashlex")
    if spec is None or spec.loader is None:
        raise ImportError("bashlex is not installed")
    package = importlib.util.module_from_spec(spec)
    sys.modules["bashlex"] = package
    try:
        yacc = importlib.import_module("bashlex.yacc")
    except BaseException:
        del sys.modules["bashlex"]
        raise

    original = yacc.yacc
    path = _tables_file()
    data = _load(path)

    def cached_yacc(*args, **kwargs):
        module = sys.modules["bashlex.parser"]
        pdict = vars(module)
        if data is not None:
            try:
                productions = [
                    _Production(*p, pdict) if p is not None else None for p in data["productions"]
                ]
                table = types.SimpleNamespace(lr_productions=productions,
                                              lr_action=data["action"], lr_goto=data["goto"])
                return yacc.LRParser(table, pdict["p_error"])
            except (KeyError, TypeError, ValueError):
                pass
        kwargs.pop("outputdir", None)
        parser = original(*args, module=module, **kwargs)
        _save(path, parser)
        return parser

    yacc.yacc = cached_yacc
    try:
        spec.loader.exec_module(package)
    except BaseException:
        for name in [m for m in sys.modules if m == "bashlex" or m.startswith("bashlex.")]:
            del sys.modules[name]
        raise
    finally:
        yacc.yacc = original
    _never_loop(sys.modules["bashlex.subst"], sys.modules["bashlex.errors"])
    return package


def _never_loop(subst, errors) -> None:
    """bashlex 0.18 loops forever on a `${` with no `}` after it in the word it expands, at
    any depth (`echo '${y'`, inside `$(...)` or `<(...)`): `_paramexpand` answers an index
    before the one it started from (str.find's -1), and the scan of the word starts again
    there. Make it raise bashlex's own ParsingError instead, so that the statement goes to
    the fallback tokenizer like any other that bashlex cannot read."""
    original = subst._paramexpand
    if getattr(original, "never_loops", False):
        return

    def paramexpand(parserobj, string, sindex):
        node, end = original(parserobj, string, sindex)
        if end <= sindex:
            raise errors.ParsingError(NO_CLOSING_BRACE, string, sindex)
        return node, end

    paramexpand.never_loops = True
    subst._paramexpand = paramexpand
