"""Cluster profiles: where a script will run, and the limits it is judged against.

Profiles are YAML data (`cclint/profiles/*.yaml`, loaded by `cclint.profiles`); this module
holds their in-memory shape. `generic` is plain Slurm with no site policy and an unknown
Slurm version: every field at its default, so profile-driven rules stay silent.

Times are in minutes and memory in MiB (Slurm's units: `750G` = 750 GiB). `None` means
"not known for this cluster": the rules that need the number say nothing.
"""

from __future__ import annotations

from cclint.record import field, record

from cclint.slurm_version import SlurmVersion


@record(frozen=True)
class TimePolicy:
    max: int | None = None  # longest --time accepted (minutes)
    min: int | None = None  # shortest recommended for production jobs (minutes)
    min_test: int | None = None  # shortest for a test job, when the site gives one
    required: bool = False  # the site requires --time
    url: str = ""


@record(frozen=True)
class AccountPolicy:
    required: bool = False
    prefixes: tuple[str, ...] = ()  # valid account name prefixes (def-, rrg-, aip-...)
    url: str = ""


@record(frozen=True)
class PartitionLimit:
    name: str
    cpus: int | None = None  # per job
    memory: int | None = None  # MiB per job
    gpus: int | None = None  # per job
    time: int | None = None  # minutes


@record(frozen=True)
class PartitionPolicy:
    policy: str | None = None  # 'discouraged' (let the scheduler choose) | 'normal' | None
    allowed: tuple[str, ...] = ()  # names that are fine even where partitions are discouraged
    limits: dict[str, PartitionLimit] = field(default_factory=dict)
    url: str = ""


@record(frozen=True)
class GpuModel:
    name: str  # the Slurm type specifier (`h100`)
    description: str = ""
    aliases: tuple[str, ...] = ()  # other specifiers for the same GPUs
    per_node: int | None = None  # GPUs on each node that has them
    counts: tuple[int, ...] = ()  # allowed GPUs per node; () = any from 1 to per_node
    cores: int | None = None  # recommended cores per GPU
    memory: int | None = None  # recommended memory per GPU (MiB)
    node_cores: int | None = None  # the node that carries them
    node_memory: int | None = None  # its usable memory (MiB)

    @property
    def allowed_counts(self) -> tuple[int, ...]:
        if self.counts:
            return self.counts
        return tuple(range(1, self.per_node + 1)) if self.per_node else ()

    @property
    def label(self) -> str:
        return self.description or self.name


@record(frozen=True)
class GpuSlice:
    """A MIG (or SoftMig) instance: a fraction of a GPU, requested like a GPU type."""

    name: str
    of: str  # the model it is cut from
    aliases: tuple[str, ...] = ()
    cores: int | None = None  # recommended cores for one slice
    memory: int | None = None  # recommended memory for one slice (MiB)


@record(frozen=True)
class GpuPolicy:
    models: dict[str, GpuModel] = field(default_factory=dict)
    slices: dict[str, GpuSlice] = field(default_factory=dict)
    max_slices_per_job: int | None = None
    retired: dict[str, str] = field(default_factory=dict)  # specifier -> where it used to be
    url: str = ""

    @property
    def known(self) -> bool:
        """The profile lists the cluster's GPUs (so any other type is unknown there)."""
        return bool(self.models)

    def specifiers(self) -> dict[str, GpuModel | GpuSlice]:
        """Every specifier the cluster accepts (lower case) -> what it names."""
        names: dict[str, GpuModel | GpuSlice] = {}
        for model in self.models.values():
            for spec in (model.name, *model.aliases):
                names[spec.lower()] = model
        for piece in self.slices.values():
            for spec in (piece.name, *piece.aliases):
                names[spec.lower()] = piece
        return names

    def find(self, specifier: str) -> GpuModel | GpuSlice | None:
        return self.specifiers().get(specifier.lower())


@record(frozen=True)
class NodeType:
    name: str
    cores: int | None = None
    memory: int | None = None  # usable memory (MiB)


@record(frozen=True)
class NodePolicy:
    types: dict[str, NodeType] = field(default_factory=dict)  # CPU nodes (GPU nodes: gpus.models)
    complete: bool = False  # the list covers every node (else large-memory nodes may exist)
    memory_ignored: bool = False  # the site ignores --mem (Trillium: whole nodes)
    whole: bool = False  # CPU jobs get (and are charged for) whole nodes (Trillium)
    url: str = ""


# The GRES of Slurm's own plugins that job scripts ask for: the names cclint expects a cluster
# to define when its profile does not list them (generic.yaml says the same).
COMMON_GRES = ("gpu", "mps", "shard")


@record(frozen=True)
class GresPolicy:
    types: tuple[str, ...] | None = COMMON_GRES  # GRES names defined (GresTypes); None: not known
    complete: bool = False  # the list is the whole GresTypes: sbatch refuses any other name
    url: str = ""


@record(frozen=True)
class Retirement:
    """Set when a retired cluster's name was asked for: the profile is its replacement's."""

    name: str  # the retired cluster (`cedar`)
    since: str = ""
    replaced_by: str = ""  # '' when no successor is documented (then the profile is its own)
    note: str = ""
    suggested: tuple[str, ...] = ()  # where to run today, when no successor is documented

    def notice(self) -> str:
        when = f" on {self.since}" if self.since else ""
        extra = f" ({self.note})" if self.note else ""
        if not self.replaced_by:
            where = " or ".join(self.suggested)
            extra = extra or " (no successor is documented)"
            return (f"{self.name} is retired{extra}. Suggestion, not a "
                    f"documented migration: run on {where} today (`cclint convert --cluster "
                    f"{self.suggested[0] if self.suggested else 'NAME'} job.sh` rewrites a PBS script for it). "
                    f"Checking against {self.name} as it was.")
        return (f"{self.name} was retired{when}; its replacement is {self.replaced_by}{extra}: "
                f"checking against the {self.replaced_by} profile.")


@record
class Profile:
    name: str = "generic"
    description: str = "Plain Slurm: no site policy, Slurm version unknown."
    status: str = "policy"  # active (a cluster) | policy (shared by several) | retired
    url: str = ""
    slurm_version: SlurmVersion | None = None
    internet: bool | None = None  # do compute nodes reach the internet? None: not known
    wheelhouse: bool = False  # Alliance Python wheels (pip --no-index, virtualenv --no-download)
    severity: dict[str, str] = field(default_factory=dict)  # rule name -> error|warning|info|off
    time: TimePolicy = field(default_factory=TimePolicy)
    account: AccountPolicy = field(default_factory=AccountPolicy)
    partitions: PartitionPolicy = field(default_factory=PartitionPolicy)
    gpus: GpuPolicy = field(default_factory=GpuPolicy)
    nodes: NodePolicy = field(default_factory=NodePolicy)
    gres: GresPolicy = field(default_factory=GresPolicy)
    notes: str = ""
    data: dict = field(default_factory=dict)  # the merged YAML, as `cclint cluster NAME` shows it
    source: str = ""  # the file it was loaded from
    chain: tuple[str, ...] = ()  # this profile, then what it extends, in order
    retired: Retirement | None = None  # asked for by a retired cluster's name
    warnings: tuple[str, ...] = ()  # problems in the profile that did not stop loading it

    def rule_setting(self, rule_name: str) -> str | None:
        return self.severity.get(rule_name)

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def cite(self, section_url: str = "") -> str:
        """Where a student can check a limit: the section's page, else the cluster's."""
        return section_url or self.url or f"the {self.name} documentation"


GENERIC = Profile()
