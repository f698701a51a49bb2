"""Where the job reads data and writes results: node-local vs shared storage.

Built on the replayed flow (`shell/flow.py`), so `$OUTDIR`, `cd $SLURM_TMPDIR` and relative
paths are resolved; where a path lives (node-local, shared) is `shell/expand.py`'s table.
Shared by untarred-dataset, missing-copy-back and copy-back-not-trapped.

Three questions are asked of every argument, cheapest first:
- what its *name* says (`name_role`): the flag, `KEY=` of a `KEY=VALUE` argument or of an
  assignment in front of the command, split into words; the last word decides
  (`--train_batch_size` is a size, `--data_dir` a data location, `--save_dir` an output);
- whether its *value* is a path at all (`path_value`): numbers, comma lists, `key=value`,
  URLs and command substitutions never are; a bare word only when the job made it;
- what the *path's own words* say (`path_says`): data (`images`, `train`...) or not (code,
  environments, models, logs...), nearest part first.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from cclint.patterns import lazy
from cclint.record import Record, record

from cclint.analysis.commands import Invocation, invocation, is_python, operands, short_flags
from cclint.shell.expand import LOCAL, LOCAL_ROOTS, SHARED, classify
from cclint.shell.flow import Flow, Step
from cclint.shell.model import Command

# A path whose last part has an extension is one file, not a directory of small files.
_FILE_EXTENSION = lazy(r"\.[A-Za-z0-9]{1,10}$")
_ARCHIVE = lazy(r"\.(tar|tgz|tbz2?|txz|zip|7z|tar\.(gz|bz2|xz|zst|lz4)|squashfs|sqfs)$", re.I)

# -- what a name says -------------------------------------------------------------------------
# Words of flag and variable names. A name's last word decides what it is; a location word
# (`dir`, `path`...) takes its meaning from the words before it.
DATA = "data"
OUTPUT = "output"
DATA_NAME_WORDS = {"data", "dataset", "datasets", "images", "image", "imgs", "img", "input",
                   "inputs", "train", "training", "val", "valid", "validation", "frames",
                   "donnees", "corpus"}
OUTPUT_NAME_WORDS = {"out", "output", "outputs", "save", "results", "result", "log", "logs",
                     "ckpt", "ckpts", "checkpoint", "checkpoints", "dest", "destination",
                     "export", "sortie", "sorties", "resultats", "deffnm", "tensorboard", "write"}
_LOCATION_WORDS = {"dir", "dirs", "directory", "path", "paths", "root", "folder", "folders",
                   "location", "loc", "prefix", "base", "dirpath"}
_OUTPUT_LOCATION_WORDS = _LOCATION_WORDS | {"file", "filename", "name"}
_OUTPUT_EXACT = {"-o", "--o", "-deffnm"}  # one-letter and tool-specific output options
_NAME_WORDS = DATA_NAME_WORDS | OUTPUT_NAME_WORDS | _OUTPUT_LOCATION_WORDS | {"model"}
_NOT_LETTERS = lazy(r"[^a-z]+")
_CAMEL = lazy(r"([a-z0-9])([A-Z])")


def _words(text: str, known: set[str]) -> list[str]:
    """`trainDataDir` / `--train-data_dir` / `datadir` -> ['train', 'data', 'dir']."""
    out: list[str] = []
    for part in _NOT_LETTERS.split(_CAMEL.sub(r"\1_\2", text).lower()):
        if part:
            out.extend(_compound(part, known))
    return out


def _compound(part: str, known: set[str]) -> list[str]:
    """A run of known words written together (`outdir`, `dataroot`), else the part itself."""
    if part in known:
        return [part]
    for k in range(len(part) - 2, 1, -1):
        if part[:k] in known:
            rest = _compound(part[k:], known)
            if all(w in known for w in rest):
                return [part[:k], *rest]
    return [part]


_ROLES: dict[str, str] = {}  # names repeat from script to script


def name_role(name: str) -> str:
    """DATA, OUTPUT or '' for a flag (`--data_dir`), or the KEY of `KEY=VALUE`."""
    role = _ROLES.get(name)
    if role is None:
        if len(_ROLES) > 4096:
            _ROLES.clear()
        role = _ROLES[name] = _role(name)
    return role


def _role(name: str) -> str:
    if name in _OUTPUT_EXACT:
        return OUTPUT
    words = _words(name.lstrip("-+").partition("=")[0], _NAME_WORDS)
    if not words:
        return ""
    head, before = words[-1], words[:-1]
    if head in OUTPUT_NAME_WORDS or words == ["model", "dir"] or (  # --model_dir: where it saves
            head in _OUTPUT_LOCATION_WORDS and any(w in OUTPUT_NAME_WORDS for w in before)):
        return OUTPUT
    if any(w in OUTPUT_NAME_WORDS for w in before):
        return OUTPUT if head in DATA_NAME_WORDS else ""
    if head in DATA_NAME_WORDS or words == ["root"]:
        return DATA
    if head in _LOCATION_WORDS and any(w in DATA_NAME_WORDS for w in before):
        return DATA
    return ""


# -- what a path's own words say ----------------------------------------------------------------
DATA_PATH_WORDS = {"data", "dataset", "image", "img", "train", "val", "valid", "frame", "video",
                   "audio", "corpus", "sample", "shard", "record", "tfrecord", "fastq", "read",
                   "coco", "imagenet", "donnee", "input", "raw", "file", "training", "validation"}
NOT_DATA_PATH_WORDS = {"venv", "env", "virtualenv", "code", "src", "model", "checkpoint", "ckpt",
                       "weight", "bin", "lib", "conda", "wheel", "wheelhouse", "log", "config",
                       "cfg", "repo", "script", "software", "package", "pkg", "container", "sif",
                       "cache", "epoch", "output", "result", "out"}
_PATH_WORDS = DATA_PATH_WORDS | NOT_DATA_PATH_WORDS
# Data words that still say data at the end of a longer word (`tinyimagenet`, `rawdata`);
# short or common ones would not (`thread`, `profile`, `interval`).
_DATA_SUFFIXES = ("data", "dataset", "image", "imagenet", "frame", "video", "audio", "corpus",
                  "sample", "shard", "record", "fastq")


def path_says(path: str) -> str:
    """DATA, 'other' (code, environment, model, logs...) or '': the nearest telling part of
    the last three decides (`data/models` holds models, `models/train_images` images)."""
    parts = [p for p in path.rstrip("/").split("/") if p and not p.startswith(("~", "$"))]
    for part in reversed(parts[-3:]):
        words = [w[:-1] if w.endswith("s") and w[:-1] in _PATH_WORDS else w
                 for w in _words(part, _PATH_WORDS)]
        if any(w in NOT_DATA_PATH_WORDS for w in words):
            return "other"
        if any(w in DATA_PATH_WORDS or w.endswith(_DATA_SUFFIXES) for w in words):
            return DATA
    return ""


def looks_like_file(path: str) -> bool:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return not path.endswith("/") and bool(_FILE_EXTENSION.search(last)) and "*" not in last


def is_archive(path: str) -> bool:
    return bool(_ARCHIVE.search(path.rstrip("/")))


# -- whether a value is a path ----------------------------------------------------------------
_NUMBER = lazy(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def path_value(step: Step, raw: str, bare: bool | Callable[[], set[str]] = False) -> str | None:
    """The word resolved as a path, if it looks like one: it has a `/`, or starts with `~`,
    `.` or a storage variable. Numbers, comma lists, `key=value`, URLs and command
    substitutions never are. A bare word (`imagenet`) is a path when `bare` is True (the
    value of an output option names where to write), or when it is one of the paths
    `bare()` gives (the ones the job itself made)."""
    value, resolved = step.expander.path(raw)  # one expansion for both
    text = value.text
    if not text or "," in text or "=" in text or "://" in text or _NUMBER.fullmatch(text):
        return None
    if bare is True or "/" in text or text.startswith(("~", ".", "$")):
        return resolved
    return resolved if bare and resolved in bare() else None


class Argument(Record):
    __slots__ = ("name", "raw")  # several per command: slotted

    def __init__(self, name: str, raw: str):
        self.name = name  # the flag, or KEY of KEY=VALUE ('' for a positional argument)
        self.raw = raw  # the value as written


_KEY = lazy(r"\+{0,2}[A-Za-z_][A-Za-z0-9_.-]*=")


def arguments(step: Step, inv: Invocation) -> list[Argument]:
    """The named values a command gets: `VAR=value` in front of it, `--flag value`,
    `--flag=value`, `KEY=VALUE` arguments (make variables, Hydra overrides), and its
    positional arguments (name ''). `inv` is `invocation(step.command)`; computed once per
    command (several rules ask)."""
    cache = step.command.cache
    try:
        return cache["arguments"]
    except KeyError:
        found = cache["arguments"] = _arguments(step.command, inv)
        return found


def _arguments(cmd: Command, inv: Invocation) -> list[Argument]:
    found = [Argument(a.name, a.value.raw) for a in cmd.assignments]
    if "env" in inv.wrappers:  # `env KEY=VALUE prog`
        for word in cmd.words[1:len(cmd.words) - len(inv.words) - 1]:
            key = _KEY.match(word.raw)
            if key and key.group()[0] != "+":
                found.append(Argument(key.group()[:-1], word.raw[key.end():]))
    words = inv.words
    k = 0
    while k < len(words):
        lit = inv.args[k]
        if lit.startswith("-") and len(lit) > 1:
            flag, eq, value = lit.partition("=")
            if eq:
                found.append(Argument(flag, words[k].raw.split("=", 1)[1] if "=" in words[k].raw else value))
                k += 1
            elif k + 1 < len(words) and not inv.args[k + 1].startswith("-"):
                found.append(Argument(flag, words[k + 1].raw))
                k += 2
            else:
                k += 1
            continue
        key = _KEY.match(lit) if "=" in lit else None
        if key and "=" in words[k].raw:
            found.append(Argument(key.group()[:-1], words[k].raw.split("=", 1)[1]))
        else:
            found.append(Argument("", words[k].raw))
        k += 1
    return found


# Programs whose first argument is the script they run; a positional argument after it is
# a candidate dataset only for these (a shell script's arguments may be anything).
_SCRIPT_RUNNERS = {"Rscript", "julia", "torchrun", "accelerate", "deepspeed"}
_SHELLS = {"bash", "sh", "zsh", "perl"}
# Transfers to object storage or remotes: they move data, they are not the job's work.
TRANSFER_COMMANDS = {"aws", "gsutil", "rclone", "azcopy", "globus", "s3cmd"}
# Commands that prepare the job or move data but do not produce results themselves.
SETUP_COMMANDS = {
    "cd", "pushd", "popd", "cp", "mv", "rm", "mkdir", "rmdir", "ln", "touch", "chmod", "tar",
    "unzip", "gunzip", "gzip", "zstd", "7z", "rsync", "scp", "wget", "curl", "git", "module", "ml",
    "source", ".", "export", "echo", "printf", "cat", "virtualenv", "venv", "pip", "pip3", "conda",
    "mamba", "set", "unset", "trap", "wait", "sleep", "date", "hostname", "ls", "nvidia-smi",
    "huggingface-cli", "hf", "find", "du", "df", "env", "which", "head", "tail", "true", "false",
    ":", "exit", "return", "test", "[", "[[", "read", "eval", "tensorboard", "seff", "declare",
    "local", "readonly", "shopt", "ulimit", "umask", "sync", "free", "lscpu", "id", "whoami",
    "uname", "pwd", "sq", "squeue", "sacct", "scontrol", "sed", "awk", "grep", "wc", "sort",
} | TRANSFER_COMMANDS


def is_work(inv: Invocation | None) -> bool:
    return inv is not None and bool(inv.name) and inv.name not in SETUP_COMMANDS \
        and not inv.name.startswith(("pip", "python-config"))


def _writes_files(inv: Invocation) -> bool:
    """Whether a work command may write files: not `python -c '...'` or `nvcc --version`."""
    return bool(inv.module) or (any(not a.startswith("-") for a in inv.args) and inv.args[0] != "-c")


def _script_runner(inv: Invocation) -> bool:
    """`python x.py ARGS`: the first positional argument is the program, not its input."""
    return (is_python(inv.name) and not inv.module) or inv.name in _SCRIPT_RUNNERS


# -- reading a dataset ------------------------------------------------------------------------

@record
class DatasetUse:
    step: Step
    path: str
    how: str  # 'argument', 'extract', 'copy'
    detail: str = ""


def small_file_reads(flow: Flow) -> list[DatasetUse]:
    found: list[DatasetUse] = []
    steps = flow.main
    made: set[str] | None = None  # paths the job creates, copies or extracts (when asked)

    def made_paths() -> set[str]:
        nonlocal made
        if made is None:
            made = _made_paths(steps)
        return made

    worked = False  # whether an earlier command did work (and may have written what this one reads)
    for step in steps:
        inv = invocation(step.command)
        if inv is None:
            continue
        if inv.name == "tar" or inv.name in ("unzip", "7z", "7za"):
            extraction = _extraction(step, inv)
            if extraction and extraction[1] == SHARED:
                found.append(DatasetUse(step, extraction[0], "extract", inv.name))
            continue
        if inv.name in ("cp", "rsync"):
            found.extend(_directory_copies(step, inv, steps))
            continue
        if not is_work(inv):
            continue
        # Positional arguments say nothing of what they are: only those of a script's first
        # work command count (a later one may read what an earlier one wrote).
        positional = not worked and (_script_runner(inv) or (is_python(inv.name) and inv.module))
        worked = worked or _writes_files(inv)
        program_seen = not _script_runner(inv)
        for arg in arguments(step, inv):
            if not arg.name:
                if not positional:
                    continue
                if not program_seen:
                    program_seen = True  # the script's own path comes first
                    continue
                path = path_value(step, arg.raw)
                if path is None or path_says(path) != DATA:
                    continue  # a positional argument is data only if its path says so
            elif name_role(arg.name) == DATA:
                path = path_value(step, arg.raw, made_paths)
            else:
                continue
            if path is not None and classify(path) == SHARED and not looks_like_file(path) \
                    and path_says(path) != "other":
                found.append(DatasetUse(step, path, "argument", arg.name))
    return found


def _made_paths(steps: list[Step]) -> set[str]:
    """Paths the job creates (`mkdir`), copies to, extracts into or links."""
    made: set[str] = set()
    for step in steps:
        inv = invocation(step.command)
        if inv is None:
            continue
        if inv.name in ("mkdir", "ln", "cp", "rsync", "mv"):
            words = operands(inv)
            targets = words if inv.name == "mkdir" else words[-1:]
            for w in targets:
                path = step.path(w.raw)
                if path:
                    made.add(path)
                    made.update(posixpath.join(path, posixpath.basename(s.literal.rstrip("/")))
                                for s in words[:-1] if inv.name != "mkdir")
        elif inv.name == "tar" or inv.name in ("unzip", "7z", "7za"):
            extraction = _extraction(step, inv)
            if extraction:
                made.add(extraction[0])
    return made


def _extraction(step: Step, inv: Invocation) -> tuple[str, str] | None:
    """(target directory, its location) of a tar x / unzip, or None if not extracting."""
    args = inv.args
    if inv.name == "tar":
        first = args[0] if args else ""
        letters = short_flags(args) | (set(first) if first and not first.startswith("-") else set())
        if "x" not in letters and "--extract" not in args and "--get" not in args:
            return None
        target = None
        for k, a in enumerate(args):
            if a in ("-C", "--directory") and k + 1 < len(args):
                target = inv.words[k + 1].raw
            elif a.startswith("--directory="):
                target = inv.words[k].raw.split("=", 1)[1]
            elif a.startswith("-C") and len(a) > 2:
                target = inv.words[k].raw[2:]
    elif inv.name in ("7z", "7za"):
        if not args or args[0] not in ("x", "e"):
            return None
        target = next((inv.words[k].raw[2:] for k, a in enumerate(args) if a.startswith("-o")), None)
    else:
        target = None
        for k, a in enumerate(args):
            if a == "-d" and k + 1 < len(args):
                target = inv.words[k + 1].raw
    resolved = step.path(target) if target is not None else step.cwd
    if resolved is None:
        return None
    return resolved, classify(resolved)


def extracted_archives(flow: Flow) -> list[tuple[Step, list[str]]]:
    """Each extraction with the archive paths it reads (resolved)."""
    out = []
    for step in flow.main:
        inv = invocation(step.command)
        if inv is None or not (inv.name == "tar" or inv.name in ("unzip", "7z", "7za")):
            continue
        if _extraction(step, inv) is None:
            continue
        archives = [step.path(w.raw) for w, a in zip(inv.words, inv.args) if not a.startswith("-")]
        out.append((step, [a for a in archives if a]))
    return out


def _directory_copies(step: Step, inv: Invocation, steps: list[Step]) -> list[DatasetUse]:
    """A recursive copy of a directory from shared to node-local storage: file by file.
    Silent for code, environments and models (by the path's words, or because the job then
    works inside the copy) and for a folder of archives the job then extracts."""
    args = inv.args
    recursive = bool({"r", "R", "a"} & short_flags(args)) or "--recursive" in args or "--archive" in args
    words = operands(inv)
    if not recursive or len(words) < 2:
        return []
    dest = step.path(words[-1].raw)
    if dest is None or classify(dest) != LOCAL:
        return []
    found = []
    later: list[Step] | None = None
    for word in words[:-1]:
        src = step.path(word.raw)
        if src is None or classify(src) != SHARED or looks_like_file(src) or path_says(src) == "other":
            continue
        name = posixpath.basename(src.rstrip("/"))
        if "*" in name or "?" in name:
            copies = {dest.rstrip("/")}  # `cp -r dir/* dest`: the content lands in dest
        else:
            copies = {posixpath.join(dest, name)}
            if dest.rstrip("/") not in LOCAL_ROOTS:
                copies.add(dest.rstrip("/"))  # `cp -r a dest`: dest may be the copy itself
        if later is None:
            later = [s for s in steps if s.order > step.order]
        if not _extracted_in(copies, dest, later) and not _works_inside(copies, later):
            found.append(DatasetUse(step, src, "copy", inv.name))
    return found


def _extracted_in(copies: set[str], dest: str, later: list[Step]) -> bool:
    prefixes = tuple(copies) + (dest.rstrip("/") + "/",)
    return any(any(a.startswith(prefixes) and is_archive(a) for a in archives)
               for _, archives in extracted_archives(Flow(later)))


def _works_inside(copies: set[str], later: list[Step]) -> bool:
    """The job later `cd`s into the copy (not merely into $SLURM_TMPDIR), or runs or sources
    a program from it: it is the job's code (or environment), not its data."""
    inside = tuple(c + "/" for c in copies)
    for step in later:
        cwd = step.cwd
        if cwd is not None and cwd not in LOCAL_ROOTS and (cwd in copies or cwd.startswith(inside)):
            return True
        program = _program_path(step)
        if program is not None and program.startswith(inside):
            return True
    return False


def _program_path(step: Step) -> str | None:
    """The file a command runs, resolved: the script of `python x.py`, `bash x.sh` or
    `source x`, else the program itself when written as a path (`./bin/tool`)."""
    inv = invocation(step.command)
    if inv is None:
        return None
    if inv.name in ("source", ".") or inv.name in _SHELLS or _script_runner(inv):
        word = next((w.raw for w, a in zip(inv.words, inv.args) if not a.startswith("-")), None)
    else:  # the program's own word (after any wrapper); a bare name is looked up on PATH
        word = step.command.words[len(step.command.words) - len(inv.words) - 1].raw
        word = word if "/" in word else None
    return step.path(word) if word else None


# -- writing results, copying them back -----------------------------------------------------

@record
class LocalResults:
    step: Step
    how: str  # what the step does, for the message
    certain: bool  # an explicit output there (else inferred: working directory, environment)


def results_written_locally(flow: Flow) -> LocalResults | None:
    """Where the job leaves results on node-local storage, if it does. Certain: the first
    explicit output option, `KEY=` or redirect of a work command there, unless a later
    command reads it or it names data and more work follows (an intermediate). Likely only:
    a work command running there, else an exported output variable pointing there; and
    not even that when the job names shared storage for any of its outputs."""
    steps = [s for s in flow.main if is_work(invocation(s.command))]
    outputs = [_outputs(s) for s in steps]
    likely = None
    for k, step in enumerate(steps):
        local = [(name, p) for name, p in outputs[k] if classify(p) == LOCAL
                 and not _intermediate(p, steps[k + 1:])]
        if local:
            name, path = local[0]
            shared_too = any(classify(p) == SHARED for _, p in outputs[k])
            how = f"redirects output to {path}" if name == ">" else f"writes {name} to {path}"
            return LocalResults(step, how, certain=not shared_too)
        if likely is None and step.cwd is not None and classify(step.cwd) == LOCAL:
            likely = LocalResults(step, f"runs in {step.cwd}", certain=False)
    if likely is None:
        for order, name, path in _output_variables(flow, LOCAL):
            step = next((s for s in steps if s.order > order), None)
            if step is not None:
                likely = LocalResults(step, f"runs with {name}={path} exported", certain=False)
                break
    if likely is None or any(classify(p) == SHARED for outs in outputs for _, p in outs) \
            or _output_variables(flow, SHARED):
        return None  # nothing inferred, or the job names shared storage for its outputs
    return likely


def _outputs(step: Step) -> list[tuple[str, str]]:
    """(option or '>', resolved path) of each explicit output of a work step."""
    found = []
    for arg in arguments(step, invocation(step.command)):
        if arg.name and name_role(arg.name) == OUTPUT:
            path = path_value(step, arg.raw, bare=True)
            if path is not None:
                found.append((arg.name, path))
    for redirect in step.command.redirects:
        if redirect.target is not None and redirect.op.lstrip("0123456789&") in (">", ">>", ">|"):
            path = step.path(redirect.target.raw)
            if path is not None:
                found.append((">", path))
    return found


def _intermediate(path: str, later: list[Step]) -> bool:
    """Written for a later command: it reads that path (or inside it), or the path names
    data (`$SLURM_TMPDIR/data/splits`) and more work follows."""
    if not later:
        return False
    if path_says(path) == DATA:
        return True
    inside = path.rstrip("/") + "/"
    for step in later:
        program = _program_path(step)
        if program is not None and (program == path or program.startswith(inside)):
            return True  # `gcc -o $SLURM_TMPDIR/sim` then `$SLURM_TMPDIR/sim`
        for arg in arguments(step, invocation(step.command)):
            value = path_value(step, arg.raw)
            if value is not None and (value == path or value.startswith(inside)):
                return True
    return False


def _output_variables(flow: Flow, location: str) -> list[tuple[int, str, str]]:
    """(order, name, path) of each variable named as an output (`OUT_DIR`, `SAVE_PATH`)
    given a path on `location`: exported ones for LOCAL (the programs see them), any for
    SHARED (the job knows where its results go)."""
    found = []
    for step in flow.main:
        cmd = step.command
        if not cmd.words:
            pairs = [(a.name, a.value.raw) for a in cmd.assignments] if location == SHARED else []
        elif cmd.basename == "export":
            pairs = [tuple(w.raw.split("=", 1)) for w in cmd.words[1:]
                     if "=" in w.raw and w.raw.split("=", 1)[0].isidentifier()]
        else:
            continue
        for name, raw in pairs:
            if name_role(name) == OUTPUT:
                path = path_value(step, raw)
                if path is not None and classify(path) == location:
                    found.append((step.order, name, path))
    return found


@record
class CopyBack:
    step: Step
    source: str
    dest: str


def copy_backs(flow: Flow, text: str = "") -> list[CopyBack]:
    """Every cp/rsync/mv/scp/tar c/zip that moves something from node-local to other storage
    (`text`, the script's: a `tar c` to stdout piped into a file, `tar cf - res | pigz > F`)."""
    found: list[CopyBack] = []
    for k, step in enumerate(flow.steps):
        inv = invocation(step.command)
        if inv is None:
            continue
        if inv.name in ("cp", "rsync", "mv", "scp"):
            words = operands(inv)
            target_dir = _target_directory(inv)
            if target_dir is not None:
                dest_raw, sources = target_dir, words
            elif len(words) >= 2:
                dest_raw, sources = words[-1].raw, words[:-1]
            else:
                continue
            dest = step.path(dest_raw) if ":" not in dest_raw.split("/")[0] else "remote:" + dest_raw
            if dest is not None and classify(dest) == LOCAL:
                continue
            for word in sources:
                src = step.path(word.raw)
                if src is not None and classify(src) == LOCAL:
                    found.append(CopyBack(step, src, dest or "?"))
                    break
        elif inv.name == "tar":
            copy = _tar_create(step, inv, lambda: _stdout_file(flow.steps, k, text))
            if copy is not None:
                found.append(copy)
        elif inv.name in ("zip", "7z", "7za"):
            copy = _zip_create(step, inv)
            if copy is not None:
                found.append(copy)
        elif inv.name in TRANSFER_COMMANDS:
            copy = _upload(step, inv)
            if copy is not None:
                found.append(copy)
    return found


_REMOTE = lazy(r"[A-Za-z][\w+.-]*:")  # s3://bucket, gs://..., rclone's remote:path


def _upload(step: Step, inv: Invocation) -> CopyBack | None:
    """`aws s3 cp/sync`, `gsutil cp`, `rclone copy` from node-local storage to a remote."""
    words = [w for w, a in zip(inv.words, inv.args) if not a.startswith("-")]
    remote = next((w.literal for w in words if _REMOTE.match(w.literal)), None)
    if remote is None:
        return None
    for w in words:
        src = step.path(w.raw) if not _REMOTE.match(w.literal) else None
        if src is not None and classify(src) == LOCAL:
            return CopyBack(step, src, remote)
    return None


def _zip_create(step: Step, inv: Invocation) -> CopyBack | None:
    """`zip -r ARCHIVE FILES...` or `7z a ARCHIVE FILES...`: an archive written to shared
    storage from node-local files."""
    words = [w for w, a in zip(inv.words, inv.args) if not a.startswith("-")]
    if inv.name != "zip":  # 7z: a command letter first; only `a` (add) and `u` (update) write
        if not words or words[0].literal not in ("a", "u"):
            return None
        words = words[1:]
    if len(words) < 2:
        return None
    dest = step.path(words[0].raw)
    if dest is None or classify(dest) == LOCAL:
        return None
    for word in words[1:]:
        src = step.path(word.raw)
        if src is not None and classify(src) == LOCAL:
            return CopyBack(step, src, dest)
    return None


def _target_directory(inv: Invocation) -> str | None:
    for k, a in enumerate(inv.args):
        if a in ("-t", "--target-directory") and k + 1 < len(inv.args):
            return inv.words[k + 1].raw
        if a.startswith("--target-directory="):
            return inv.words[k].raw.split("=", 1)[1]
    return None


_PIPE_BETWEEN = lazy(r"(?:\s|\\\n)*\|&?(?:\s|\\\n)*")
_STDOUT = (">", ">>", ">|", "&>", "&>>", "1>", "1>>")


def _stdout_file(steps: list[Step], k: int, text: str) -> str | None:
    """Where the standard output of step `k` ends up: its own `> FILE`, else the `> FILE` of
    the last command of its pipeline (`tar cf - res | gzip > F`)."""
    step = steps[k]
    while True:
        cmd = step.command
        target = next((r.target.raw for r in cmd.redirects
                       if r.op in _STDOUT and r.target is not None), None)
        if target is not None:
            return target
        if k + 1 >= len(steps) or not text:
            return None
        after = steps[k + 1]
        if "pipeline" not in cmd.context or "pipeline" not in after.command.context \
                or not _PIPE_BETWEEN.fullmatch(text, cmd.span.end, after.command.span.start):
            return None
        k, step = k + 1, after


def _tar_create(step: Step, inv: Invocation,
                stdout: "Callable[[], str | None] | None" = None) -> CopyBack | None:
    args = inv.args
    first = args[0] if args else ""
    letters = short_flags(args) | (set(first) if first and not first.startswith("-") else set())
    if "c" not in letters and "--create" not in args:
        return None
    archive = base = None
    members: list[str] = []
    k = 0
    while k < len(args):
        a = args[k]
        if a in ("-C", "--directory") and k + 1 < len(args):
            base = inv.words[k + 1].raw
            k += 2
            continue
        if a.startswith("-") and "f" in a and not a.startswith("--") and k + 1 < len(args) \
                and a.endswith("f"):
            archive = inv.words[k + 1].raw
            k += 2
            continue
        if a.startswith("--file="):
            archive = inv.words[k].raw.split("=", 1)[1]
        elif k == 0 and not a.startswith("-") and "f" in a and k + 1 < len(args):
            archive = inv.words[1].raw
            k += 2
            continue
        elif not a.startswith("-"):
            members.append(inv.words[k].raw)
        k += 1
    if archive is None or archive == "-":  # to stdout: a copy-back when it goes to a file
        archive = stdout() if stdout is not None else None
        if archive is None:
            return None
    dest = step.path(archive)
    if dest is None or classify(dest) == LOCAL:
        return None
    root = step.path(base) if base is not None else step.cwd
    for member in members:
        if member.startswith(("/", "~", "$")):
            src = step.path(member)
        else:
            src = posixpath.join(root, member) if root else None
        if src is not None and classify(src) == LOCAL:
            return CopyBack(step, src, dest)
    return None
