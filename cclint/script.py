"""The model of one job script, built once and shared by every rule.

    SourceFile (text, positions)  ->  Body (bashlex commands) + data lines
                                  ->  Header (what sbatch reads)
                                  ->  Flow (commands replayed with variables and cwd)
"""

from __future__ import annotations

from cclint.record import record

from cclint.header.model import Header
from cclint.header.scan import scan_header
from cclint.shell.expand import SUBMIT_DIR, join
from cclint.shell.flow import Flow, replay
from cclint.shell.interpreter import is_shell
from cclint.shell.model import Body
from cclint.shell.parse import parse_body
from cclint.slurm_version import SlurmVersion
from cclint.source import SourceFile, Span


@record
class Script:
    source: SourceFile
    header: Header
    body: Body
    flow: Flow

    @classmethod
    def build(cls, source: SourceFile, version: SlurmVersion | None = None,
              environment: tuple[tuple[str, str], ...] = (), command_line: tuple[str, ...] = ()) -> "Script":
        """`environment` (sbatch's input variables) and `command_line` (sbatch's arguments)
        add the options sbatch would get from them to the header, after the script's."""
        body = parse_body(source)
        header = read_header(source, body, version, environment, command_line)
        return cls(source, header, body, replay(body, initial_cwd(header)))

    @classmethod
    def from_text(cls, text: str, version: SlurmVersion | None = None) -> "Script":
        return cls.build(SourceFile.from_text(text), version)

    def line_of(self, span: Span) -> int:
        return self.source.position(span.start)[0]

    @property
    def interpreter(self) -> str:
        """The program the `#!` line names ('' without one): see shell/interpreter.py."""
        return self.body.interpreter

    @property
    def is_shell(self) -> bool:
        """The body is shell code (and `body` holds its commands)."""
        return is_shell(self.body.interpreter)


def read_header(source: SourceFile, body: Body, version: SlurmVersion | None,
                environment: tuple[tuple[str, str], ...] = (), command_line: tuple[str, ...] = (),
                header_only: bool = False) -> Header:
    """What sbatch reads for `version`: the script's directives, then those of its
    environment and command line (`header_only`: see `scan_header`)."""
    header = scan_header(source, body.data_lines, version, header_only)
    if environment or command_line:
        from cclint.header.external import add_external

        add_external(header, environment, command_line, version)
    return header


def initial_cwd(header: Header) -> str | None:
    """The job starts in --chdir if given (resolved against the submit dir), else there."""
    chdir = header.value("chdir")
    if chdir is None:
        return SUBMIT_DIR
    if "$" in chdir or chdir.startswith("~"):
        return None  # never expanded by Slurm: an unknown literal directory
    return join(SUBMIT_DIR, chdir)
