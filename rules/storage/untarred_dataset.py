from cclint.analysis.storage import small_file_reads
from cclint.diagnostics import Severity
from cclint.registry import Rule


class UntarredDataset(Rule):
    code = "CC301"
    name = "untarred-dataset"
    family = "storage"
    severity = Severity.WARNING
    summary = "A dataset is read as many small files from shared storage"
    rationale = """
Shared file systems (/home, /project, /scratch, /network) are built for a few large files.
A training job that reads a directory of thousands of images or shards from there spends
its time waiting on metadata servers, slows the file system for every user, and counts
against file-number quotas. One archive, copied to the node-local disk ($SLURM_TMPDIR) and
extracted there at the start of the job, is read at local-disk speed.

It looks at options and assignments whose name ends in a data word (`--data_dir`,
`--images`, `DATA_PATH=`) and whose value is a directory path, at the first positional
directory of a script whose path says data, at extractions onto shared storage, and at
recursive copies into node-local storage. Dataset names (`--dataset imagenet`), numbers,
single files, code, environments and models are left alone.
"""
    certain_when = ("A data-named option or assignment of a work command (`--data_dir`, "
                    "`--train-data-path`, `--dataroot`, `--images`, `DATA_PATH=`) whose value is a "
                    "directory on shared storage; the first positional directory of a "
                    "`python`/`Rscript`/`julia`/launcher script whose path says data; `tar "
                    "x`/`unzip`/`7z x` onto shared storage; `cp -r`/`rsync -a` of a directory from "
                    "shared into node-local storage. The job works, slowly and at the shared file "
                    "system's expense (warning).")
    silent_when = ("A name that only mentions data (`--max_frames 64`, `--input_type`, "
                   "`--data.noise`); a value that is no path (a number, a comma list, `key=value`, "
                   "a URL, `$(...)`); a dataset name (`--dataset imagenet`) unless the job made a "
                   "folder of that name; one file (`.tar`, `.h5`, `.lmdb`, `.parquet`...), code, "
                   "an environment or a model; positional arguments of other programs or of a "
                   "later command; a copied folder the job then enters, runs from, or whose "
                   "archives it extracts on the node; file systems cclint does not know.")
    fix = ("Keep the dataset as one archive (`tar cf data.tar data/`); at job start "
           "`tar xf ~/projects/.../data.tar -C $SLURM_TMPDIR` and read it from $SLURM_TMPDIR.")
    bad = ("#!/bin/bash\n#SBATCH --time=01:00:00\n"
           "python train.py --data ~/projects/def-lab/imagenet/train\n")
    good = ("#!/bin/bash\n#SBATCH --time=01:00:00\n"
            "tar xf ~/projects/def-lab/imagenet.tar -C $SLURM_TMPDIR\n"
            "python train.py --data $SLURM_TMPDIR/imagenet/train\n")

    def check(self, script, ctx):
        reported = set()
        for use in small_file_reads(script.flow):
            cmd = use.step.command
            if cmd.index in reported:
                continue
            reported.add(cmd.index)
            if use.how == "extract":
                message = (f"`{use.detail}` extracts into {use.path}, on shared storage: the job then "
                           "works on many small files there.")
                fix = ("Extract on the compute node instead: `-C $SLURM_TMPDIR` for tar, "
                       "`-d $SLURM_TMPDIR` for unzip.")
            elif use.how == "copy":
                message = (f"`{use.detail}` copies the directory {use.path} file by file from shared "
                           "storage: one archive is far faster to copy.")
                fix = self.fix
            else:
                what = f"`{use.detail}` points" if use.detail else "An argument points"
                message = (f"{what} to {use.path}, a directory on shared storage: the job will read "
                           "its files one by one over the network.")
                fix = self.fix
            yield self.report(ctx, cmd.span, message, fix=fix)


RULE = UntarredDataset
