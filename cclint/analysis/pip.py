"""`pip install` invocations and what they would fetch."""

from __future__ import annotations

from cclint.record import record

from cclint.analysis.commands import Invocation, invocation
from cclint.shell.model import Command

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cclint.shell.flow import Flow

_VALUE_OPTIONS = {
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-f", "--find-links",
    "-i", "--index-url", "--extra-index-url", "-t", "--target", "--prefix", "--root", "--src",
    "--upgrade-strategy", "--python-version", "--platform", "--only-binary", "--no-binary",
    "--config-settings", "-C", "--global-option", "--install-option", "--cache-dir", "--log",
    "--progress-bar", "--trusted-host", "--proxy", "--retries", "--timeout", "--exists-action",
    "--implementation", "--abi", "--report", "--python", "--group",
}
_LOCAL_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz")


@record
class PipInstall:
    command: Command
    invocation: Invocation
    packages: list[str]  # what is installed from an index (not local paths)
    requirements: list[str]  # -r files (their content comes from an index)
    no_index: bool
    install_word: int  # index in invocation.words of the `install` word


def is_local(spec: str) -> bool:
    return spec.startswith((".", "/", "~", "$", "file:")) or "/" in spec and "://" not in spec \
        or spec.endswith(_LOCAL_SUFFIXES) and "://" not in spec


def is_pip(program: str) -> bool:
    """pip, pip2, pip3, pip3.11 (`python -m pip` is named pip by `invocation`)."""
    return program == "pip" or program == "pip2" or program.startswith("pip3")


def pip_install(cmd: Command) -> PipInstall | None:
    inv = invocation(cmd)
    if inv is None or not is_pip(inv.name):
        return None
    args = inv.args
    k = 0
    while k < len(args) and args[k].startswith("-"):
        k += 1
    if k >= len(args) or args[k] != "install":
        return None
    install_at = k
    packages, requirements, no_index = [], [], False
    k += 1
    while k < len(args):
        arg = args[k]
        if arg == "--no-index":
            no_index = True
        elif arg.startswith("-"):
            name = arg.partition("=")[0]
            if name in _VALUE_OPTIONS and "=" not in arg and k + 1 < len(args):
                value = args[k + 1]
                if name in ("-r", "--requirement"):
                    requirements.append(value)
                elif name in ("-e", "--editable") and not is_local(value):
                    packages.append(value)
                k += 1
            elif name in ("-r", "--requirement"):
                requirements.append(arg.partition("=")[2])
        elif not is_local(arg):
            packages.append(arg)
        k += 1
    return PipInstall(cmd, inv, packages, requirements, no_index, install_at)


_FALSE = {"0", "false", "no", "off"}


def no_index_from_environment(cmd: Command, flow: "Flow") -> bool:
    """Whether PIP_NO_INDEX, set before `cmd` or in front of it (`PIP_NO_INDEX=1 pip install
    x`), turns on --no-index: pip reads each option from its PIP_<OPTION> variable. A value
    the replay does not know counts as on (the script means it)."""
    for a in cmd.assignments:
        if a.name == "PIP_NO_INDEX":
            return a.value.literal.strip().lower() not in _FALSE
    for step in flow.of(cmd):
        if "PIP_NO_INDEX" in step.env:
            value = step.env["PIP_NO_INDEX"]
            return value is None or value.strip().lower() not in _FALSE
    return False
