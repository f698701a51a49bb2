"""Cluster profiles shipped as YAML data, and the loader for them and for user files.

`load_profile("narval")` reads `narval.yaml` from this folder; `load_profile("./course.yaml")`
(any reference with a `/`, or ending in `.yaml`/`.yml`) reads a file. A profile may
`extends:` another (a built-in name, or a path relative to the file): mappings are merged
key by key, anything else in the child replaces the parent's value, and `null` removes it.
A retired cluster's file names its replacement; loading it gives the replacement's profile
with `retired` set, so that the user is told. A retired cluster with no documented successor
(Hélios, Hadès) keeps its own facts and is loaded as it was, with the suggestions it names.

Files are read with ruamel.yaml's safe loader (plain data: no tags, no code). Any problem
raises `ProfileError` with the file, the line and the key.
"""

from __future__ import annotations

import copy
import functools
import os
from cclint.record import record
from pathlib import Path

from cclint.profile import Profile, Retirement
from cclint.profiles import schema
from cclint.spelling import closest

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
if TYPE_CHECKING:
    from typing import Any

BUILTIN_DIR = Path(__file__).resolve().parent
DEFAULT = "generic"
MAX_DEPTH = 16


class ProfileError(Exception):
    """A profile that cannot be used. The message names the file, line and key."""

    def __init__(self, message: str, path: str = "", line: int | None = None, key: str = ""):
        self.path, self.line, self.key = path, line, key
        where = path + (f":{line}" if line else "") if path else ""
        super().__init__(f"{where}: {message}" if where else message)


@record(frozen=True)
class ProfileInfo:
    """One line of `cclint clusters`."""

    name: str
    status: str
    description: str
    replaced_by: str = ""
    since: str = ""


@record
class _File:
    path: Path
    text: str
    data: dict


def builtin_names() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def is_path(ref: str) -> bool:
    return "/" in ref or os.sep in ref or ref.endswith((".yaml", ".yml")) or ref.startswith(".")


def load_profile(ref: str | None = None) -> Profile:
    """A built-in profile by name (case-insensitive), or a profile file by path."""
    ref = (ref or DEFAULT).strip() or DEFAULT
    path = _locate(ref, None)
    top = _read(path)
    retired = top.data.get("retired")
    if not retired:
        return _load_chain(path, [], top)
    # Checked against the replacement; with no documented successor, against itself as it was.
    replacement = retired.get("replaced_by")
    profile = _load_chain(_locate(replacement, path.parent), []) if replacement else _load_chain(path, [], top)
    profile.retired = Retirement(
        name=top.data.get("name") or path.stem, since=str(retired.get("since") or ""),
        replaced_by=profile.name if replacement else "", note=str(retired.get("note") or ""),
        suggested=tuple(str(s) for s in retired.get("suggested") or ()))
    return profile


def list_profiles() -> list[ProfileInfo]:
    """Every built-in profile, as `cclint clusters` lists it."""
    out = []
    for name in builtin_names():
        data = _read(BUILTIN_DIR / f"{name}.yaml").data
        retired = data.get("retired") or {}
        status = "retired" if retired else data.get("status") or "active"
        out.append(ProfileInfo(data.get("name") or name, status, data.get("description") or "",
                               str(retired.get("replaced_by") or ""), str(retired.get("since") or "")))
    return out


def effective_data(profile: Profile) -> dict:
    """The merged profile as `cclint cluster NAME` shows it: unknown (null) values left out."""

    def prune(value):
        if isinstance(value, dict):
            return {k: prune(v) for k, v in value.items() if v is not None and k != "extends"}
        if isinstance(value, list):
            return [prune(v) for v in value]
        return value

    merged = prune(profile.data)
    merged["severity"] = dict(profile.severity)
    data = {"name": profile.name}
    for key in ("description", "status", "url", "slurm_version", "internet", "wheelhouse", "time",
                "account", "partitions", "gpus", "nodes", "gres", "schedulers", "storage", "severity", "notes"):
        if merged.get(key) not in (None, {}):
            data[key] = merged[key]
    return data


# -- reading ------------------------------------------------------------------------------------

def _locate(ref: str, relative_to: Path | None) -> Path:
    if is_path(ref):
        path = Path(os.path.expanduser(ref))
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        if not path.is_file():
            raise ProfileError(f"profile file {ref} not found" if not path.exists()
                               else f"profile {ref} is not a file")
        return path
    name = ref.lower()
    path = BUILTIN_DIR / f"{name}.yaml"
    if not path.is_file():
        names = builtin_names()
        close = closest(name, names)
        hint = f"did you mean {close!r}? " if close else ""
        raise ProfileError(f"unknown cluster {ref!r} ({hint}choose from {', '.join(names)}; "
                           "or give the path of a profile file, e.g. ./my-course.yaml)")
    return path


def _yaml():
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True)


def _read(path: Path) -> _File:
    """One profile file, parsed and checked (cached while the file is unchanged)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ProfileError(f"cannot read ({exc.strerror or exc})", str(path)) from None
    text, data = _parsed(str(path), info.st_mtime_ns, info.st_size)
    return _File(path, text, copy.deepcopy(data))


@functools.lru_cache(maxsize=64)
def _parsed(name: str, _mtime: int, _size: int) -> tuple[str, dict]:
    path = Path(name)
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ProfileError("not a UTF-8 text file", str(path)) from None
    except OSError as exc:
        raise ProfileError(f"cannot read ({exc.strerror or exc})", str(path)) from None
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and str(exc.context or "").startswith(("while parsing", "while scanning")):
            mark = exc.context_mark  # an unclosed bracket or quote: point where it starts
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise ProfileError(f"YAML syntax error: {problem}", str(path), line) from None
    except YAMLError as exc:
        raise ProfileError(f"YAML error: {exc}", str(path)) from None
    if data is None:
        data = {}
    problems = schema.check(data)
    if problems:
        raise _error(path, text, *problems[0], more=len(problems) - 1)
    return text, data


def _error(path: Path, text: str, key: tuple[str, ...], message: str, more: int = 0) -> ProfileError:
    line = _line_of(text, key)
    shown = ".".join(key)
    extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return ProfileError(f"{shown}: {message}{extra}" if shown else message + extra, str(path), line, shown)


def _line_of(text: str, key: tuple[str, ...]) -> int | None:
    """The 1-based line of a key path in a YAML text (the nearest enclosing key found)."""
    try:
        node = _yaml().compose(text)
    except Exception:  # noqa: BLE001 - the text loaded, so this does not happen; stay quiet
        return None
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in key:
        if node.id == "mapping":
            for k, v in node.value:
                if str(k.value) == part:
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif node.id == "sequence" and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            return line
    return line


# -- inheritance --------------------------------------------------------------------------------

def _load_chain(path: Path, warnings: list[str], top: _File | None = None) -> Profile:
    files = [top or _read(path)]
    seen = {files[0].path.resolve()}
    while True:
        current = files[-1]
        parent = current.data.get("extends")
        if not parent:
            break
        try:
            parent_path = _locate(parent, current.path.parent)
        except ProfileError as exc:
            raise ProfileError(f"extends: {exc}", str(current.path), _line_of(current.text, ("extends",)),
                               "extends") from None
        parent_file = _read(parent_path)
        retired = parent_file.data.get("retired")
        if retired and retired.get("replaced_by"):
            warnings.append(f"{current.path}: extends {parent}, a retired cluster: using its "
                            f"replacement {retired['replaced_by']} instead")
            parent_path = _locate(retired["replaced_by"], parent_path.parent)
            parent_file = _read(parent_path)
        if parent_path.resolve() in seen:
            chain = " -> ".join(f.path.stem for f in files) + f" -> {parent_path.stem}"
            raise ProfileError(f"extends: circular inheritance ({chain})", str(current.path),
                               _line_of(current.text, ("extends",)), "extends")
        if len(files) >= MAX_DEPTH:
            raise ProfileError(f"extends: more than {MAX_DEPTH} levels of inheritance", str(current.path))
        seen.add(parent_path.resolve())
        files.append(parent_file)

    merged: dict = {}
    for f in reversed(files):  # root first, the asked-for file last
        inherited = {k: v for k, v in f.data.items() if k not in schema.OWN_KEYS}
        merged = _merge(merged, inherited)
    own = files[0].data
    for key in ("description", "status"):
        merged[key] = own.get(key)
    if merged.get("status") is None and len(files) > 1:
        merged["status"] = "active"
    if merged.get("description") is None and len(files) > 1:
        merged["description"] = f"Custom profile based on {files[1].data.get('name') or files[1].path.stem}."
    name = own.get("name") or files[0].path.stem
    merged["extends"] = own.get("extends")

    problems = schema.check_merged(merged)
    if problems:
        key, message = problems[0]
        raise _error(*_definer(files, key), key, message, more=len(problems) - 1)
    severity = _severities(merged.get("severity") or {}, files, warnings)
    chain = tuple(f.data.get("name") or f.path.stem for f in files)
    source = str(files[0].path)
    try:
        return schema.build(merged, name=name, severity=severity, source=source, chain=chain,
                            warnings=tuple(warnings))
    except ValueError as exc:  # checked values do not fail; keep the promise of a clear error
        raise ProfileError(str(exc), source) from None


def _definer(files: list[_File], key: tuple[str, ...]) -> tuple[Path, str]:
    """The file of the chain (child first) that sets a key path, to point the error there."""
    for f in files:
        node: Any = f.data
        for part in key:
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                break
        else:
            return f.path, f.text
    return files[0].path, files[0].text


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base[key], value) if key in base and value is not None else value
        return out
    return override


def _severities(raw: dict, files: list[_File], warnings: list[str]) -> dict[str, str]:
    """Rule codes become names; a name this version does not know is reported, then ignored."""
    from cclint.registry import find_rule

    out: dict[str, str] = {}
    for key, value in raw.items():
        if value is None:
            continue
        value = "off" if value is False else value
        rule = find_rule(str(key))
        if rule is None:
            path, text = _definer(files, ("severity", str(key)))
            line = _line_of(text, ("severity", str(key)))
            warnings.append(f"{path}:{line}: severity.{key}: not a rule of this cclint version "
                            "(see `cclint rules`): ignored")
            out[str(key)] = value  # harmless: no rule has that name
            continue
        out[rule.name] = value
    return out
