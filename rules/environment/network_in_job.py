from cclint.analysis.commands import has_flag, invocation, option_values, running
from cclint.analysis.pip import is_pip, pip_install
from cclint.diagnostics import Severity
from cclint.patterns import lazy
from cclint.registry import Rule

# Hosts inside the cluster: this node, a node name (one label), a private address. A host
# named by a variable (`http://$HEAD_NODE:8000`) may be either.
_INTERNAL = lazy(r"^(?:[a-z+]+://)?(?:localhost|127\.0\.0\.1|\[::1\]|[A-Za-z0-9_-]+|10\.[\d.]+"
                 r"|192\.168\.[\d.]+|172\.(?:1[6-9]|2\d|3[01])\.[\d.]+)(?:[:/]|$)")
_VARIABLE_HOST = lazy(r"^(?:[a-z+]+://)?\$")


class NetworkInJob(Rule):
    code = "CC404"
    name = "network-in-job"
    family = "environment"
    severity = Severity.WARNING
    summary = "The job downloads from the internet (wget, curl, git clone, hf download...)"
    rationale = """
Compute nodes of many clusters have no internet access (Narval, Rorqual, Trillium, tamIA;
Vulcan only through a proxy): a download in the job fails or hangs until the time limit.
Where it works, every job downloads the same files again, slowly, while holding its
resources. Download once on a login node (or a data-transfer node) and read the files
from storage.

On a cluster whose profile says compute nodes have no internet, package managers that fetch
from the network are reported too: `conda`/`mamba`/`micromamba` `install`, `create`,
`update` and `env create`/`env update` (not with `--offline`, `--use-local`, `--clone`, or
only local channels), and `pip download` (not with `--no-index`). Elsewhere they work, and
conda-use and pip-without-no-index have their say.
"""
    certain_when = ("A download in the job (`wget`, `curl`, `git clone`/`pull`/`fetch`, `hf "
                    "download`, `kaggle`, `aws`/`gsutil`/`gcloud` `cp` or `sync`, `pip install "
                    "git+...`): a warning where compute nodes may reach the internet; an error "
                    "where the profile says they cannot (it fails), and there `conda "
                    "install`/`create` and `pip download` count too, while a host named by a "
                    "variable (`http://$HEAD_NODE:8000`, maybe a node of the job) stays a warning.")
    silent_when = ("URLs of this node, of another node (`http://gpu-node07:8000`) or of a private "
                   "address; `file://` URLs and git repositories given as local paths (`git clone "
                   "~/code/x.git`); cloud commands that copy nothing (`aws s3 ls`); conda with "
                   "`--offline`, `--use-local`, `--clone` or only local channels; package managers "
                   "where compute nodes reach the internet or it is not known (Vulcan's proxy).")
    fix = "Download before submitting, on a login node, into /project or /scratch; read that copy in the job."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\nwget https://example.org/data.tar\ntar xf data.tar\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\ntar xf ~/projects/def-lab/data.tar -C $SLURM_TMPDIR\n"

    def check(self, script, ctx):
        internet = ctx.profile.internet
        for cmd in running(script.body, _may_fetch):
            what = self._download(cmd) or (_package_download(cmd) if internet is False else None)
            if not what:
                continue
            severity = None
            if internet is False:
                message = (f"{what}: compute nodes on {ctx.profile.name} have no internet access "
                           f"({ctx.profile.cite()}).")
                if what.endswith(_FROM_A_VARIABLE_HOST):  # maybe a node of the job: not certain
                    severity = self.at_most(ctx, Severity.WARNING)
            else:
                message = f"{what} inside the job: many clusters' compute nodes have no internet."
            yield self.report(ctx, cmd.span, message, severity=severity)

    @staticmethod
    def _download(cmd) -> str | None:
        inv = invocation(cmd)
        if inv is None:
            return None
        name, args = inv.name, inv.args
        urls = [a for a in args if "://" in a]
        if name in _DOWNLOADERS:
            outside = [u for u in urls if not _INTERNAL.match(u.split("://", 1)[1])
                       and not u.lower().startswith("file://")]
            if urls and not outside:
                return None  # a service of this node or of the job's other nodes
            if outside and all(_VARIABLE_HOST.match(u.split("://", 1)[1]) for u in outside):
                return f"`{name}` downloads{_FROM_A_VARIABLE_HOST}"
            return f"`{name}` downloads"
        if name == "git":
            k = 0
            while k < len(args) and args[k].startswith("-"):
                k += 2 if args[k] in ("-C", "-c") else 1
            sub = args[k] if k < len(args) else ""
            if sub in ("clone", "pull", "fetch") and not _local_repository(args[k + 1:]):
                return f"`git {sub}` reaches a remote repository"
        if name in ("huggingface-cli", "hf") and args[:1] == ["download"]:
            return f"`{name} download` fetches a model or dataset"
        if name == "kaggle" or (name in _CLOUD_CLIS and any(a in ("cp", "sync") for a in args)):
            return f"`{name}` {'uploads to' if _uploads(args) else 'downloads from'} the cloud"
        pip = pip_install(cmd)
        if pip is not None and any(p.startswith(("git+", "http://", "https://")) for p in pip.packages):
            return "`pip install` from a URL"
        return None


# git clone/pull/fetch options whose value is the next word
_GIT_VALUE_OPTIONS = {"-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference",
                      "--reference-if-able", "--separate-git-dir", "-j", "--jobs", "--filter",
                      "-u", "--upload-pack", "--template", "--shallow-since", "--shallow-exclude",
                      "--server-option", "--bundle-uri", "--recurse-submodules-default"}
_LOCAL_REPOSITORY = ("/", "~", "./", "../", "file://")


def _local_repository(args: list[str]) -> bool:
    """`git clone ~/code/x.git`, `git pull ../mirror`: the repository named (the first operand)
    is a path on the cluster's disks, not a remote (a remote's name, a URL, `host:path`, a
    variable or nothing at all may be remote)."""
    k = 0
    while k < len(args) and args[k].startswith("-"):
        k += 2 if args[k] in _GIT_VALUE_OPTIONS else 1
    if k >= len(args):
        return False
    repository = args[k]
    return repository in (".", "..") or repository.startswith(_LOCAL_REPOSITORY)


def _uploads(args: list[str]) -> bool:
    """`aws s3 sync ./local s3://bucket`: the source (first operand after cp/sync) is local and
    the destination a bucket."""
    for k, a in enumerate(args):
        if a in ("cp", "sync"):
            operands = [x for x in args[k + 1:] if not x.startswith("-")]
            return len(operands) >= 2 and "://" not in operands[0] and any("://" in x for x in operands[1:])
    return False


_FROM_A_VARIABLE_HOST = " from a host named by a variable"
_CONDAS = ("conda", "mamba", "micromamba")
_DOWNLOADERS = ("wget", "curl", "aria2c", "axel")
_CLOUD_CLIS = ("aws", "gsutil", "gcloud")
_FETCHERS = {*_DOWNLOADERS, "git", "huggingface-cli", "hf", "kaggle", *_CLOUD_CLIS, *_CONDAS}


def _may_fetch(program: str) -> bool:
    """The programs `_download` and `_package_download` look at (the rule reads no other command)."""
    return program in _FETCHERS or is_pip(program)


_CONDA_FETCH = {"install", "create", "update", "upgrade"}


def _package_download(cmd) -> str | None:
    """A package manager that fetches from the network: conda/mamba install or create, pip download."""
    inv = invocation(cmd)
    if inv is None:
        return None
    name, args = inv.name, inv.args
    words = [a for a in args if not a.startswith("-")]
    if name in _CONDAS:
        sub = words[0] if words else ""
        if sub == "env" and words[1:2] in (["create"], ["update"]):
            sub = f"env {words[1]}"
        elif sub not in _CONDA_FETCH:
            return None
        if has_flag(args, "--offline", "--use-local", "--clone"):
            return None
        channels = option_values(args, "-c", "--channel")
        if has_flag(args, "--override-channels") and channels and all(_local(c) for c in channels):
            return None
        return f"`{name} {sub}` downloads packages"
    if is_pip(name) and words[:1] == ["download"] and "--no-index" not in args:
        return "`pip download` fetches from PyPI"
    return None


def _local(channel: str) -> bool:
    return channel.startswith(("/", ".", "~", "$", "file:"))


RULE = NetworkInJob
