"""Find, read and merge configuration: defaults < CC_CLUSTER < extends chain < file < CCLINT_* < CLI.

Discovery is per linted file: the closest `.cclint.yaml`, `.cclint.yml` or
`pyproject.toml` with a `[tool.cclint]` table, walking up from the file's directory and
stopping at the repository root (a directory holding `.git`) or the filesystem root. In
one directory a `.cclint.yaml`/`.yml` wins over `pyproject.toml`. Parents are never merged
implicitly: a file inherits only through `extends:` (a preset name, or a path relative to
the file). `CCLINT_CONFIG` or `--config FILE` (or a preset name) names one file for every path;
`--isolated` reads no other (and ignores CCLINT_CONFIG).

Nothing is imported or parsed when no file exists: discovery is a few `stat` calls.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from cclint.config.schema import KEYS, Checker, ConfigError, Layer, Node, Origin

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
if TYPE_CHECKING:
    from typing import Any

YAML_NAMES = (".cclint.yaml", ".cclint.yml")
PYPROJECT = "pyproject.toml"
PRESETS = Path(__file__).resolve().parent / "presets"

# Environment variables, each the counterpart of a configuration key.
ENV_KEYS = {
    "CCLINT_SELECT": "select",
    "CCLINT_EXTEND_SELECT": "extend-select",
    "CCLINT_IGNORE": "ignore",
    "CCLINT_FAIL_ON": "fail-on",
    "CCLINT_CLUSTER": "cluster",
    "CCLINT_SLURM_VERSION": "slurm-version",
    "CCLINT_SUBMIT_DIR": "submit-dir",
    "CCLINT_NO_INLINE_CONFIG": "inline-config",
    "CCLINT_NO_ENV": "env",
}
NEGATED = {"CCLINT_NO_INLINE_CONFIG", "CCLINT_NO_ENV"}  # VAR=1 sets the key to false
SCALARS = ("cluster", "slurm-version", "submit-dir", "fail-on", "inline-config", "env")
# Set on the Alliance clusters' nodes: the cluster this shell runs on, the profile when no
# configuration names one (the lowest layer). Mila documents no such variable.
LOGIN_CLUSTER = "CC_CLUSTER"
LOGIN_LAYER = "login cluster"


def presets() -> list[str]:
    return sorted(p.stem for p in PRESETS.glob("*.yaml"))


# -- discovery ------------------------------------------------------------------------------


def config_in(directory: str) -> str | None:
    """The configuration file of one directory, or None."""
    found = [os.path.join(directory, n) for n in YAML_NAMES if os.path.isfile(os.path.join(directory, n))]
    if len(found) > 1:
        raise ConfigError(f"two configuration files in {directory}: {found[0]} and {found[1]}; keep one",
                          found[1])
    if found:
        return found[0]
    pyproject = os.path.join(directory, PYPROJECT)
    if os.path.isfile(pyproject) and _has_tool_table(pyproject):
        return pyproject
    return None


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*cclint\s*[\].]|^\s*tool\s*\.\s*cclint\s*[.=]", text, re.M) is not None


def discover(start: str) -> str | None:
    """Walk up from a directory; stop at the repository root or the filesystem root."""
    directory = os.path.abspath(start)
    while True:
        found = config_in(directory)
        if found:
            return found
        if os.path.exists(os.path.join(directory, ".git")):
            return None
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


# -- reading --------------------------------------------------------------------------------


def read_tree(path: str) -> Node:
    """A configuration file as a `Node` tree with positions."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration file ({exc.strerror or exc})", path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("the configuration file is not UTF-8", path) from None
    if path.endswith(".toml"):
        return _toml_tree(path, text)
    return _yaml_tree(path, text)


def _yaml_tree(path: str, text: str) -> Node:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    # The round-trip loader keeps line and column of every key and value; it only ever
    # builds mappings, lists and plain scalars (no Python objects): a config runs no code.
    reader = YAML(typ="rt", pure=True)
    try:
        data = reader.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(p) for p in (exc.problem, exc.context) if p) or "invalid YAML"
        raise ConfigError(f"invalid YAML: {problem}", path, mark.line + 1 if mark else None,
                          mark.column + 1 if mark else None) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path) from None
    return _yaml_node(path, data, 1, 1)


def _yaml_node(path: str, value, line, column, key_line=None, key_column=None) -> Node:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    tag = getattr(getattr(value, "tag", None), "value", None)
    if tag is not None and isinstance(value, (CommentedMap, CommentedSeq)):
        raise ConfigError(f"YAML tags such as `{tag}` are not allowed in a configuration", path, line, column)
    if isinstance(value, CommentedMap):
        out = {}
        for key in value:
            try:
                kl, kc = value.lc.key(key)
                vl, vc = value.lc.value(key)
            except (KeyError, TypeError, AttributeError):
                kl, kc, vl, vc = line - 1, column - 1, line - 1, column - 1
            if not isinstance(key, str):
                raise ConfigError(f"keys must be text, not `{key}`", path, kl + 1, kc + 1)
            out[str(key)] = _yaml_node(path, value[key], vl + 1, vc + 1, kl + 1, kc + 1)
        return Node(out, line, column, key_line, key_column)
    if isinstance(value, CommentedSeq):
        items = []
        for i, item in enumerate(value):
            try:
                il, ic = value.lc.item(i)
            except (KeyError, TypeError, AttributeError):
                il, ic = line - 1, column - 1
            items.append(_yaml_node(path, item, il + 1, ic + 1))
        return Node(items, line, column, key_line, key_column)
    if value is None or isinstance(value, bool):
        return Node(value, line, column, key_line, key_column)
    if isinstance(value, str):
        return Node(str(value), line, column, key_line, key_column)
    if isinstance(value, int):
        return Node(int(value), line, column, key_line, key_column)
    if isinstance(value, float):
        return Node(float(value), line, column, key_line, key_column)
    raise ConfigError(f"unsupported value ({type(value).__name__}): use text, numbers, true/false, "
                      "lists and mappings", path, line, column)


def _toml_tree(path: str, text: str) -> Node:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise ConfigError("reading [tool.cclint] needs Python 3.11 or the `tomli` package "
                              "(pip install tomli), or use a .cclint.yaml file", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"invalid TOML: {message}", path, int(m[1]) if m else None,
                          int(m[2]) if m else None) from None
    positions = _toml_positions(text)
    if os.path.basename(path) == PYPROJECT or "cclint" in data.get("tool", {}):
        table = data.get("tool", {}).get("cclint")
        prefix: tuple[str, ...] = ("tool", "cclint")
        if table is None:
            raise ConfigError("no [tool.cclint] table", path)
    else:
        table, prefix = data, ()
    line, column = positions.get(prefix, (1, 1))
    return _toml_node(path, table, prefix, positions, line, column)


def _toml_node(path, value, key_path, positions, line, column, key_line=None, key_column=None) -> Node:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            sub = key_path + (key,)
            kl, kc = _toml_where(positions, sub, line, column)
            out[key] = _toml_node(path, item, sub, positions, kl, kc, kl, kc)
        return Node(out, line, column, key_line, key_column)
    if isinstance(value, list):
        return Node([_toml_node(path, item, key_path, positions, line, column) for item in value],
                    line, column, key_line, key_column)
    if value is None or isinstance(value, (bool, str, int, float)):
        return Node(value, line, column, key_line, key_column)
    raise ConfigError(f"unsupported value ({type(value).__name__}): use strings, numbers, booleans, "
                      "arrays and tables", path, line, column)


def _toml_where(positions, key_path, line, column) -> tuple[int, int]:
    for n in range(len(key_path), 0, -1):
        if key_path[:n] in positions:
            return positions[key_path[:n]]
    return line, column


_TOML_HEADER = r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$"
_TOML_KEY = r"""^(\s*)((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
_TOML_PART = r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)"""


def _toml_positions(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """Line and column of each table and key (tomllib gives none); best effort, enough to
    point an error at the right line."""
    positions: dict[tuple[str, ...], tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    header_re, key_re, part_re = re.compile(_TOML_HEADER), re.compile(_TOML_KEY), re.compile(_TOML_PART)
    for number, line in enumerate(text.split("\n"), 1):
        header = header_re.match(line)
        if header:
            table = tuple(a or b or c for a, b, c in part_re.findall(header[1]))
            positions.setdefault(table, (number, line.index("[") + 1))
            continue
        key = key_re.match(line)
        if key:
            parts = tuple(a or b or c for a, b, c in part_re.findall(key[2]))
            positions.setdefault(table + parts, (number, len(key[1]) + 1))
    return positions


# -- layers ---------------------------------------------------------------------------------


def file_layers(path: str, chain: tuple[str, ...] = (), label: str | None = None) -> list[Layer]:
    """The layers of a file: those of what it extends first, then its own."""
    path = os.path.abspath(path)
    if path in chain:
        cycle = " -> ".join([*chain, path])
        raise ConfigError(f"`extends` loops back to a file already read: {cycle}", chain[-1])
    tree = read_tree(path)
    checker = Checker(path, os.path.dirname(path), label)
    layer = checker.layer(tree, label or path)
    layers: list[Layer] = []
    for target, node in layer.extends:
        layers.extend(_extended(path, target, node, chain + (path,)))
    layers.append(layer)
    return layers


def _extended(path: str, target: str, node: Node, chain: tuple[str, ...]) -> list[Layer]:
    is_file = "/" in target or os.sep in target or target.endswith((".yaml", ".yml", ".toml"))
    if not is_file:
        preset = PRESETS / f"{target}.yaml"
        if not preset.is_file():
            raise ConfigError(f"unknown preset `{target}` in `extends` (presets: {', '.join(presets())}; "
                              "a file path needs a `/` or a .yaml/.toml suffix)", path, node.line, node.column)
        return file_layers(str(preset), chain, label=f"preset {target}")
    full = os.path.normpath(os.path.join(os.path.dirname(path), os.path.expanduser(target)))
    if not os.path.isfile(full):
        raise ConfigError(f"`extends`: {full} does not exist", path, node.line, node.column)
    return file_layers(full, chain)


def value_layer(values: Mapping[str, Any], name: str, labels: Mapping[str, str], base: str) -> Layer:
    """A layer from the environment or the command line: `values[key]` is text or a list."""
    layer = Layer(name)
    for key, raw in values.items():
        if raw is None:
            continue
        checker = Checker(None, base, labels.get(key, name))
        if isinstance(raw, (list, tuple)):
            node = Node([Node(item) for item in raw])
        else:
            node = Node(raw)
        kind = KEYS[key][0]
        layer.values[key] = (getattr(checker, "_" + kind.replace("-", "_"))(key, node), Origin(labels.get(key, name)))
    return layer


def env_layer(env: Mapping[str, str], base: str) -> Layer:
    values: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for var, key in ENV_KEYS.items():
        raw = env.get(var, "")
        if not raw.strip():
            continue
        labels[key] = f"environment variable {var}"
        if var in NEGATED:
            flag = raw.strip().lower()
            if flag not in ("1", "true", "yes", "0", "false", "no"):
                raise ConfigError(f"environment variable {var}: expected 1 or 0, not `{raw}`")
            values[key] = flag in ("0", "false", "no")  # NO_INLINE_CONFIG=1 -> inline-config false
        else:
            values[key] = raw
    return value_layer(values, "environment", labels, base)


def login_cluster_layer(env: Mapping[str, str], base: str) -> Layer | None:
    """CC_CLUSTER as a cluster setting, when it names a built-in profile (else nothing)."""
    name = (env.get(LOGIN_CLUSTER) or "").strip().lower()
    if not name:
        return None
    from cclint.profiles import builtin_names

    if name not in builtin_names():
        return None
    label = f"environment variable {LOGIN_CLUSTER} (the cluster this shell runs on)"
    return value_layer({"cluster": name}, LOGIN_LAYER, {"cluster": label}, base)


# -- merging --------------------------------------------------------------------------------


class Effective:
    """The merged configuration for one file, with where each value came from: `lines` are
    (key, value, origin) for `cclint config`; `explicit` the keys some layer set."""

    __slots__ = ("settings", "config_file", "lines", "explicit")

    def __init__(self, settings, config_file: str | None, lines: list[tuple[str, str, str]],
                 explicit: frozenset[str] = frozenset()):
        self.settings, self.config_file, self.lines, self.explicit = settings, config_file, lines, explicit


def merge(layers: list[Layer], cwd: str, config_file: str | None = None,
          sbatch_env: tuple[tuple[str, str], ...] = ()) -> Effective:
    """`sbatch_env`: this shell's SBATCH_* variables, applied unless `env` is false (which
    also drops the cluster of a LOGIN_LAYER)."""
    from cclint.diagnostics import Severity
    from cclint.settings import Settings

    current: set[str] | None = None
    extend: set[str] = set()
    ignored: set[str] = set()
    select_origin = "default"
    extend_origins: list[str] = []
    ignore_origins: list[str] = []
    scalars: dict[str, tuple[Any, Origin]] = {}
    login = False  # the cluster comes from CC_CLUSTER
    severity: dict[str, tuple[str, Origin]] = {}
    options: dict[str, dict[str, Any]] = {}
    option_origins: dict[str, Origin] = {}
    per_file: dict[str, tuple[tuple, Origin]] = {}
    exclude: list[tuple[tuple[str, str], Origin]] = []
    for layer in layers:
        v = layer.values
        if "select" in v:
            current, extend, ignored = set(v["select"][0]), set(), set()
            select_origin, extend_origins, ignore_origins = str(v["select"][1]), [], []
        if "extend-select" in v:
            added = set(v["extend-select"][0])
            if current is None:
                extend |= added
            else:
                current |= added
            ignored -= added
            extend_origins.append(str(v["extend-select"][1]))
        if "ignore" in v:
            removed = set(v["ignore"][0])
            ignored |= removed
            extend -= removed
            ignore_origins.append(str(v["ignore"][1]))
        for key in SCALARS:
            if key in v:
                scalars[key] = v[key]
                if key == "cluster":
                    login = layer.name == LOGIN_LAYER
        for name, entry in v.get("severity", (({}, None)))[0].items():
            severity[name] = entry
        for name, (values, origin) in v.get("options", (({}, None)))[0].items():
            options.setdefault(name, {}).update(values)
            option_origins[name] = origin
        per_file.update(v.get("per-file-ignores", (({}, None)))[0])
        if "exclude" in v:
            exclude.extend((g, v["exclude"][1]) for g in v["exclude"][0])

    settings = Settings()
    settings.config_file = config_file
    off = {name for name, (value, _) in severity.items() if value == "off"}
    settings.select = frozenset(current) if current is not None else None
    settings.extend_select = frozenset(extend)
    settings.ignore = frozenset(ignored | off)
    settings.severity = {name: Severity.parse(value) for name, (value, _) in severity.items() if value != "off"}
    settings.options = options
    settings.per_file_ignores = tuple(entry for entry, _ in per_file.values())
    settings.exclude = tuple(g for g, _ in exclude)
    if "fail-on" in scalars:
        value = scalars["fail-on"][0]
        settings.fail_on = None if value == "never" else Severity.parse(value)
    if "slurm-version" in scalars:
        settings.slurm_version = scalars["slurm-version"][0]
    settings.submit_dir = Path(scalars["submit-dir"][0]) if "submit-dir" in scalars else Path(cwd)
    if "inline-config" in scalars:
        settings.inline_config = scalars["inline-config"][0]
    use_env = scalars.get("env", (True, None))[0]
    if login and not use_env:
        del scalars["cluster"]
    if use_env:
        settings.environment = sbatch_env
    if "cluster" in scalars:
        name, origin = scalars["cluster"]
        settings.cluster = name
        settings.profile = load_profile(name, origin)

    lines: list[tuple[str, str, str]] = [("config file", config_file or "(none)", "")]
    selection = "default rules" if current is None else ", ".join(sorted(current)) or "(nothing)"
    lines.append(("select", selection, select_origin))
    lines.append(("extend-select", ", ".join(sorted(extend)) or "(none)", "; ".join(extend_origins)))
    lines.append(("ignore", ", ".join(sorted(ignored | off)) or "(none)",
                  "; ".join(ignore_origins + (["severity: off"] if off else []))))
    for name in sorted(severity):
        lines.append((f"severity.{name}", severity[name][0], str(severity[name][1])))
    for name in sorted(options):
        shown = ", ".join(f"{k}={_show(v)}" for k, v in sorted(options[name].items()))
        lines.append((f"options.{name}", shown, str(option_origins[name])))
    for (base, pattern, names), origin in per_file.values():
        lines.append((f"per-file-ignores[{os.path.join(base, pattern)}]", ", ".join(sorted(names)), str(origin)))
    profile_version = settings.profile.slurm_version
    defaults = {"cluster": ("generic", "default"),
                "slurm-version": (str(profile_version), f"profile {settings.profile.name}") if profile_version
                else ("unknown", "default"),
                "submit-dir": (cwd, "default"), "fail-on": ("warning", "default"), "inline-config": ("true", "default"),
                "env": ("true", "default")}
    for key in SCALARS:
        if key in scalars:
            lines.append((key, _show(scalars[key][0]), str(scalars[key][1])))
        else:
            lines.append((key, *defaults[key]))
    shown = ", ".join(f"{var}={value}" for var, value in sbatch_env) or "(none)"
    lines.append(("sbatch environment", shown if use_env or not sbatch_env else f"ignored: {shown}",
                  "this shell's SBATCH_* variables" if sbatch_env else ""))
    lines.append(("exclude", ", ".join(os.path.join(b, g) for (b, g), _ in exclude) or "(none)",
                  "; ".join(sorted({str(o) for _, o in exclude}))))
    explicit = frozenset(key for layer in layers for key in layer.values)
    return Effective(settings, config_file, lines, explicit)


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def load_profile(name: str, origin: Origin | None = None):
    """The cluster profile named in a config, the environment or --cluster (a file path in a
    config file is relative to that file)."""
    from cclint.profile import GENERIC

    if name == "generic":
        return GENERIC
    from cclint.profiles import ProfileError, load_profile as load

    if origin is not None and origin.path and ("/" in name or name.endswith((".yaml", ".yml"))) \
            and not os.path.isabs(name):
        name = os.path.join(os.path.dirname(origin.path), name)  # relative to the config file
    try:
        return load(name)
    except (ProfileError, ValueError, LookupError, OSError) as exc:
        message = f"cluster `{name}`: {exc}"
        raise (origin.error(message) if origin else ConfigError(message)) from None


# -- per-path resolution ----------------------------------------------------------------------


class Resolver:
    """Settings for each linted path, cached per configuration file.

    `--isolated` reads no configuration file but `--config FILE` (a file or a preset name),
    if given, and not the shell's SBATCH_* and CC_CLUSTER unless a layer sets `env: true`:
    the way to grade, since no file a student writes counts, nor the grader's shell. A configuration that
    cannot be read raises ConfigError for the paths it governs; `fatal(error)` says whether
    it stops the whole run (the grader's own: `--config`, or the report's root) or only
    the files under that folder."""

    def __init__(self, *, config_file: str | None = None, isolated: bool = False,
                 env: Mapping[str, str] | None = None, cli: Mapping[str, Any] | None = None,
                 cli_labels: Mapping[str, str] | None = None, cwd: str | None = None,
                 root: str | None = None):
        env = os.environ if env is None else env
        self.cwd = cwd or os.getcwd()
        self.isolated = isolated
        named = config_file or (None if isolated else (env.get("CCLINT_CONFIG") or "").strip() or None)
        self.explicit = _explicit_config(named, "--config" if config_file else
                                         "environment variable CCLINT_CONFIG") if named else None
        self.root = root  # discover from here for every path (grading: the submissions folder)
        self.env = env_layer(env, self.cwd)
        self.login = login_cluster_layer(env, self.cwd)
        self.sbatch_env: tuple[tuple[str, str], ...] = ()
        if any(var.startswith(("SBATCH_", "SLURM_")) for var in env):
            from cclint.header.external import ENV_OPTIONS

            self.sbatch_env = tuple((var, env[var]) for var in ENV_OPTIONS if var in env)
        self.cli = value_layer(cli or {}, "command line", cli_labels or {}, self.cwd)
        self._dirs: dict[str, str | None] = {}
        self._effective: dict[str | None, Effective | ConfigError] = {}
        self._unread: dict[str, str] = {}  # configuration file -> what it sets
        self._carried: dict[tuple, tuple] = {}  # (folder, top, config in force) -> unread_configs

    @property
    def discovering(self) -> bool:
        """Each file gets the closest configuration file (no --isolated, --config, --report)."""
        return not self.isolated and self.explicit is None and self.root is None

    def config_for(self, path: str) -> str | None:
        if self.explicit:
            return self.explicit
        if self.isolated:
            return None
        if self.root is not None:
            start = self.root if os.path.isdir(self.root) else os.path.dirname(os.path.abspath(self.root))
        elif path in ("-", "<stdin>"):
            start = self.cwd
        else:
            full = os.path.abspath(path)
            start = full if os.path.isdir(full) else os.path.dirname(full)
        if start not in self._dirs:
            self._dirs[start] = discover(start)
        return self._dirs[start]

    def effective(self, path: str) -> Effective:
        config = self.config_for(path)
        if config not in self._effective:
            try:
                label = _preset_label(config) if config else None  # a preset is named, a file is its path
                layers = file_layers(config, label=label if label != config else None) if config else []
                login = [self.login] if self.login is not None else []
                # --isolated: the shell running cclint is the grader's, not the student's; its
                # SBATCH_* and CC_CLUSTER count only if a layer above sets `env: true`.
                alone = [value_layer({"env": False}, "--isolated", {}, self.cwd)] if self.isolated else []
                self._effective[config] = merge([*alone, *login, *layers, self.env, self.cli], self.cwd, label,
                                                self.sbatch_env)
            except ConfigError as exc:
                self._effective[config] = exc  # read once; reported once by the caller
        found = self._effective[config]
        if isinstance(found, ConfigError):
            raise found
        return found

    def settings_for(self, path: str):
        return self.effective(path).settings

    def fatal(self, path: str, error: ConfigError) -> bool:
        """Whether a configuration error met for `path` concerns every path of the run: one
        in the grader's configuration, the environment or the command line (no file)."""
        return not self.discovering or path in ("-", "<stdin>") or error.path is None

    def unread_configs(self, path: str, top: str | None) -> tuple[tuple[str, str], ...]:
        """The configuration files a file carries that this run does not read (--isolated,
        --config, --report): in its folder and each parent up to `top`, the folder the file
        was found under. Each is (path, what it sets) for `ignored-config`."""
        if self.discovering or path in ("-", "<stdin>"):
            return ()
        used = self.config_for(path)
        directory = os.path.dirname(os.path.abspath(path))
        stop = os.path.abspath(top) if top and os.path.isdir(top) else directory
        key = (directory, stop, used)
        if key not in self._carried:
            self._carried[key] = self._walk(directory, stop, used)
        return self._carried[key]

    def _walk(self, directory: str, stop: str, used: str | None) -> tuple[tuple[str, str], ...]:
        found = []
        # --report: the submissions folder itself holds the grader's file, not a student's
        graders = os.path.abspath(self.root) if self.root is not None else None
        while True:
            for name in (*YAML_NAMES, PYPROJECT) if directory != graders else ():
                candidate = os.path.join(directory, name)
                if candidate != used and os.path.isfile(candidate) and \
                        (name != PYPROJECT or _has_tool_table(candidate)):
                    found.append((self.shown(candidate), self._describe(candidate)))
            parent = os.path.dirname(directory)
            if directory == stop or parent == directory or not directory.startswith(stop):
                return tuple(found)
            directory = parent

    def shown(self, path: str) -> str:
        """A path for a message: relative to the working directory when under it."""
        full = os.path.abspath(os.path.join(self.cwd, path))
        return os.path.relpath(full, self.cwd) if full.startswith(self.cwd + os.sep) else path

    def _describe(self, path: str) -> str:
        """What an unread configuration file would have set: its keys."""
        if path not in self._unread:
            try:
                value = read_tree(path).value
            except ConfigError:
                value = False
            if value is None or value == {}:
                self._unread[path] = "it is empty"
            elif isinstance(value, dict):
                self._unread[path] = "it sets " + ", ".join(f"`{k}`" for k in value)
            else:
                self._unread[path] = "it is not a valid configuration"
        return self._unread[path]


def _explicit_config(name: str, where: str) -> str:
    """`--config`: a file, else a preset name (`--config course-ift780`)."""
    if os.path.isfile(name):
        return os.path.abspath(name)
    if "/" not in name and os.sep not in name and (PRESETS / f"{name}.yaml").is_file():
        return str(PRESETS / f"{name}.yaml")
    raise ConfigError(f"{where}: {name} is not a file (nor a preset: {', '.join(presets())})")


def _preset_label(config: str) -> str:
    return f"preset {Path(config).stem}" if Path(config).parent == PRESETS else config
