"""Where the job reads data and writes results: node-local vs shared storage.

Built on the replayed flow (`shell/flow.py`), so `$OUTDIR`, `cd $SLURM_TMPDIR` and relative
paths are resolved. Shared by untarred-dataset, missing-copy-back and copy-back-not-trapped.
"""

from __future__ import annotations

import posixpath
import re
from cclint.record import Record, record

from cclint.analysis.commands import Invocation, invocation, is_python, operands, short_flags
from cclint.shell.expand import LOCAL, SHARED, UNKNOWN, classify
from cclint.shell.flow import Flow, Step

# A path whose last part has an extension is one file, not a directory of small files.
_FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_ARCHIVE = re.compile(r"\.(tar|tgz|tbz2?|txz|zip|7z|tar\.(gz|bz2|xz|zst|lz4)|squashfs|sqfs)$", re.I)

DATA_FLAG_TOKENS = {"data", "dataset", "datasets", "datadir", "dataroot", "root", "images", "image",
                    "imgs", "img", "input", "inputs", "train", "training", "val", "valid",
                    "validation", "frames", "donnees"}
_DATA_PATH_WORDS = ("data", "image", "img", "train", "val", "frame", "video", "audio", "corpus",
                    "sample", "shard", "record", "fastq", "reads", "coco", "imagenet", "donnee")
_NOT_DATA_PATH_WORDS = ("venv", "env", "code", "src", "model", "checkpoint", "ckpt", "weight",
                        "bin", "lib", "conda", "wheel", "log")
OUTPUT_FLAG_TOKENS = {"out", "output", "outdir", "outputs", "save", "savedir", "results", "result",
                      "logdir", "ckpt", "checkpoint", "checkpoints", "dest", "deffnm", "work",
                      "workdir", "export", "sortie", "model_dir", "modeldir"}
_OUTPUT_EXACT = {"-o", "--o", "-deffnm", "--model-dir", "--model_dir", "--log-dir", "--log_dir"}

# Commands that prepare the job or move data but do not produce results themselves.
SETUP_COMMANDS = {
    "cd", "pushd", "popd", "cp", "mv", "rm", "mkdir", "rmdir", "ln", "touch", "chmod", "tar",
    "unzip", "gunzip", "gzip", "zstd", "7z", "rsync", "scp", "wget", "curl", "git", "module", "ml",
    "source", ".", "export", "echo", "printf", "cat", "virtualenv", "venv", "pip", "pip3", "conda",
    "mamba", "set", "unset", "trap", "wait", "sleep", "date", "hostname", "ls", "nvidia-smi",
    "huggingface-cli", "hf", "find", "du", "df", "env", "which", "head", "tail", "true", "false",
    ":", "exit", "return", "test", "[", "[[", "read", "eval", "tensorboard", "seff", "declare",
    "local", "readonly", "shopt", "ulimit", "umask", "sync", "free", "lscpu", "id", "whoami",
    "uname", "pwd", "sq", "squeue", "sacct", "scontrol",
}


def looks_like_file(path: str) -> bool:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return not path.endswith("/") and bool(_FILE_EXTENSION.search(last)) and "*" not in last


def is_archive(path: str) -> bool:
    return bool(_ARCHIVE.search(path.rstrip("/")))


_FLAG_TOKENS: dict[str, frozenset[str]] = {}  # flags repeat from script to script


def flag_tokens(flag: str) -> frozenset[str]:
    tokens = _FLAG_TOKENS.get(flag)
    if tokens is None:
        if len(_FLAG_TOKENS) > 4096:
            _FLAG_TOKENS.clear()
        name = flag.lstrip("-").partition("=")[0].lower()
        tokens = _FLAG_TOKENS[flag] = frozenset(re.split(r"[-_.]", name)) | {name}
    return tokens


def is_data_path(path: str) -> bool:
    parts = [p.lower() for p in path.rstrip("/").split("/") if p and not p.startswith(("~", "$"))]
    if not parts:
        return False
    last = parts[-1]
    if any(w in last for w in _NOT_DATA_PATH_WORDS):
        return False
    tail = parts[-3:]
    return any(w in p for p in tail for w in _DATA_PATH_WORDS)


class PathUse(Record):
    __slots__ = ("step", "raw", "resolved", "location", "flag")  # several per command: slotted

    def __init__(self, step: Step, raw: str, resolved: str | None, location: str, flag: str = ""):
        self.step = step
        self.raw = raw  # the word as written
        self.resolved = resolved
        self.location = location
        self.flag = flag  # the option it is the value of ('' for a positional argument)


def _argument_words(inv: Invocation) -> list[tuple[str, str]]:
    """(flag, word as written) for each flag value and positional argument of a command (the
    flag is '' for a positional one). Resolved as paths only where a rule wants them."""
    found: list[tuple[str, str]] = []
    words = inv.words
    k = 0
    while k < len(words):
        lit = inv.args[k]
        if lit.startswith("-") and len(lit) > 1:
            flag, eq, value = lit.partition("=")
            if eq:
                found.append((flag, words[k].raw.split("=", 1)[1] if "=" in words[k].raw else value))
                k += 1
            elif k + 1 < len(words) and not inv.args[k + 1].startswith("-"):
                found.append((flag, words[k + 1].raw))
                k += 2
            else:
                k += 1
            continue
        found.append(("", words[k].raw))
        k += 1
    return found


def _use(step: Step, raw: str, flag: str) -> PathUse:
    resolved = step.path(raw)
    return PathUse(step, raw, resolved, classify(resolved) if resolved else UNKNOWN, flag)


def is_work(inv: Invocation | None) -> bool:
    return inv is not None and bool(inv.name) and inv.name not in SETUP_COMMANDS \
        and not inv.name.startswith(("pip", "python-config"))


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
        interpreter = is_python(inv.name) or inv.name in ("Rscript", "julia", "torchrun",
                                                         "accelerate", "deepspeed")
        script_seen = not interpreter
        for flag, raw in _argument_words(inv):
            if not flag and not script_seen:
                script_seen = True  # the program's own path comes first
                continue
            if not (flag_tokens(flag) & DATA_FLAG_TOKENS if flag else interpreter):
                continue  # (before resolving: most arguments are not data)
            use = _use(step, raw, flag)
            if use.location != SHARED or use.resolved is None or looks_like_file(use.resolved):
                continue
            if flag or "/" in raw or is_data_path(use.resolved):
                found.append(DatasetUse(step, use.resolved, "argument", flag))
    return found


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
    args = inv.args
    recursive = bool({"r", "R", "a"} & short_flags(args)) or "--recursive" in args or "--archive" in args
    words = operands(inv)
    if not recursive or len(words) < 2:
        return []
    dest = step.path(words[-1].raw)
    if dest is None or classify(dest) != LOCAL:
        return []
    found = []
    for word in words[:-1]:
        src = step.path(word.raw)
        if src is None or classify(src) != SHARED or looks_like_file(src) or not is_data_path(src):
            continue
        copied = posixpath.join(dest, posixpath.basename(src.rstrip("/")))
        later = [s for s in steps if s.order > step.order]
        extracted_there = any(
            any(a.startswith((copied, dest + "/")) and is_archive(a) for a in archives)
            for s, archives in extracted_archives(Flow(later))
        )
        if not extracted_there:
            found.append(DatasetUse(step, src, "copy", inv.name))
    return found


# -- writing results, copying them back -----------------------------------------------------

def results_written_locally(flow: Flow) -> tuple[Step, str] | None:
    """The first step that leaves results on node-local storage, with a reason."""
    for step in flow.main:
        cmd = step.command
        inv = invocation(cmd)
        if not is_work(inv):
            continue
        if step.cwd is not None and classify(step.cwd) == LOCAL and inv.name != "tensorboard":
            return step, f"runs in {step.cwd}"
        for flag, raw in _argument_words(inv):
            if flag and _output_flag(flag):
                use = _use(step, raw, flag)
                if use.location == LOCAL:
                    return step, f"writes {flag} to {use.resolved}"
        for redirect in cmd.redirects:
            if redirect.target is not None and redirect.op.lstrip("0123456789&") in (">", ">>", ">|") \
                    and step.location(redirect.target.raw) == LOCAL:
                return step, f"redirects output to {step.path(redirect.target.raw)}"
    return None


def _output_flag(flag: str) -> bool:
    return flag in _OUTPUT_EXACT or bool(flag_tokens(flag) & OUTPUT_FLAG_TOKENS)


@record
class CopyBack:
    step: Step
    source: str
    dest: str


def copy_backs(flow: Flow) -> list[CopyBack]:
    """Every cp/rsync/mv/scp/tar c that moves something from node-local to other storage."""
    found: list[CopyBack] = []
    for step in flow.steps:
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
            copy = _tar_create(step, inv)
            if copy is not None:
                found.append(copy)
    return found


def _target_directory(inv: Invocation) -> str | None:
    for k, a in enumerate(inv.args):
        if a in ("-t", "--target-directory") and k + 1 < len(inv.args):
            return inv.words[k + 1].raw
        if a.startswith("--target-directory="):
            return inv.words[k].raw.split("=", 1)[1]
    return None


def _tar_create(step: Step, inv: Invocation) -> CopyBack | None:
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
    if archive is None or archive == "-":
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
