"""Step 2c: a small semantic layer over the command list.

It replays the script in execution order, statically: the main commands in source order,
the body of a function wherever it is called, and trap handlers at the end (a trap runs
when the job exits or receives its signal). Each executed command becomes a `Step` that
knows the variables assigned so far and the working directory (`cd`, `pushd`, `popd`), so
that rules can resolve `$OUTDIR/x` or `./data` to a node-local, shared or unknown path.
Nothing is executed: command substitutions and loop variables are simply unknown.
"""

from __future__ import annotations

from bisect import bisect_left

from cclint.record import Record
from cclint.shell.expand import SUBMIT_DIR, Expander, Value, classify, join, UNKNOWN
from cclint.shell.model import Body, Command

_DECLARERS = {"export", "declare", "typeset", "local", "readonly"}
_READERS = {"read", "mapfile", "readarray"}
_EFFECTS = _DECLARERS | _READERS | {"cd", "pushd", "popd"}  # commands that change env or cwd
_SCOPED = ("subshell", "cmdsub", "pipeline")  # effects there do not reach the script
_MAX_CALL_DEPTH = 4


class Step(Record):
    __slots__ = ("command", "cwd", "env", "via", "order", "_expander", "_paths")
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, command: Command, cwd: str | None, env: dict[str, str | None],
                 via: tuple[str, ...] = (), order: int = 0):
        self.command = command
        self.cwd = cwd
        self.env = env  # never mutated once a step refers to it
        self.via = via  # ('function:save',), ('trap:EXIT', 'function:save'), ...
        self.order = order
        self._expander: Expander | None = None
        self._paths: dict[str, str | None] = {}  # several rules resolve the same words

    @property
    def in_trap(self) -> bool:
        return bool(self.via) and any(v.startswith("trap:") for v in self.via)

    @property
    def expander(self) -> Expander:
        if self._expander is None:
            env = self.env
            if self.command.words and self.command.assignments:
                env = dict(env)
                outer = Expander(self.env, self.cwd)
                for a in self.command.assignments:
                    env[a.name] = outer.expand(a.value.raw).text
            self._expander = Expander(env, self.cwd)
        return self._expander

    def value(self, raw: str) -> Value:
        return self.expander.expand(raw)

    def path(self, raw: str) -> str | None:
        """The word as a path resolved against this step's cwd (None if unknowable)."""
        if raw not in self._paths:
            self._paths[raw] = self.expander.path(raw)[1]
        return self._paths[raw]

    def location(self, raw: str) -> str:
        resolved = self.path(raw)
        return classify(resolved) if resolved else UNKNOWN


class Flow(Record):
    __slots__ = ("steps", "_main", "_by_command")

    def __init__(self, steps: list[Step] | None = None):
        self.steps = steps if steps is not None else []
        self._main: list[Step] | None = None
        self._by_command: dict[int, list[Step]] | None = None

    @property
    def main(self) -> list[Step]:
        """Steps of the normal run, without trap handlers (computed once the flow is built)."""
        if self._main is None:
            self._main = [s for s in self.steps if not s.in_trap]
        return self._main

    def of(self, command: Command) -> list[Step]:
        """The steps that run `command` (several when a loop or function runs it again),
        from an index built once the flow is built: a scan per call was quadratic."""
        if self._by_command is None:
            self._by_command = {}
            for step in self.steps:
                self._by_command.setdefault(id(step.command), []).append(step)
        return self._by_command.get(id(command), [])

    def steps_of(self, commands: list[Command]) -> list[Step]:
        """The steps that run any of `commands` (from `Body.named`...), in execution order."""
        return sorted((step for cmd in commands for step in self.of(cmd)), key=_execution_order)


def _execution_order(step: Step) -> int:
    return step.order


def replay(body: Body, initial_cwd: str | None = SUBMIT_DIR) -> Flow:
    return _Replay(body, initial_cwd).run()


class _Replay:
    def __init__(self, body: Body, cwd: str | None):
        self.body = body
        self.cwd = cwd
        self.env: dict[str, str | None] = {}
        self.dirs: list[str | None] = []
        self.flow = Flow()
        # name -> its definitions in source order: (start, end, commands of the body)
        self.definitions: dict[str, list[tuple[int, int, list[Command]]]] = {}
        for d in sorted(body.definitions, key=lambda d: d.span.start):
            self.definitions.setdefault(d.name, []).append((d.span.start, d.span.end, []))
        for cmd in body.commands:
            if cmd.function is not None and cmd.trap is None:
                found = self.definitions.get(cmd.function, ())
                at = cmd.span.start
                owner = next((d for d in reversed(found) if d[0] <= at < d[1]), None)
                if owner is not None:
                    owner[2].append(cmd)

    def run(self) -> Flow:
        for cmd in self.body.commands:
            if cmd.function is None and cmd.trap is None:
                self.execute(cmd, ())
        handlers = [c for c in self.body.commands if c.trap is not None and c.function is None]
        starts = [c.span.start for c in handlers]  # in source order
        for trap in self.body.traps:
            signals = ",".join(trap.signals)
            span = trap.command.span
            for cmd in handlers[bisect_left(starts, span.start):bisect_left(starts, span.end)]:
                if cmd.trap == signals:
                    self.execute(cmd, ("trap:" + signals,))
        return self.flow

    def set(self, name: str, value: str | None) -> None:
        if self.env.get(name, ...) != value:
            self.env = {**self.env, name: value}

    def execute(self, cmd: Command, via: tuple[str, ...]) -> None:
        for ctx in cmd.context:
            if ctx.startswith("for:") and self.env.get(ctx[4:], ...) is not None:
                self.set(ctx[4:], None)
        step = Step(cmd, self.cwd, self.env, via, len(self.flow.steps))
        self.flow.steps.append(step)
        if not any(c in _SCOPED for c in cmd.context):
            self.effects(cmd)
        name = cmd.basename
        if name in self.definitions and len(via) < _MAX_CALL_DEPTH and "function:" + name not in via:
            for inner in self._definition(name, cmd, via):
                self.execute(inner, via + ("function:" + name,))

    def _definition(self, name: str, call: Command, via: tuple[str, ...]) -> list[Command]:
        """The body a call runs: the definition last read before the call in the script (bash
        runs the one defined most recently); from a trap handler, at exit, the last one."""
        found = self.definitions[name]
        if via and via[0].startswith("trap:"):
            return found[-1][2]
        k = bisect_left(found, call.span.start, key=lambda d: d[0])  # definitions before the call
        return found[k - 1][2] if k else found[-1][2]

    def effects(self, cmd: Command) -> None:
        if not cmd.words:
            for a in cmd.assignments:
                raw = a.value.raw
                self.set(a.name, None if raw.startswith("(") or a.append
                         else Expander(self.env, self.cwd).expand(raw).text)
            return
        name = cmd.basename
        if name not in _EFFECTS:
            return
        expander = Expander(self.env, self.cwd)
        if name in _DECLARERS:
            for word in cmd.words[1:]:
                lit = word.raw
                if "=" in lit and not lit.startswith("-"):
                    var, _, raw = lit.partition("=")
                    self.set(var.rstrip("+"), expander.expand(raw).text)
        elif name in _READERS:
            for arg in cmd.args:
                if not arg.startswith("-"):
                    self.set(arg, None)
        elif name in ("cd", "pushd"):
            targets = [w for w in cmd.words[1:] if not w.literal.startswith("-") or w.literal == "-"]
            if name == "pushd":
                self.dirs.append(self.cwd)
            if not targets:
                self.cwd = "~"
            elif targets[0].literal == "-":
                self.cwd = None
            else:
                value = expander.expand(targets[0].raw)
                self.cwd = None if value.text.startswith("${") else join(self.cwd, value.text)
        elif name == "popd":
            self.cwd = self.dirs.pop() if self.dirs else None
