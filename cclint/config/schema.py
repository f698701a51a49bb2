"""The keys a configuration may hold, and how each value is checked.

A configuration file is read into a tree of `Node`s (value + line + column). `validate`
turns the tree into one `Layer`: typed values, each with the place it came from. Every
problem raises `ConfigError` naming the file, line and column.
"""

from __future__ import annotations

import os

from cclint.spelling import did_you_mean

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
if TYPE_CHECKING:
    from typing import Any

SEVERITY_VALUES = ("error", "warning", "info", "off")
FAIL_ON_VALUES = ("error", "warning", "info", "never")

# key -> (kind, one-line description); the order is the order of `cclint config`
KEYS: dict[str, tuple[str, str]] = {
    "extends": ("extends", "a preset name or a file (relative to this one) whose settings this one overrides"),
    "select": ("rules", "only these rules (names, codes, code prefixes such as CC2, or ALL)"),
    "extend-select": ("rules", "rules added to the default set (e.g. rules that are off by default)"),
    "ignore": ("rules", "rules never reported"),
    "severity": ("severity", "per-rule severity: error, warning, info or off"),
    "per-file-ignores": ("per-file-ignores", "glob (relative to the config file) -> rules skipped there"),
    "options": ("options", "per-rule options of policy rules, e.g. min-commands: {threshold: 10}"),
    "cluster": ("str", "cluster profile name or file (generic unless set)"),
    "slurm-version": ("slurm-version", "Slurm release of the target cluster, e.g. 23.02"),
    "submit-dir": ("dir", "directory sbatch is run from (relative to the config file)"),
    "fail-on": ("fail-on", "lowest severity that makes the exit status 1: error, warning, info, never"),
    "exclude": ("globs", "files and folders never linted (globs relative to the config file)"),
    "inline-config": ("bool", "honour `# cclint:` suppression comments (false for graders)"),
    "env": ("bool", "apply this shell's SBATCH_* variables and its cluster (CC_CLUSTER), as sbatch would "
                    "(false for CI and grading)"),
}


class ConfigError(Exception):
    """A configuration problem: the message names the file, line and column."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, column: int | None = None):
        self.message, self.path, self.line, self.column = message, path, line, column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class Node:
    """A value read from a file: dict[str, Node] | list[Node] | str | int | float | bool |
    None, with its 1-based line and column (and, for a mapping entry, its key's)."""

    __slots__ = ("value", "line", "column", "key_line", "key_column")

    def __init__(self, value: Any, line: int | None = None, column: int | None = None,
                 key_line: int | None = None, key_column: int | None = None):
        self.value, self.line, self.column = value, line, column
        self.key_line, self.key_column = key_line, key_column

    def plain(self):
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class Origin:
    """Where a value came from: a file position, a preset, the environment or the CLI.
    `label`: "path:line", "preset course-ift780, line 3", "environment variable ...", "--select"."""

    __slots__ = ("label", "path", "line", "column")

    def __init__(self, label: str, path: str | None = None, line: int | None = None, column: int | None = None):
        self.label, self.path, self.line, self.column = label, path, line, column

    def __str__(self) -> str:
        return self.label

    def error(self, message: str) -> ConfigError:
        if self.path is None:
            return ConfigError(f"{self.label}: {message}")
        return ConfigError(message, self.path, self.line, self.column)


class Layer:
    """The validated settings of one source. `values[key] = (value, origin)`; mapping keys
    keep an origin per entry. `name`: the file, "environment", "command line"."""

    __slots__ = ("name", "path", "values", "extends")

    def __init__(self, name: str, path: str | None = None):
        self.name, self.path = name, path
        self.values: dict[str, tuple[Any, Origin]] = {}
        self.extends: list[tuple[str, Node]] = []


class Checker:
    """Validates a `Node` tree read from `path` (directory `base` for relative paths)."""

    def __init__(self, path: str | None, base: str, label: str | None = None):
        self.path = path
        self.base = base
        self.label = label  # e.g. "preset course-ift780" instead of a path

    def error(self, node: Node | None, message: str, key: bool = False) -> ConfigError:
        if self.path is None:
            return ConfigError(f"{self.label}: {message}" if self.label else message)
        if node is None:
            return ConfigError(message, self.path)
        line = node.key_line if key and node.key_line else node.line
        column = node.key_column if key and node.key_column else node.column
        return ConfigError(message, self.path, line, column)

    def origin(self, node: Node) -> Origin:
        if self.label:
            label = f"{self.label}, line {node.line}" if self.path and node.line else self.label
            return Origin(label, self.path, node.line, node.column)
        if self.path is None:
            return Origin("?")
        where = self.path
        if node.line:
            where += f":{node.line}"
        return Origin(where, self.path, node.line, node.column)

    # -- the whole document ----------------------------------------------------------------

    def layer(self, root: Node, name: str) -> Layer:
        layer = Layer(name, self.path)
        if root.value is None:
            return layer
        if not isinstance(root.value, dict):
            raise self.error(root, "the configuration must be a mapping of keys to values "
                             f"(known keys: {', '.join(KEYS)})")
        for key, node in root.value.items():
            if key not in KEYS:
                raise self.error(node, f"unknown key `{key}`{did_you_mean(key, KEYS)} "
                                 f"(known keys: {', '.join(KEYS)})", key=True)
            kind = KEYS[key][0]
            if kind == "extends":
                items = node.value if isinstance(node.value, list) else [node]
                for item in items:
                    if not isinstance(item.value, str) or not item.value.strip():
                        raise self.error(item, "`extends` takes a preset name or a file path")
                    layer.extends.append((item.value.strip(), item))
                continue
            layer.values[key] = (getattr(self, "_" + kind.replace("-", "_"))(key, node), self.origin(node))
        return layer

    # -- one value per kind ----------------------------------------------------------------

    def _names(self, key: str, node: Node, allow_groups: bool = True) -> list[tuple[str, Node]]:
        items: list[Node]
        if isinstance(node.value, str):
            items = [Node(part.strip(), node.line, node.column) for part in node.value.split(",") if part.strip()]
        elif isinstance(node.value, list):
            items = node.value
        elif node.value is None:
            items = []
        else:
            raise self.error(node, f"`{key}` takes a list of rule names or codes")
        out = []
        for item in items:
            if not isinstance(item.value, str) or not item.value.strip():
                raise self.error(item, f"`{key}` takes rule names or codes, not {_shown(item.value)}")
            out.append((item.value.strip(), item))
        return out

    def _rules(self, key: str, node: Node) -> frozenset[str]:
        from cclint.registry import resolve_rules

        names: set[str] = set()
        for text, item in self._names(key, node):
            try:
                names |= resolve_rules([text], f"rule in `{key}`")
            except ValueError as exc:
                raise self.error(item, str(exc)) from None
        return frozenset(names)

    def _one_rule(self, key: str, item: Node, text: str) -> str:
        from cclint import registry

        rule = registry.find_rule(text)
        if rule is None:
            raise self.error(item, f"unknown rule `{text}` in `{key}`{registry.did_you_mean(text)} "
                             "(see `cclint rules`)", key=True)
        return rule.name

    def _severity(self, key: str, node: Node) -> dict[str, tuple[str, Origin]]:
        if not isinstance(node.value, dict):
            raise self.error(node, "`severity` maps rule names to error, warning, info or off")
        out = {}
        for text, item in node.value.items():
            name = self._one_rule(key, item, text)
            value = item.value
            if not isinstance(value, str) or value.strip().lower() not in SEVERITY_VALUES:
                raise self.error(item, f"severity of `{text}` must be one of {', '.join(SEVERITY_VALUES)}, "
                                 f"not {_shown(value)}")
            out[name] = (value.strip().lower(), self.origin(item))
        return out

    def _per_file_ignores(self, key: str, node: Node) -> dict[str, tuple[tuple[str, str, frozenset[str]], Origin]]:
        """Entries keyed by "base<NUL>glob", so that an extending file adds or replaces globs."""
        if not isinstance(node.value, dict):
            raise self.error(node, "`per-file-ignores` maps globs to lists of rules")
        out = {}
        for pattern, item in node.value.items():
            if not pattern.strip():
                raise self.error(item, "empty glob in `per-file-ignores`", key=True)
            rules = self._rules(f"per-file-ignores: {pattern}", item)
            out[f"{self.base}\0{pattern}"] = ((self.base, pattern.strip(), rules), self.origin(item))
        return out

    def _options(self, key: str, node: Node) -> dict[str, tuple[dict, Origin]]:
        from cclint.registry import find_rule

        if not isinstance(node.value, dict):
            raise self.error(node, "`options` maps rule names to their options")
        out = {}
        for text, item in node.value.items():
            name = self._one_rule(key, item, text)
            rule = find_rule(name)
            if not isinstance(item.value, dict):
                raise self.error(item, f"options of `{text}` must be a mapping")
            if not rule.options:
                raise self.error(item, f"rule `{name}` has no options", key=True)
            values = {}
            for opt, opt_node in item.value.items():
                spec = rule.options.get(opt)
                if spec is None:
                    raise self.error(opt_node, f"unknown option `{opt}` of rule `{name}`"
                                     f"{did_you_mean(opt, rule.options)} (options: {', '.join(rule.options)})",
                                     key=True)
                values[opt] = self._option_value(name, opt, spec, opt_node)
            out[name] = (values, self.origin(item))
        return out

    def _option_value(self, rule: str, opt: str, spec, node: Node):
        value = node.value
        what = f"option `{opt}` of `{rule}`"
        if spec.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.error(node, f"{what} must be a whole number, not {_shown(value)}")
            if spec.minimum is not None and value < spec.minimum:
                raise self.error(node, f"{what} must be at least {spec.minimum}, not {value}")
            return value
        if spec.kind == "bool":
            if not isinstance(value, bool):
                raise self.error(node, f"{what} must be true or false, not {_shown(value)}")
            return value
        if spec.kind == "str":
            if not isinstance(value, str) or not value.strip():
                raise self.error(node, f"{what} must be a string, not {_shown(value)}")
            return value.strip()
        if spec.kind == "list[str]":
            items = [Node(value, node.line, node.column)] if isinstance(value, str) else value
            if not isinstance(items, list):
                raise self.error(node, f"{what} must be a list of strings, not {_shown(value)}")
            out = []
            for item in items:
                if not isinstance(item.value, str) or not item.value.strip():
                    raise self.error(item, f"{what} must be a list of strings, not {_shown(item.value)}")
                out.append(item.value.strip())
            return tuple(out)
        raise AssertionError(spec.kind)

    def _str(self, key: str, node: Node) -> str:
        if not isinstance(node.value, str) or not node.value.strip():
            raise self.error(node, f"`{key}` takes a name, not {_shown(node.value)}")
        value = node.value.strip()
        if key == "cluster" and ("/" in value or value.endswith((".yaml", ".yml"))):
            value = os.path.normpath(os.path.join(self.base, value))  # a profile file
        return value

    def _bool(self, key: str, node: Node) -> bool:
        if not isinstance(node.value, bool):
            raise self.error(node, f"`{key}` takes true or false, not {_shown(node.value)}")
        return node.value

    def _slurm_version(self, key: str, node: Node):
        from cclint.slurm_version import SlurmVersion

        value = node.value
        if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool):
            raise self.error(node, self._version_as_number(key, node))
        if not isinstance(value, str):
            raise self.error(node, f"`{key}` takes a version such as \"23.02\", not {_shown(value)}")
        try:
            return SlurmVersion.parse(value)
        except ValueError as exc:
            raise self.error(node, str(exc)) from None

    def _version_as_number(self, key: str, node: Node) -> str:
        """`slurm-version: 23.10` is the number 23.1: quote what was written and what it became."""
        from cclint.slurm_version import SlurmVersion

        written = _written(self.path, node) or str(node.value)
        try:
            suggested = str(SlurmVersion.parse(written))
        except ValueError:
            suggested = written
        reader = "TOML" if self.path and self.path.endswith(".toml") else "YAML"
        became = (f"{reader} reads `{written}` as the number {node.value}" if written != str(node.value)
                  else f"{reader} reads `{written}` as a number")
        sep = " =" if reader == "TOML" else ":"
        return f"write the Slurm version as a string: `{key}{sep} \"{suggested}\"` ({became})"

    def _dir(self, key: str, node: Node) -> str:
        if not isinstance(node.value, str) or not node.value.strip():
            raise self.error(node, f"`{key}` takes a directory, not {_shown(node.value)}")
        path = os.path.normpath(os.path.join(self.base, os.path.expanduser(node.value.strip())))
        if not os.path.isdir(path):
            raise self.error(node, f"`{key}`: {path} is not a directory")
        return path

    def _fail_on(self, key: str, node: Node) -> str:
        value = node.value
        if not isinstance(value, str) or value.strip().lower() not in FAIL_ON_VALUES:
            raise self.error(node, f"`{key}` must be one of {', '.join(FAIL_ON_VALUES)}, not {_shown(value)}")
        return value.strip().lower()

    def _globs(self, key: str, node: Node) -> tuple[tuple[str, str], ...]:
        items = [node] if isinstance(node.value, str) else node.value
        if not isinstance(items, list):
            raise self.error(node, f"`{key}` takes a list of globs")
        out = []
        for item in items:
            if not isinstance(item.value, str) or not item.value.strip():
                raise self.error(item, f"`{key}` takes globs, not {_shown(item.value)}")
            out.append((self.base, item.value.strip()))
        return tuple(out)


def _shown(value) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"`{value}`"


def _written(path: str | None, node: Node) -> str | None:
    """The scalar as written in the file at the node's position (numbers lose their text)."""
    if not path or not node.line or not node.column:
        return None
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, 1):
                if number == node.line:
                    import re

                    rest = line[node.column - 1:]
                    rest = rest[len(m[0]):] if (m := re.match(r"[\w-]+\s*=\s*", rest)) else rest  # TOML: key
                    found = re.match(r"[^\s#,\]}]+", rest)
                    return found[0] if found else None
    except (OSError, UnicodeDecodeError):
        return None
    return None


def json_schema() -> dict:
    """A JSON Schema (draft-07) of the configuration, for editors (`cclint config --schema`).

    cclint itself validates more strictly (and with positions); the schema gives completion
    of keys, rule names and option names."""
    from cclint.registry import all_rules

    rules = all_rules()
    names = sorted([r.name for r in rules] + [r.code for r in rules])
    rule = {"anyOf": [{"enum": names}, {"type": "string", "pattern": "^([Cc][Cc][0-9]{0,3}|ALL|all)$"}]}
    rule_list = {"anyOf": [{"type": "array", "items": {"$ref": "#/definitions/rule"}}, {"type": "string"}]}
    kinds = {"int": {"type": "integer"}, "str": {"type": "string"}, "bool": {"type": "boolean"},
             "list[str]": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}}
    options = {}
    for r in rules:
        if r.options:
            props = {}
            for key, opt in r.options.items():
                prop = dict(kinds[opt.kind], description=opt.doc)
                if opt.minimum is not None:
                    prop["minimum"] = opt.minimum
                props[key] = prop
            options[r.name] = {"type": "object", "additionalProperties": False, "properties": props}
    def strings():  # one object per key: each gets its own description
        return {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}

    properties = {
        "extends": strings(),
        "select": {"$ref": "#/definitions/rules"},
        "extend-select": {"$ref": "#/definitions/rules"},
        "ignore": {"$ref": "#/definitions/rules"},
        "severity": {"type": "object", "propertyNames": {"enum": names},
                     "additionalProperties": {"enum": list(SEVERITY_VALUES)}},
        "per-file-ignores": {"type": "object", "additionalProperties": {"$ref": "#/definitions/rules"}},
        "options": {"type": "object", "additionalProperties": False, "properties": options},
        "cluster": {"type": "string"},
        "slurm-version": {"type": "string", "pattern": r"^\s*(\d{2}\.\d{1,2}(\.\d+)?\S*|unknown)\s*$"},
        "submit-dir": {"type": "string"},
        "fail-on": {"enum": list(FAIL_ON_VALUES)},
        "exclude": strings(),
        "inline-config": {"type": "boolean"},
        "env": {"type": "boolean"},
    }
    for key, prop in properties.items():
        prop["description"] = KEYS[key][1]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "cclint configuration (.cclint.yaml, or [tool.cclint] in pyproject.toml)",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "definitions": {"rule": rule, "rules": rule_list},
    }
