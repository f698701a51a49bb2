"""Translate `#PBS` and `#BSUB` lines into the sbatch options they become (facts §2.7).

sbatch applies these after the `#SBATCH` lines, so they override them; cclint adds the
translations to the header (so `-l walltime` counts as a time limit) and keeps the text of
each line so that `pbs-directive` can show the `#SBATCH` equivalent.
"""

from __future__ import annotations

from cclint.header.model import Directive, PbsLine
from cclint.header.options import long_options
from cclint.header.words import split_directive
from cclint.slurm_version import SlurmVersion
from cclint.source import Span

_PBS_WITH_ARG = set("aAcCdejJklmMNopqrStuvWw")
_PBS_FLAGS = set("hIVz")
_PBS_IGNORED = set("cCIjkrSuVz")
_MAIL = {"a": "FAIL", "b": "BEGIN", "e": "END", "n": "NONE"}
_PBS_SIMPLE = {"a": "begin", "A": "account", "e": "error", "o": "output", "d": "chdir",
               "w": "chdir", "J": "array", "t": "array", "M": "mail-user", "N": "job-name",
               "p": "nice", "q": "partition", "v": "export"}


def _make(name: str, value: str | None, pbs: PbsLine, span: Span, source_text: str,
          origin: str) -> Directive:
    spec = long_options().get(name)
    return Directive(name=name, spec=spec, written="--" + name, value=value, line=pbs.line,
                     span=span, option_span=span, value_span=span, value_line=pbs.line,
                     form="long=", origin=origin, source_text=source_text)


def translate_pbs(pbs: PbsLine, base: int, version: SlurmVersion | None = None) -> None:
    words = split_directive(pbs.text, 4).words
    i = 0
    while i < len(words):
        w = words[i]
        span = Span(base + w.start, base + w.end)
        if not w.text.startswith("-") or len(w.text) < 2:
            pbs.problem = f"Invalid argument: {w.text}"
            return
        letter = w.text[1]
        if (letter not in _PBS_WITH_ARG and letter not in _PBS_FLAGS) \
                or (letter in "dw" and version is not None and not version.at_least(23, 2)):
            pbs.problem = "Unrecognized command line parameter ?"
            return
        value = None
        if letter in _PBS_WITH_ARG:
            if len(w.text) > 2:
                value = w.text[2:]
            elif i + 1 < len(words):
                i += 1
                value = words[i].text
                span = Span(span.start, base + words[i].end)
            else:
                pbs.problem = f"option requires an argument -- '{letter}'"
                return
        i += 1
        shown = f"-{letter}" + (f" {value}" if value is not None else "")
        for name, val in _pbs_option(letter, value):
            pbs.translations.append(_make(name, val, pbs, span, shown, "pbs"))


def _pbs_option(letter: str, value: str | None) -> list[tuple[str, str | None]]:
    if letter == "h":
        return [("hold", None)]
    if letter in _PBS_IGNORED or value is None:
        return []
    if letter == "m":
        kinds = [_MAIL[c] for c in value.lower() if c in _MAIL]
        return [("mail-type", ",".join(dict.fromkeys(kinds)))] if kinds else []
    if letter == "W":
        key, _, val = value.partition("=")
        return [("dependency", val)] if key == "depend" else []
    if letter == "l":
        return _resource_list(value)
    return [(_PBS_SIMPLE[letter], value)]


def _resource_list(value: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for item in value.split(","):
        key, _, val = item.partition("=")
        key = key.strip().lower()
        if key in ("walltime", "cput", "pcput"):
            out.append(("time", val))
        elif key == "mem":
            out.append(("mem", val[:-1] if val[-1:] in "bB" and val else val))
        elif key == "file":
            out.append(("tmp", val))
        elif key == "nodes":
            parts = val.split(":")
            nodes = parts[0] if parts[0].isdigit() else "1"
            out.append(("nodes", nodes))
            for part in parts[1:]:
                k, _, v = part.partition("=")
                if k == "ppn" and v.isdigit():
                    out.append(("ntasks", str(int(nodes) * int(v))))
                elif k == "gpus" and v.isdigit():
                    out.append(("gpus-per-node", v))
        elif key == "select":
            out.append(("nodes", val.split(":")[0]))
        elif key == "ncpus":
            out.append(("mincpus", val))
        elif key == "mpiprocs":
            out.append(("ntasks-per-node", val))
        elif key == "naccelerators":
            out.append(("gres", f"gpu:{val}"))
        elif key == "accelerator" and val.lower() == "true":
            out.append(("gres", "gpu:1"))
        elif key == "proc":
            out.append(("constraint", val))
        elif key == "nice":
            out.append(("nice", val))
    return out


def translate_bsub(pbs: PbsLine, base: int) -> None:
    words = split_directive(pbs.text, 5).words
    mapping = {"-cwd": "chdir", "-c": "chdir", "-e": "error", "-J": "job-name", "-o": "output",
               "-m": "nodelist", "-M": "mem-per-cpu", "-n": "ntasks", "-q": "partition",
               "-W": "time"}
    i = 0
    while i < len(words):
        w = words[i]
        span = Span(base + w.start, base + w.end)
        if w.text == "-x":
            pbs.translations.append(_make("exclusive", None, pbs, span, "-x", "bsub"))
            i += 1
            continue
        name = mapping.get(w.text)
        if name is None or i + 1 >= len(words):
            i += 1
            continue
        value = words[i + 1].text
        if name == "nodelist":
            value = ",".join(value.split())
        elif name == "mem-per-cpu" and value.isdigit():
            value += "K"
        elif name == "ntasks":
            value = value.split(",")[-1]
        span = Span(span.start, base + words[i + 1].end)
        pbs.translations.append(_make(name, value, pbs, span, f"{w.text} {words[i + 1].text}", "bsub"))
        i += 2
