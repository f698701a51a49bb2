"""Checks that involve several options (slurm-facts.md §5): what sbatch refuses, and what it
silently overrides or ignores.

Only the occurrence of each option that wins (the last one) takes part, and only when its
value is readable; a bad value is `invalid-option-value`'s business. The GPU consistency
rules follow sbatch's GRES validation (21.08+), as observed on 22.05.
"""

from __future__ import annotations

from cclint.record import record

from cclint.header.model import Directive, Header
from cclint.header.timespec import parse_datetime
from cclint.header.validate import Site, hint_droppers, readable
from cclint.header.values import (
    MIXED_TYPES, GresItem, count_hosts, gres_typed, mixed_types, newer, parse_count, parse_gpus,
    parse_gpus_per_task, parse_gres, parse_memory, parse_nodes, strtol, tres_gres_items,
)
from cclint.slurm_version import SlurmVersion, release

GRES_TAIL = "\nInvalid generic resource (gres) specification"


@record(frozen=True)
class Combo:
    message: str  # sbatch's own words for a refusal, else the explanation
    directives: tuple[Directive, ...]  # the options involved, in argv order
    hint: str
    stage: str = "sbatch"  # 'sbatch' | 'note' (accepted; only newer releases refuse it)

    @property
    def where(self) -> Directive:
        return max(self.directives, key=_position)


def _position(d: Directive) -> tuple:
    """In sbatch's reading order: #SBATCH, #PBS/#BSUB, the environment, the command line."""
    if getattr(d.span, "source", None) is not None:  # outside the script (header/external.py)
        stage = 2 if d.origin == "env" else 3
    else:
        stage = 1 if d.origin in ("pbs", "bsub") else 0
    return (stage, d.line, d.span.start)


class _View:
    """The winning value of each option in one heterogeneous-job component."""

    def __init__(self, header: Header, component: int, version: SlurmVersion | None,
                 site: Site | None = None):
        self.header, self.component, self.version = header, component, version
        self.site = site or Site()
        self.winners = header.winners(component)

    def get(self, name: str) -> Directive | None:
        """The winning occurrence (Header.get), if sbatch reads its value."""
        d = self.winners.get(name)
        return d if d is not None and readable(d) else None

    def count(self, name: str) -> int | None:
        d = self.get(name)
        if d is None or d.value is None:
            return None
        try:
            return parse_count(d.value, name, allow_zero=True, version=self.version)
        except ValueError:
            return None

    def hosts(self) -> int | None:
        nodelist = self.get("nodelist")
        return count_hosts(nodelist.value or "") if nodelist else None

    def nodes(self) -> tuple[int, int] | None:
        """(min, max) from --nodes, the minimum raised to the hosts of --nodelist (§5.2)."""
        d = self.get("nodes")
        hosts = self.hosts()
        if d is None:
            return (hosts, 0) if hosts else None
        try:
            low, high = parse_nodes(d.value or "", self.version)
        except ValueError:
            return None
        return (max(low, hosts), high) if hosts else (low, high)

    def arbitrary(self) -> bool:
        """An arbitrary (or hostfile) distribution: tasks are placed by a host list."""
        d = self.get("distribution")
        levels = [p for p in (d.value or "").lower().split(",")[0].split(":") if p] if d else []
        return bool(levels) and levels[0] in ("arbitrary", "hostfile")

    def tasks(self) -> int | None:
        """-n; with an arbitrary distribution, one task per host listed (facts §4.13)."""
        tasks = self.count("ntasks")
        nodelist = self.get("nodelist")
        if tasks is None and self.arbitrary() and nodelist is not None:
            tasks = count_hosts(nodelist.value or "", unique=False)
        return tasks

    def gres_tasks(self, implied_by_nodes: bool = True) -> int | None:
        """The task count sbatch's GRES validation works with (as observed on 22.05): -n (or
        one per host of an arbitrary distribution); else --ntasks-per-node times the nodes;
        else, with a layout option (-B, --sockets-per-node, --cores-per-socket,
        --threads-per-core, --hint) and a known node count, nodes x sockets x cores x threads;
        else one per node of a fixed --nodes count."""
        tasks = self.tasks()
        if tasks is not None:
            return tasks
        if newer(self.version, 23, 2):
            return self._gres_tasks(implied_by_nodes)
        per_node = self.count("ntasks-per-node")
        if per_node:
            known = self.nodes()  # --nodes, else the hosts of --nodelist
            if self.get("nodes") is not None and known is not None and known[1] != known[0]:
                return None  # a range of nodes implies no task count
            return (known[0] if known else 1) * per_node
        nodes = self.nodes() if self.get("nodes") is not None else None
        fixed = nodes[0] if nodes is not None and nodes[1] == nodes[0] else None
        if nodes is not None and fixed is None:
            return None  # a range (or no maximum): nothing is implied
        layout = self.layout_product()
        if layout is not None:
            known = fixed
            if known is None and self.get("nodes") is None:
                known = self.hosts()
            if known is None and self._b_fields():
                known = 1
            if known is not None:
                return known * layout
        if not implied_by_nodes or self.get("cpus-per-task") is not None:
            return None  # with -c, a node count implies no task count (22.05)
        return fixed or None

    def _gres_tasks(self, implied_by_nodes: bool) -> int | None:
        """The same from 23.02 (read in 24.11's source, observed on 24.11 and 25.11): without -n,
        sbatch sets the tasks from the layout options only with a node count that is fixed or
        open-ended (or -B, or --nodelist) and no --ntasks-per-node; then the GRES validation
        sets them for a fixed --nodes: times --ntasks-per-node, else one per node (not with -c)."""
        per_node = self.count("ntasks-per-node")
        nodes = self.nodes() if self.get("nodes") is not None else None
        fixed = nodes[0] if nodes is not None and nodes[1] == nodes[0] else None
        fields = self.layout_fields()
        layout = self.layout_product() if fields and any(f is not None for f in fields) else None
        if layout is not None and not per_node:
            known = nodes[0] if nodes is not None and nodes[1] in (nodes[0], 0) else None
            if nodes is None:
                known = self.hosts() or (1 if self._b_fields() else None)
            if known is not None:
                return max(known, 1) * layout
        if not implied_by_nodes or not fixed:
            return None
        if per_node:
            return fixed * per_node
        return None if self.get("cpus-per-task") is not None else fixed

    def _b_fields(self) -> list[int | None]:
        """-B sets all three fields; `*`, empty or missing ones become unset."""
        d = self.get("extra-node-info")
        if d is None:
            return []
        fields = ((d.value or "").split(":") + ["", ""])[:3]
        return [None if not f or f.startswith("*") else max(strtol(f)[0], 0) for f in fields]

    def _hint(self) -> str:
        """The --hint that applies (it is dropped next to some options, facts §5.2)."""
        hint = self.get("hint")
        if hint is None or any(self.get(n) for n in hint_droppers(self.version)):
            return ""
        return (hint.value or "").lower()

    def layout_fields(self) -> list[int | None] | None:
        """[sockets, cores, threads] as sbatch ends up with them, or None without any
        layout option (-B, --sockets-per-node, --cores-per-socket, --threads-per-core, --hint)."""
        names = ("sockets-per-node", "cores-per-socket", "threads-per-core")
        given = [self.get(n) for n in names]
        b = self.get("extra-node-info")
        fields = self._b_fields()
        hint = self._hint()
        values: list[int | None] = []
        for i, d in enumerate(given):
            value = self.count(d.name) if d is not None else None
            if fields and (d is None or _position(b) > _position(d)):
                value = fields[i]
            values.append(value)
        if hint:  # any hint resets sockets and cores; all but multithread set one thread
            values = [None, None, values[2] if hint.split(",")[-1] == "multithread" else 1]
        elif all(v is None for v in values):
            return None
        return values

    def layout_product(self) -> int | None:
        """sockets x cores x threads when a layout option is given (0 if one is 0), else None."""
        values = self.layout_fields()
        if values is None:
            return None
        product = 1
        for value in values:
            product *= 1 if value is None else value
        return product

    def _layout(self) -> int | None:
        return self.layout_product() or None

    def sockets(self) -> int | None:
        """--sockets-per-node, or the first field of -B (the later of the two), after --hint."""
        values = self.layout_fields()
        return values[0] if values else None


def conflicts(header: Header, version: SlurmVersion | None, site: Site | None = None) -> list[Combo]:
    found: list[Combo] = []
    for component in range(header.components):
        view = _View(header, component, version, site)
        pairs = _exclusive_pairs(view)
        found += pairs
        if not any(c.stage == "sbatch" for c in pairs):
            found += _gres_rules(view)  # checked later: sbatch has already stopped otherwise
        found += _times(view)
    return found


def _exclusive_pairs(v: _View) -> list[Combo]:
    out = []
    version = v.version
    mems = [d for d in (v.get("mem"), v.get("mem-per-cpu"), v.get("mem-per-gpu")) if d]
    if len(mems) > 1:
        out.append(Combo("--mem, --mem-per-cpu, and --mem-per-gpu are mutually exclusive.",
                         tuple(mems), "Keep one memory option: --mem (per node) or --mem-per-cpu "
                         "(per core) or --mem-per-gpu."))
    pairs = [
        ("core-spec", "thread-spec", "-S/--core-spec and --thred-spec options are mutually exclusive",
         None),
        ("bb", "bbf", "Cannot specify both --burst-buffer and --bbf", None),
        ("exclusive", "oversubscribe",
         "--exclusive and --oversubscribe options are mutually exclusive", (23, 2)),
    ]
    for a, b, message, since in pairs:
        da, db = v.get(a), v.get(b)
        if da and db:
            stage = "sbatch" if since is None or newer(version, *since) else "note"
            if stage == "note":
                message = (f"--{a} and --{b} contradict each other; sbatch {version} accepts both, "
                           f"but {release(since)} and later refuse the script (\"{message}\")")
            out.append(Combo(message, (da, db), f"Keep either --{a} or --{b}.", stage))
    ntpg = v.get("ntasks-per-gpu") or v.get("ntasks-per-tres")
    if ntpg:
        for other in ("gpus-per-task", "gpus-per-socket", "ntasks-per-node"):
            d = v.get(other)
            if d:
                out.append(Combo(f"--{other} is mutually exclusive with --ntasks-per-gpu and "
                                 "SLURM_NTASKS_PER_GPU", (ntpg, d),
                                 f"Keep --ntasks-per-gpu or --{other}, not both."))
        a, b = v.count("ntasks-per-gpu"), v.count("ntasks-per-tres")
        if a is not None and b is not None and a != b:
            out.append(Combo(f"Inconsistent values set to --ntasks-per-gpu={a} and "
                             f"--ntasks-per-tres={b} ", (v.get("ntasks-per-gpu"), v.get("ntasks-per-tres")),
                             "Give the same value to both, or keep only --ntasks-per-gpu."))
    dist = v.get("distribution")
    if dist and v.arbitrary():
        if not (v.get("nodelist") or v.get("nodefile")):
            out.append(Combo("With Arbitrary distribution you need to specify a nodelist or hostfile "
                             "with the -w option", (dist,), "Add --nodelist=HOSTS, or use "
                             "--distribution=block."))
        nodes = v.get("nodes")
        if nodes and newer(version, 23, 11):
            out.append(Combo("--nodes is incompatible with --distribution=arbitrary", (nodes, dist),
                             "Drop --nodes: the node list decides the nodes."))
    out += _tres_per_task(v)
    out += _plane(v)
    nodes_d, hosts = v.get("nodes"), v.hosts()
    if nodes_d is not None and hosts:
        try:
            low, high = parse_nodes(nodes_d.value or "", version)
        except ValueError:
            high = 0
        if high and hosts > high:
            out.append(Combo(f"invalid number of nodes (-N {max(low, hosts)}-{high})",
                             (nodes_d, v.get("nodelist")), f"--nodelist names {hosts} nodes: "
                             f"allow at least that many in --nodes."))
    cores, threads = v.count("ntasks-per-core"), v.count("threads-per-core")
    if cores and threads and cores > threads and newer(version, 23, 2):
        out.append(Combo(f"--ntasks-per-core ({cores}) can not be bigger than --threads-per-core "
                         f"({threads})", (v.get("ntasks-per-core"), v.get("threads-per-core")),
                         "Make --ntasks-per-core at most --threads-per-core."))
    gres, per_node = v.get("gres"), v.get("gpus-per-node")
    if gres and per_node and newer(version, 26, 5) and "gpu" in (gres.value or ""):
        out.append(Combo("--gpus-per-node and --gres=gpu are mutually exclusive.", (gres, per_node),
                         "Ask for GPUs one way: --gpus-per-node=N or --gres=gpu:N."))
    return out


def _tres_per_task(v: _View) -> list[Combo]:
    """--tres-per-task (23.02+) against the options it duplicates (facts §5.1)."""
    tres = v.get("tres-per-task")
    out: list[Combo] = []
    if tres is not None and newer(v.version, 23, 2):
        kinds = {item.partition("=")[0].split(":")[0].lower() for item in (tres.value or "").split(",")}
        pairs = [("cpu", "cpus-per-task", "You can not have --tres-per-task=cpu= and --cpus-per-task "
                  "please use one or the other"),
                 ("gres/gpu", "gpus-per-task", "You can not have --tres-per-task=gres/gpu= and "
                  "--gpus-per-task please use one or the other")]
        for kind, other, message in pairs:
            d = v.get(other)
            if kind in kinds and d is not None:
                out.append(Combo(message, (tres, d), f"Give it once: --tres-per-task or --{other}."))
        ntpg = v.get("ntasks-per-gpu")
        if ntpg is not None:
            out.append(Combo("--tres-per-task is mutually exclusive with --ntasks-per-gpu and "
                             "SLURM_NTASKS_PER_GPU", (tres, ntpg), "Keep one of the two."))
        cpg = v.get("cpus-per-gpu")
        if cpg is not None and "cpu" in kinds and newer(v.version, 23, 11):
            out.append(Combo("--cpus-per-task, --tres-per-task=cpu:#, and --cpus-per-gpu are mutually "
                             "exclusive", (tres, cpg), "Keep one way of giving CPUs."))
    segment, nodes = v.count("segment"), v.nodes()
    if segment and nodes and nodes[0] % segment and newer(v.version, 26, 5):
        out.append(Combo(f"--segment={segment} does not fit the job size ({nodes[0]}): node count "
                         "must be evenly divisible by segment size", (v.get("segment"), v.get("nodes")),
                         "Make --nodes a multiple of --segment."))
    resv = v.get("resv-ports")
    if resv is not None and v.get("stepmgr") is None and not v.site.stepmgr:
        message = "Slurmstepd step management must be enabled to use --resv-ports for job allocations"
        if v.site.stepmgr is False:  # the cluster's slurm.conf is known not to enable it
            out.append(Combo(message, (resv,), "Add --stepmgr."))
        else:
            out.append(Combo("--resv-ports needs step management: unless the cluster sets "
                             f"SlurmctldParameters=enable_stepmgr, sbatch says \"{message}\"", (resv,),
                             "Add --stepmgr, or check the cluster's configuration.", stage="note"))
    return out


def _plane(v: _View) -> list[Combo]:
    """The plane distribution needs enough tasks to reach every node (sbatch's own check)."""
    dist = v.get("distribution")
    text = (dist.value or "").lower() if dist else ""
    if not text.startswith("plane="):
        return []
    size, rest = strtol(text[6:])
    nodes = v.nodes()
    if rest or size <= 0 or nodes is None:
        return []
    low = nodes[0]
    per_node = v.count("ntasks-per-node")
    tasks = v.tasks() or (low * per_node if per_node else 1)
    if low == 0 or (tasks // size < low and (low - 1) * size >= tasks):
        return [Combo("Too few processes for the requested {plane,node} distribution",
                      tuple(d for d in (dist, v.get("nodes"), v.get("nodelist"), v.get("ntasks")) if d),
                      f"Ask for more tasks (at least {(low - 1) * size + 1}) or fewer nodes.")]
    return []


def _gpu_items(v: _View) -> dict[str, tuple[Directive, list[GresItem]]] | None:
    """The GRES requests by scope; None when one of them cannot be read (reported elsewhere)."""
    # --gres is read after --gpus-per-node: its per-node count wins (22.05).
    scopes = {"gpus": "job", "gpus-per-node": "node", "gres": "node", "gpus-per-task": "task",
              "gpus-per-socket": "socket"}
    if newer(v.version, 23, 2):
        scopes["tres-per-task"] = "task"  # its gres/... items (--gpus-per-task becomes one)
    parsers = {"gres": parse_gres, "gpus-per-task": parse_gpus_per_task, "tres-per-task": tres_gres_items}
    found = {}
    for name, scope in scopes.items():
        d = v.get(name)
        if d is None:
            continue
        try:
            items = parsers.get(name, parse_gpus)(d.value or "", v.version)
        except ValueError:
            return None
        found[name] = (scope, d, items)
    return found


def _gres_rules(v: _View) -> list[Combo]:
    """sbatch's client-side GRES validation (`gres_job_state_validate`)."""
    if v.get("clusters") is not None:
        return []  # sbatch skips it for another cluster
    out: list[Combo] = []
    requests = _gpu_items(v)
    if requests is None or (v.arbitrary() and v.get("nodefile") is not None):
        return out  # unreadable, or tasks that depend on a host file cclint does not read
    cpg, cpt = v.get("cpus-per-gpu"), v.get("cpus-per-task")
    if cpg and cpt:
        out.append(Combo("--cpus-per-gpu is mutually exclusive with --cpus-per-task" + GRES_TAIL,
                         (cpg, cpt), "Keep --cpus-per-gpu or --cpus-per-task, not both."))
    involved = tuple(d for _, d, _ in requests.values())
    records: dict[tuple[str, str], dict[str, int]] = {}
    for scope, _d, items in requests.values():
        for item in items:
            records.setdefault((item.name, item.type), {})[scope] = item.count
    if mixed_types(gres_typed([i for _, _, items in requests.values() for i in items])):
        out.append(Combo(MIXED_TYPES, involved, "Ask for every GPU with a type (a100:2) or "
                         "every GPU without one (2), not a mix."))
        return out
    gpus = [r for (n, _), r in records.items() if n == "gpu"]
    for name, what in (("mem-per-gpu", "mem_per_tres"), ("cpus-per-gpu", "cpus_per_tres")):
        d = v.get(name)
        if d is None or gpus or (name == "cpus-per-gpu" and not newer(v.version, 23, 2)):
            continue
        try:
            amount = parse_memory(d.value or "", name) if name == "mem-per-gpu" else v.count(name)
        except ValueError:
            continue
        if amount or (name == "mem-per-gpu" and cpg is not None):  # 0 alone passes
            out.append(Combo(f"Requested {what}=gres:gpu:{amount} but did not request any GPU."
                             + GRES_TAIL, (d,), "Ask for a GPU (--gpus=1 or --gres=gpu:1), or use "
                             f"--{name.replace('gpu', 'cpu')} instead."))
    ntpg = v.get("ntasks-per-gpu") or v.get("ntasks-per-tres")
    per_task_gpu = v.count(ntpg.name) if ntpg else None
    if per_task_gpu and gpus and not any(r.get("job") for r in gpus) and v.gres_tasks() is None:
        # sbatch sets tasks = GPUs x --ntasks-per-gpu, the GPUs being per node x nodes.
        nodes = v.nodes() if v.get("nodes") is not None else None
        if (nodes is not None and nodes[0] == 0) or v.layout_product() == 0:
            out.append(Combo("gres_job_state_validate: Can't set num_tasks = gpus * "
                             "*ntasks_per_tres because there are no allocated GPUs" + GRES_TAIL,
                             (ntpg,) + involved, "Give -n, or a node count of at least 1."))
            return out
    if per_task_gpu and not gpus:
        # sbatch derives the GPU count from the tasks (or one per node of a fixed count).
        tasks = v.gres_tasks(implied_by_nodes=False)
        nodes = v.nodes() if v.get("nodes") is not None else None
        if tasks and tasks < per_task_gpu:
            pass  # sbatch computes 0 GPUs, says "Failed to add generated GRES" and goes on
        elif tasks:
            if tasks % per_task_gpu:
                out.append(Combo("Failed to validate job spec, -n/--ntasks has to be a multiple of "
                                 "--ntasks-per-gpu." + GRES_TAIL, (ntpg, v.get("ntasks") or ntpg),
                                 "Make -n a multiple of --ntasks-per-gpu."))
                return out
            records[("gpu", "")] = {"job": tasks // per_task_gpu}
        elif nodes and nodes[0] == nodes[1] and nodes[0] > 0:
            records[("gpu", "")] = {"job": nodes[0]}  # one GPU per node of a fixed count
        else:
            out.append(Combo("gres_job_state_validate: --ntasks-per-tres needs either a GRES GPU "
                             "specification or a node/ntask specification" + GRES_TAIL, (ntpg,),
                             "Add a GPU request (--gpus=N), -n or a fixed --nodes count."))
            return out
        involved += (ntpg,)
    state = _Job.of(v)
    for (name, _), gres in records.items():
        message = _test_counts(gres, state, name, v.version)
        if message:
            out.append(Combo(message + GRES_TAIL, involved + _task_options(v),
                             "Make the GPU counts agree: --gpus = nodes x --gpus-per-node = tasks "
                             "x --gpus-per-task."))
            break
    return out


def _task_options(v: _View) -> tuple[Directive, ...]:
    names = ("ntasks", "nodes", "ntasks-per-node", "sockets-per-node", "ntasks-per-socket")
    return tuple(d for d in (v.get(n) for n in names) if d is not None)


@record
class _Job:
    """What the GRES validation knows of the job; it updates it record after record."""

    min_nodes: int | None
    max_nodes: int | None
    tasks: int | None
    sockets: int | None
    per_node_tasks: int | None
    per_socket_tasks: int | None

    @classmethod
    def of(cls, v: _View) -> "_Job":
        nodes = v.nodes()
        job = cls(nodes[0] if nodes else None, (nodes[1] or None) if nodes else None,
                  v.gres_tasks(), v.sockets(), v.count("ntasks-per-node"),
                  v.count("ntasks-per-socket"))
        explicit = v.count("ntasks")
        if explicit and job.min_nodes and explicit < job.min_nodes:
            # "can't run N processes on M nodes, setting nnodes to N"
            job.min_nodes = explicit
            job.max_nodes = min(job.max_nodes, explicit) if job.max_nodes else job.max_nodes
        return job


def _test_counts(r: dict[str, int], j: _Job, name: str = "gpu", version: SlurmVersion | None = None) -> str:
    """The consistency rules between per-job, per-node, per-task and per-socket counts."""
    job, node, task, socket = (r.get(k, 0) for k in ("job", "node", "task", "socket"))
    if job and ((node and node > job) or (task and task > job) or (socket and socket > job)):
        return "Failed to ensure --gpus >= --gres=gpu/--gpus-per-node >= --gpus-per-socket"
    if node and ((task and task > node) or (socket and socket > node)):
        return "Failed to ensure --gpus >= --gpus-per-task"
    if socket and j.sockets is None:
        return "--gpus-per-socket option requires --sockets-per-node specification"
    if job and node:
        if job % node:
            return "Failed to validate job spec, --gpus is not multiple of --gres=gpu/--gpus-per-node"
        need = job // node
        if (j.min_nodes is not None and need < j.min_nodes) or (j.max_nodes is not None and need > j.max_nodes):
            return (f"Failed to validate job spec. Based on --gpus and --gres=gpu/--gpus-per-node "
                    f"required nodes ({need}) doesn't fall between min_nodes ({j.min_nodes}) and "
                    f"max_nodes ({j.max_nodes}) boundaries.")
        j.min_nodes = j.max_nodes = need
    if node and socket:
        problem = _split(j, "sockets", node, socket,
                         "Failed to validate job spec, --gres=gpu/--gpus-per-node not multiple of "
                         "--gpus-per-socket.",
                         "Failed to validate job spec. Based on --gres=gpu/--gpus-per-node and "
                         "--gpus-per-socket required number of sockets differ from --sockets-per-node.")
        if problem:
            return problem
    if task:
        if job:
            problem = _split(j, "tasks", job, task,
                             "Failed to validate job spec, --gpus not multiple of --gpus-per-task",
                             "Failed to validate job spec. Based on --gpus and --gpus-per-task number "
                             "of requested tasks differ from -n/--ntasks.")
            if problem:
                return problem
        elif j.tasks is not None:
            job = j.tasks * task
        elif not newer(version, 23, 2):
            return ("Failed to validate job spec. --gpus-per-task used without either --gpus or "
                    "-n/--ntasks is not allowed.")
        elif name == "gpu":
            return ("Failed to validate job spec. --gpus-per-task or --tres-per-task used without "
                    "either --gpus or -n/--ntasks is not allowed.")
        else:
            return "Failed to validate job spec. --tres-per-task used without -n/--ntasks is not allowed."
    for gpus, attr, option, unit in ((node, "per_node_tasks", "--gres=gpu/--gpus-per-node", "node"),
                                     (socket, "per_socket_tasks", "--gpus-per-socket", "socket")):
        if gpus and task:  # the GPUs of a node (socket) must split evenly into the tasks there
            problem = _split(j, attr, gpus, task,
                             f"Failed to validate job spec, {option} not multiple of --gpus-per-task.",
                             f"Failed to validate job spec. Based on {option} and --gpus-per-task "
                             f"required number of tasks per {unit} differ from --ntasks-per-{unit}.")
            if problem:
                return problem
    if job and j.min_nodes is not None and job < j.min_nodes:
        return "Failed to validate job spec, --gpus < -N"
    return ""


def _split(j: _Job, attr: str, gpus: int, per: int, not_multiple: str, differ: str) -> str:
    """`gpus` shared out `per` unit: a whole number of units, which sets `j.attr` when it is
    unset (None or 0) and must equal it otherwise. sbatch's message for each failure."""
    if gpus % per:
        return not_multiple
    if not getattr(j, attr):
        setattr(j, attr, gpus // per)
    elif getattr(j, attr) != gpus // per:
        return differ
    return ""


def _times(v: _View) -> list[Combo]:
    begin, deadline = v.get("begin"), v.get("deadline")
    if not (begin and deadline):
        return []
    try:
        start = parse_datetime(begin.value or "", "begin", v.version)
        end = parse_datetime(deadline.value or "", "deadline", v.version)
    except ValueError:
        return []
    if start is not None and end is not None and end < start:
        return [Combo("Incompatible begin and deadline time specification", (begin, deadline),
                      "Make --deadline later than --begin.")]
    return []


# -- accepted, but without effect (facts §5.2, §5.3) ------------------------------------------

def ineffective(header: Header, version: SlurmVersion | None) -> list[Combo]:
    found: list[Combo] = []
    for component in range(header.components):
        v = _View(header, component, version)
        found += _dropped(v)
    return found


def _gpu_requested(v: _View) -> bool:
    requests = _gpu_items(v)
    if requests is None:
        return True  # unreadable: do not guess
    return any(item.name == "gpu" for _, _, items in requests.values() for item in items)


def _dropped(v: _View) -> list[Combo]:
    out = []
    hint = v.get("hint")
    droppers = [d for d in (v.get(n) for n in hint_droppers(v.version)) if d is not None]
    if hint and droppers:
        names = ", ".join(d.written for d in droppers)
        out.append(Combo(f"--hint is dropped because {names} is also given (sbatch says so only "
                         "with -v)", (hint,), f"Remove --hint, or remove {names} and let --hint "
                         "choose the layout."))
    mail_user, mail_type = v.get("mail-user"), v.get("mail-type")
    if mail_user and (mail_type is None or (mail_type.value or "").upper() == "NONE"):
        out.append(Combo("--mail-user without --mail-type: no mail is sent (the default type is "
                         "NONE)", (mail_user,), "Add --mail-type=END,FAIL (or ALL)."))
    pairs = [
        ("kill-on-invalid-dep", lambda: v.get("dependency") is not None,
         "--kill-on-invalid-dep only matters with --dependency", "Add --dependency, or remove it."),
        ("time-min", lambda: v.get("time") is not None,
         "--time-min without --time: the partition's default time limit is used as the maximum",
         "Add --time=MAX next to --time-min."),
        ("use-min-nodes", lambda: bool(v.nodes()) and v.nodes()[1] not in (0, v.nodes()[0]),
         "--use-min-nodes only matters with a node range such as --nodes=2-4",
         "Give a range with --nodes=MIN-MAX, or remove it."),
    ]
    for name, present, message, hint_text in pairs:
        d = v.get(name)
        if d is not None and not present():
            out.append(Combo(message, (d,), hint_text))
    gpu_only = ["gpu-bind", "gpu-freq"] + ([] if newer(v.version, 23, 2) else ["cpus-per-gpu"])
    for name in gpu_only:
        d = v.get(name)
        if d is not None and not _gpu_requested(v):
            out.append(Combo(f"--{name} does nothing without a GPU request", (d,),
                             "Ask for GPUs (--gpus=N or --gres=gpu:N), or remove it."))
    nodelist, nodefile = v.get("nodelist"), v.get("nodefile")
    if nodelist and nodefile:
        first, last = sorted((nodelist, nodefile), key=_position)
        out.append(Combo(f"{last.written} clears {first.written}: only the later of the two is used",
                         (first, last), "Keep one of --nodelist and --nodefile."))
    requeue, no_requeue = v.get("requeue"), v.get("no-requeue")
    if requeue and no_requeue:
        first, last = sorted((requeue, no_requeue), key=_position)
        out.append(Combo(f"{last.written} overrides {first.written}: only the later one counts",
                         (first, last), "Keep one of --requeue and --no-requeue."))
    return out
