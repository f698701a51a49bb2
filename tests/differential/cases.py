"""The scripts of the differential test: every option and value kind, valid and invalid.

`generate()` returns {name: script text}. Tables give values per option (chosen at the
edges of each grammar); combinations, getopt abbreviations and word-level cases follow; a
seeded random mix of table entries adds interactions. The same seed gives the same scripts.
"""

from __future__ import annotations

import random
import re

from cclint.header.options import option_table

# option -> values; each becomes `#SBATCH --option=value` (and `-x value` for short options).
VALUES: dict[str, list[str]] = {
    "time": ["10", "0", "-1", "1:30", "1:30:00", "1-", "5-", "2-12", "2-12:30", "2-12:30:15", "-5",
             "-12", "-0", "INFINITE", "unlimited", "Infinite", "90m", "1h", "1.5", "", "-", ":",
             "1::", ":5", "1::3", "1-2-3", "1:2:3:4", "1-2:3:4:5", "1:-2", "1-:", "-1-2", "--1",
             "-1:00", "1-2:", "12-", "00:00", "0:0:0", "0-0", "1:90:00", "0:120", "x", "1d",
             "24:00:00", "100:00:00", "2147483647"],
    "time-min": ["10", "1:00:00", "x", "", "1-2:3"],
    "delay-boot": ["5", "5:00", "-5", "x", "", "1-0"],
    "mem": ["4096", "4G", "4g", "4GB", "4Gb", "4gb", "500M", "500MB", "1T", "2048K", "0", "+4G",
            "4.5G", "4 G", "4GiB", "4P", "4KiB", "-1", "4e3", "", "G", "B", "4Bb", "16",
            "9223372036854775807", "9223372036854775808", "99999999999999999999", "4GBB", "4 ",
            "1kb", "1KB"],
    "mem-per-cpu": ["2G", "2000", "2.5G", "x", "0"],
    "tmp": ["10G", "10x", "100"],
    "ntasks": ["1", "4", "0", "-1", "+4", "4x", "", "x", "2147483646", "2147483647",
               "99999999999", " 4", "04", "1.5"],
    "cpus-per-task": ["1", "8", "0", "-2", "x", "4 ", "1e3"],
    "ntasks-per-node": ["1", "0", "x"],
    "ntasks-per-core": ["1", "0", "x"],
    "ntasks-per-socket": ["1", "0"],
    "cores-per-socket": ["4", "0", "2-4", "*"],
    "sockets-per-node": ["2", "0", "2-4"],
    "threads-per-core": ["1", "0", "1-2"],
    "mincpus": ["4", "0", "x"],
    "core-spec": ["0", "1", "-1", "", "x"],
    "thread-spec": ["1", "0", "x"],
    "wait-all-nodes": ["0", "1", "2", "-1", "x", ""],
    "tres-per-task": ["cpu=4", "cpu=0", "gres/gpu=1", "gres/gpu:a100=1", "gres/shard=1", "mem=1",
                      "fsx=1", "license/x=1", "1", "", "cpux=1"],
    "requeue": ["expedite", "foo"],
    "nodes": ["1", "2", "0", "2-4", "2-1", "-3", "2-", "-", "1k", "1K-2K", "1m", "3000000m",
              "1,2,4", "1-15:4", "2x", "99999999999", "2147483648", "2147483647", "+2", "1-2-3",
              "0-0", "", " 2", "1-0", "0-1", "1,,", "0:40", ",1", "1-5:1", "5-5:1", "+1,2"],
    "gres": ["gpu", "gpu:0", "gpu:1", "gpu:4", "gpu:", "gpu:a100", "gpu:a100:2", "gpu:2:a100",
             "gpu:a100:2:3", "gpu:x:1x", "gpu:1.5", "gpu:-1", "gpu:a100:0", "gpu:0,gpu:a100:1",
             "gpu:1K", "gpu:1kib", "gpu:1Q", "gpu::1", "gpu:a:", ":1", "gpux:1", "gp:1", "gpu:1,",
             ",", "", "gpu:a100:1,gpu:v100:1", "gpu:99999", "gpu:1,gpu:a100:1", "none",
             "none,gpu:1", "NONE", "gpu(1)", "gpu:1g", "gpu:3m", "gpu/1", "gpu:01", "gpu:0x10",
             "GPU:1", "gres/gpu:1", "gpu=2", "gpu:a:1k", "gpu:a:1kib", "gpu:a:1gb", "gpu:a:1.5",
             "gpu:a:-1", "gpu:a:01", "gpu:a:1Q", "gpu:a:1ki", "gpu:a:+1", "gpu:1:1", "gpu:a:b",
             "gpu,gpu:a100", "gpu:a100,gpu:a100", "gpu:a:1:", "gpu:1:", "help", "list", "foo:1",
             "gpu:a:1p", "gpu:a:1pb", "gpu:A100:1", "gpu:a100:1,,gpu:a100:2", "gpus:1", "gpu:1,tmpfs:10G", "gpu:h100:1:2", "5,foo:1", "cpu:4", "mps:1", "shard:1", "gpu::1,gpu:1", "gpu:1,gpu::1", "gpu::a", "0,foo:1", ":0,foo:1"],
    "gpus": ["1", "2", "0", "a100:2", "gpu:2", "a100", "a100:2,v100:1", "2,a100:1", "", "x:y:1",
             "1.5", "1k", "-1", "a:", ":1", "2,", "a:0", "a:1x", "1,1", "::1", "a::1", "1,:1"],
    "gpus-per-node": ["1", "4", "a100:1", "0", "a:", "x:y:1"],
    "gpus-per-task": ["1", "0", "a100:1", "x:y:1", "1.5", "1k", "a100:1,v100:1", "a100=1", "-1", "a:", ":1", "gpu:1"],
    "gpus-per-socket": ["1", "0"],
    "cpus-per-gpu": ["2", "0", "x"],
    "mem-per-gpu": ["8G", "0", "x", "8.5G"],
    "ntasks-per-gpu": ["1", "0", "x"],
    "ntasks-per-tres": ["1", "0"],
    "array": ["0-9", "1-100%10", "0-2000", "x", "", "1,3,5", "0-", "5:2", "1-10:2", "[1-5]",
              "1-5%", "2-1", "0-1000", "1001", "0-$N"],
    "dependency": ["afterok:123", "afterok:abc", "", "0", "singleton", "after:1+5",
                   "afterok:1,afterany:2", "afterok:1?afterany:2", "afterok:1,afterany:2?after:3",
                   "foo:1", "123", "afterok:", "afterok:$JOB", "afterok:0", "aftercorr:12_*"],
    "mail-type": ["END", "end", "END,FAIL", "END,FAILED", "FAILED", "", "NONE,xx", ",END",
                  "ALL", "BEGIN,END,FAIL,REQUEUE,INVALID_DEPEND,STAGE_OUT", "TIME_LIMIT_90",
                  "TIME_LIMIT,TIME_LIMIT_80,TIME_LIMIT_50,ARRAY_TASKS", "all,none", "x,y"],
    "mail-user": ["ana@example.org", ""],
    "signal": ["USR1@300", "B:USR1@300", "SIGUSR1", "BUS", "10", "0", "99", "USR1@", "USR1@70000",
               "USR1@-1", "RB:USR1", "BR:USR1", "b:usr1", "BUSR1", "X:USR1", "@30", "", "USR1@30x",
               "R:USR1", "B:", "B", "sigusr1", "SIGRTMIN", "65", "64", "+5", "5x", "USR1@+5",
               "USR1@65535", "USR1@65536", "USR1@0", "BB:USR1", "B:R:USR1", "WINCH", "SYS",
               "HUP", "INT", "QUIT", "ABRT", "KILL", "ALRM", "TERM", "CHLD", "USR2", "PIPE", "URG",
               "CONT", "STOP", "TSTP", "TTIN", "TTOU", "XCPU", "SEGV", "RUSR2", "R", "999999",
               "B:10@60", "usr1@00060", "SIG"],
    "begin": ["now+1hour", "now+1h", "2030-01-01", "2030-1-1", "2030-01-01T10:00", "10:00",
              "25:00", "10:60", "10:00PM", "10:00pm", "13:00PM", "0101", "010130", "01/01",
              "01/01/30", "01.01.30", "13/01", "01/32", "today", "Tomorrow", "tomorrow", "midnight",
              "noon", "elevenses", "fika", "teatime", "now", "now+60", "now-60", "now+2days",
              "now+2weeks", "now+1minute", "now+1min", "uts1700000000", "uts999", "tomorrowT16:00",
              "tomorrow-16:00", "01/01-10:00", "2030-01-01T10:00:00", "", "1", "10", "1000",
              "10:00:61", "1:5", "10:5", "now+", "now+x", "noonx", "NOON", "Midnight", "NOW",
              "now+1HOUR", "UTS1700000000", "FIKA", "10:00AM", "12:00am", "now+1hours",
              "now+1hour5", "now+1secondsx", "2030-13-01", "2030-1-01", "2030-01-1", "1:00",
              "1:00:5", "123", "12345", "1234567", "01/01/2030", "1/1", "0/1", "02/30", "--now",
              "T", "-", "now-", "nowx", "todayx", "now+5days10", "uts1000000", "uts1000000x",
              "1999-01-01", "12/31/99", "00:00", "23:59:59", "24:00", "12:00pm", "00:00am",
              "now+3600seconds", "now+1week", "TEATIME", "todaynoon"],
    "deadline": ["now+1hour", "x", "2031-01-01", ""],
    "distribution": ["block", "cyclic:fcyclic", "block:block:block", "block:block:block:block",
                     "plane=4", "plane", "plane=x", "plane=0", "arbitrary", "hostfile", "*", "*:*",
                     "block,pack", "pack", "nopack", "BLOCK", "block:fcyclic", "fcyclic", "block,",
                     "block,foo", "block:", "cyclic:cyclic,nopack", "plane=4:block", "plane=4,pack",
                     "block:cyclic:fcyclic", "block:*:cyclic", "arbitrary:block", "hostfile:cyclic",
                     "foo", "block:foo", "pack,block", "block,pack,nopack", "", "plane=+4",
                     "plane=4x", "cyclic:block,NOPACK", "Plane=2"],
    "acctg-freq": ["30", "task=30", "task=30,energy=60", "foo=30", "task=x", "x", "", "task",
                   "network=1,filesystem=2", "-1", "task=-1", "Task=5", "tasks=5", "30,energy=5",
                   "30,,energy=5", "task=", "0", "energy=0", "ENERGY=1"],
    "cpu-freq": ["low", "2400000", "low-high", "low-high:performance", "performance", "perf", "foo",
                 "", "1000-2000", ":ondemand", "low:", "highm1", "Medium", "low:userspace",
                 "low:foo", "conservative", "schedutil", "PowerSave", "0", "-5", "1x", "high-low",
                 "low-", "1000-2000-3000", "userspace", "ondemand", "low-high:userspace",
                 "low-high:powersave", "performance-2000", "high-highm1", "2000-low", "med-hi",
                 "low-high:foo", "4294967296", "+5", "lowx", "low:ondemand", "1000:userspace", "2000", "schedutil", "low-high:schedutil", "performance-2000:ondemand"],
    "mem-bind": ["local", "verbose,local", "foo", "", "map_mem:0,1", "map_mem", "mask_mem:0x1",
                 "q,none", "v", "no", "prefer", "sort", "LOCAL", "rank,local", "map_mem:", "nosort",
                 "p", "quiet,rank", "mapmem:1", "maskmem:0x3", "help"],
    "gpu-bind": ["closest", "foo", "map_gpu:0,1", "verbose,closest", "", "single:2", "none",
                 "per_task:1", "mask_gpu:0x1", "single:", "single:x", "map_gpu:", "verbose,", "c", "n", "closestx", "nonex", "map:0,1", "mask:0x1", "map_gpu:0*2", "per_task:-1", "closest+gres/gpu:none", "verbose,none", "single:-1"],
    "gpu-freq": ["high", "foo", "memory=high", "1000,verbose", "", "medium,memory=low", "x=1",
                 "low", "highm1", "verbose", "memory=1000", "0", "high,verbose,memory=low"],
    "export": ["NONE", "ALL,A=1", "NIL", "", "ALL"],
    "switches": ["1", "1@10", "x", "0", "1@x", "", "@10", "2@1:00:00"],
    "power": ["level", "foo", ""],
    "get-user-env": ["10", "L", "x", "10S", "10X", "", "s", "10l", "S5"],
    "exclude": ["node[1-2]", "node[1-", "node1,node2"],
    "nodelist": ["node1", "node[1-2]", "node[", "node1,node2", "node[a]", "node[2-1]", "node[]", "node[1-3-4]", "node]", "a]b[", "node[1-2]x", "node[01-2]", "node[1-2][3-4]", "node[-1]", "node[1-]"],
    "extra-node-info": ["2", "2:4:1", "*:*:1", "1-2:4", "x", "2:x", "2:4:1:1", "0", "1k", "2:",
                        "2-1", "2::1", "2:4:x", "-1", "2-", "1-0", "1m", "*", "2:*"],
    "exclusive": ["user", "USER", "mcs", "topo", "exclusive", "oversubscribe", "allocation", "",
                  "x"],
    "no-kill": ["off", "NO", "set", "x", ""],
    "propagate": ["STACK", "stack,core", "foo", "", "ALL,NONE", "RLIMIT_STACK", "STACK,",
                  "all", "none", "NONE", "ALL", "Stack", "RLIMIT_stack", "STACK,,CORE", ",STACK",
                  "AS,CORE,CPU,DATA,FSIZE,MEMLOCK,NOFILE,NPROC,RSS,STACK", "STACK,ALL",
                  "rlimit_STACK"],
    "nice": ["10", "abc", "-5", "99999999999", "2147483645", "2147483646", "-2147483646", "",
             "10x", "-2147483645"],
    "priority": ["10", "TOP", "top", "abc", "-1", "4294967293", "4294967294", "", "5x"],
    "hint": ["compute_bound", "Multithread", "foo", "compute_bound,nomultithread", "",
             "memory_bound", "nomultithread", "help", "compute_bound,foo"],
    "gres-flags": ["enforce-binding", "disable-binding,enforce-binding", "foo",
                   "one-task-per-sharing", "allow-task-sharing", "", "ENFORCE-BINDING",
                   "enforce-binding,", "disable-binding", "enforce-binding,,disable-binding", ",", "multiple-tasks-per-sharing"],
    "licenses": ["foo", "foo:2,bar", "foo|bar", "foo,bar|baz", "foo:x", "foo@db:2", "", ":2"],
    "profile": ["all", "energy,task", "foo", "", "taskfoo", "NONE", "none,energy", "foo,task",
                "Lustre", "network"],
    "open-mode": ["append", "apple", "x", "", "T", "truncate"],
    "kill-on-invalid-dep": ["yes", "YES", "y", "", "1", "no"],
    "output": ["slurm-%j.out", "", "%q%j", "logs/%x-%A_%a.out", "none", "%%", "%5j", "a\\b"],
    "error": ["err-%j.txt", "%b"],
    "input": ["/dev/null", "/nonexistent"],
    "job-name": ["x", "", "a b"],
    "account": ["def-x", ""],
    "partition": ["main", "nope", ""],
    "qos": ["normal", ""],
    "reservation": ["r1", ""],
    "constraint": ["a&b", "a&&b", "[a|b]*2", ""],
    "chdir": ["/tmp", "", "relative"],
    "comment": ["hello", ""],
    "wckey": ["w"], "network": ["x"], "mcs-label": ["m"], "prefer": ["a"], "batch": ["a"],
    "cluster-constraint": ["a"], "bb": ["x"], "container": ["/tmp"], "context": ["x"],
    "wrap": ["hostname"],
}
FLAGS = ["contiguous", "hold", "ignore-pbs", "no-requeue", "overcommit", "oversubscribe",
         "parsable", "reboot", "requeue", "spread-job", "test-only", "use-min-nodes", "help",
         "usage", "verbose", "version", "quiet", "wait", "get-user-env", "exclusive", "no-kill",
         "propagate", "nice"]

# Option combinations that involve sbatch's cross-option checks.
COMBOS: list[list[str]] = [
    ["--mem=1G", "--mem-per-cpu=1G"], ["--mem-per-cpu=1G", "--mem=1G"],
    ["--mem-per-gpu=1G", "--mem-per-cpu=1G", "--gpus=1"], ["--mem=1G", "--mem-per-gpu=1G", "--gpus=1"],
    ["--mem=1G", "--mem=2G"], ["--mem=x", "--mem=1G"], ["--mem=1G", "--mem-per-cpu=x"],
    ["--exclusive", "-s"], ["--exclusive=user", "--oversubscribe"], ["--core-spec=1", "--thread-spec=1"],
    ["--bb=x", "--bbf=hosts"], ["--cpus-per-gpu=2", "--gpus=1", "-c", "2"], ["--cpus-per-gpu=2", "-c", "2"],
    ["--cpus-per-gpu=2"], ["--cpus-per-gpu=2", "--gpus=1"],
    ["--ntasks-per-gpu=2", "--gpus-per-task=1"], ["--ntasks-per-gpu=2", "--ntasks-per-node=1", "--gpus=1"],
    ["--ntasks-per-gpu=1", "--gpus-per-socket=1", "--sockets-per-node=1"],
    ["--ntasks-per-gpu=2", "--ntasks-per-tres=2", "--gpus=1"], ["--ntasks-per-gpu=2", "--ntasks-per-tres=3", "--gpus=1"],
    ["--ntasks-per-gpu=2"], ["--ntasks-per-gpu=2", "--gpus=1"], ["--ntasks-per-gpu=1", "-n", "2"],
    ["--ntasks-per-gpu=1", "-N", "2"], ["--ntasks-per-gpu=1", "--gres=gpu:1"], ["--ntasks-per-tres=1"],
    ["--begin=now+1hour", "--deadline=now"], ["--begin=now", "--deadline=now+1hour"],
    ["--begin=tomorrow", "--deadline=today"], ["--begin=2030-01-02", "--deadline=2030-01-01"],
    ["--ntasks-per-core=2", "--threads-per-core=1"], ["-m", "arbitrary", "-w", "node1"],
    ["-m", "arbitrary", "-N", "2", "-w", "node1"], ["-m", "hostfile", "--nodefile=hosts"],
    ["-m", "arbitrary", "-m", "block"], ["-m", "plane=4", "-n", "2"],
    ["--gpus-per-task=1"], ["--gpus-per-task=1", "-n", "2"], ["--gpus-per-task=1", "--gpus=2"],
    ["--gpus-per-task=1", "-N", "2"], ["--gpus-per-task=1", "-N", "1-2"], ["--gpus-per-task=1", "-N", "2-2"],
    ["--gpus-per-task=1", "--ntasks-per-node=2"], ["--gpus-per-task=1", "--gpus=0"],
    ["--gpus-per-socket=1"], ["--gpus-per-socket=1", "--sockets-per-node=2"],
    ["--gpus=3", "--gpus-per-node=2"], ["--gpus=4", "--gpus-per-node=2"], ["--gpus=3", "--gpus-per-task=2"],
    ["--gpus=4", "--gpus-per-task=2", "-n", "3"], ["--gpus=4", "--gpus-per-task=2", "-n", "2"],
    ["--gpus=1", "-N", "2"], ["--gpus=2", "-N", "2"], ["--gpus=2", "-N", "1-3"], ["--gpus=2", "-N", "3-4"],
    ["--gres=gpu:2", "--gpus-per-node=3"], ["--gres=gpu:2", "--gpus=3"], ["--gres=gpu:2", "--gpus=4"],
    ["--gres=gpu:2", "--gpus-per-task=3", "-n", "1"], ["--gpus=4", "--gpus-per-node=2", "--gpus-per-task=1", "-n", "4"],
    ["--gpus=a100:2", "--gpus-per-node=a100:1"], ["--gpus=a100:2", "--gpus-per-node=v100:1"],
    ["--gpus=a100:2,v100:2", "--gpus-per-node=2"], ["--gres=gpu:a100:1", "--gpus=1"],
    ["--gres=gpu:1", "--gpus=a100:1"], ["--gpus-per-socket=2", "--sockets-per-node=2", "--gpus=3"],
    ["--gpus-per-socket=2", "--sockets-per-node=2", "--gpus-per-node=3"], ["--gpus=0", "-N", "2"],
    ["--gpus=4", "--gpus-per-task=1", "-N", "2"], ["--gpus=4", "--gpus-per-task=1", "-N", "4"],
    ["--gpus=4", "--gpus-per-task=2", "--ntasks-per-node=2"],
    ["--gpus=4", "--gpus-per-task=2", "--ntasks-per-node=1", "-N", "2"],
    ["--gpus-per-node=2", "--gpus-per-task=1", "-N", "2"], ["--gpus-per-task=1", "-n", "2", "--gpus-per-node=1"],
    ["--gpus-per-socket=1", "--sockets-per-node=2", "--gpus-per-node=1"],
    ["--gpus-per-socket=3", "--sockets-per-node=2", "--gpus-per-node=2"],
    ["--gpus=1", "--gpus-per-socket=2", "--sockets-per-node=1"], ["--mem-per-gpu=0", "--gpus=1"],
    ["--gpus-per-task=2", "-n", "3", "--gpus=7"], ["--gpus=4", "--gpus-per-node=2", "-N", "1"],
    ["--gpus=4", "--gpus-per-node=2", "-N", "3"], ["--gpus=4", "--gpus-per-node=2", "-N", "2"],
    ["--gpus-per-node=2", "--gpus-per-task=1", "--ntasks-per-node=1", "-n", "2"],
    ["--gpus-per-node=2", "--gpus-per-task=1", "--ntasks-per-node=2"],
    ["--gpus-per-socket=2", "--gpus-per-task=1", "--sockets-per-node=1", "--ntasks-per-socket=1", "-n", "2"],
    ["--gpus-per-task=1", "-n", "1", "-N", "2"], ["--mem-per-gpu=1G"], ["--mem-per-gpu=1G", "--gres=gpu:1"],
    ["--mem-per-gpu=1G", "--gres=gpu:0"], ["--mem-per-gpu=1G", "--gpus=0"], ["--mem-per-gpu=0"],
    ["--mem-per-gpu=1G", "--gpus-per-task=1", "-n", "1"], ["--gres=gpu:1", "--gres=foo:1"],
    ["--gres=foo:1", "--gres=gpu:1"], ["--gres=gpu:", "--gres=gpu:1"], ["--gpus=x:y:1", "--gpus=1"],
    ["--hint=foo", "--hint=compute_bound"], ["--hint=foo", "--ntasks-per-core=1"],
    ["--hint=compute_bound", "--ntasks-per-core=1"], ["--hint=foo", "-B", "1"],
    ["--propagate=foo", "--propagate=STACK"], ["--nodefile=/nonexistent", "--nodefile=hosts"],
    ["--gpu-bind=closest"], ["--gpu-freq=high"], ["--mail-user=a@b.c"], ["--kill-on-invalid-dep=yes"],
    ["--time-min=10"], ["--use-min-nodes"], ["-w", "node1", "--nodefile=hosts"],
    ["--requeue", "--no-requeue"], ["-N", "2", "-n", "1"], ["--gres=gpu:1", "--clusters=x"],
    ["--hetjob-x"], ["-J", "x", "-J", "y"], ["--mail-type=END", "--mail-type=xx"],
    ["--hint=foo", "--sockets-per-node=2"], ["--hint=foo", "--cores-per-socket=2"],
    ["--gpus-per-task=1", "--ntasks-per-node=2", "-N", "2"], ["--gpus-per-task=1", "--ntasks-per-node=2", "-N", "1-2"],
    ["--gpus-per-task=1", "-w", "node1"], ["--gpus-per-task=1", "--hint=compute_bound", "-N", "1"],
    ["--tres-per-task=gres/gpu=1", "-n", "2"], ["--tres-per-task=gres/gpu=1", "-N", "1"],
    ["--tres-per-task=cpu=2", "-c", "2"], ["--tres-per-task=gres/gpu=1", "--gpus-per-task=1"],
    ["--resv-ports", "--stepmgr"], ["--gres-flags=one-task-per-sharing", "--tres-per-task=gres/gpu=1", "-n", "1"],
]

# Whole lines, to test the word splitting and getopt itself.
LINES: list[list[str]] = [
    ['#SBATCH -J "" -t 10'], ['#SBATCH -t 10 "" -J x'], ['#SBATCH -t "" 10'], ["#SBATCH -t '' 10"],
    ['#SBATCH --job-name="" -t 10'], ['#SBATCH -t 10 ""'], ['#SBATCH -t 10 "" x'], ['#SBATCH -J a""b'],
    ['#SBATCH -J ""a'], ['#SBATCH -J ""', "#SBATCH x"], ['#SBATCH -J ""', "#SBATCH --time=5"],
    ['#SBATCH -t 5 "" --bogus'], ["#SBATCH -J x\\ y"], ["#SBATCH -J x\\"], ['#SBATCH -J "x\\"'],
    ['#SBATCH -J "x\\" y"'], ["#SBATCH -J x\\#y -t 5"], ["#SBATCH -J x\\\\y"], ["#SBATCH -J x'#'y -t 5"],
    ['#SBATCH -J "a" "" --bogus'], ['#SBATCH -J a"" --bogus'], ['#SBATCH --time=5 """"'],
    ['#SBATCH -J """"a'], ["#SBATCH -J x#y -t 10"], ['#SBATCH -J "x#y" extra'], ["#SBATCH -J 'a b' extra"],
    ["#SBATCH --time=1:00:00 ##comment"], ["#SBATCH"], ["#SBATCH   "], ["#SBATCH--time=5"],
    ["#SBATCHX --time=5"], ["#SLURM --time=5"], ["#SLURM --time=x"], ["#SBATCH -- "], ["#SBATCH -- -t 5"],
    ["#SBATCH -t 5 --"], ["#SBATCH -"], ["#SBATCH -t 5 -"], ["#SBATCH \u2014time=5"], ["#SBATCH \u2013time=5"],
    ["#SBATCH --time=5 \u2011"], ["#SBATCH --time", "#SBATCH 10"], ["#SBATCH --time"], ["#SBATCH -t"],
    ["#SBATCH --exclusive user"], ["#SBATCH --exclusive=user"], ["#SBATCH --nice 5"], ["#SBATCH -k off"],
    ["#SBATCH -koff"], ["#SBATCH -k"], ["#SBATCH -kx"], ["#SBATCH -HO"], ["#SBATCH -Hx"], ["#SBATCH -N2"],
    ["#SBATCH -N 2 -n 8 --time=1:00:00"], ["#SBATCH -J hetjob -t 5"], ["#SBATCH hetjob"],
    ["#SBATCH -t 5", "#SBATCH hetjob", "#SBATCH -t 6"], ["#SBATCH -t 5", "#SBATCH packjob", "#SBATCH -t x"],
    ["#SBATCH -J HETJOB -t 5"], ['#SBATCH -J "hetjob" -t 5'], ["#SBATCH --output=hetjob_%j.out"],
    ["#SBATCH -m :block"], ["#SBATCH -J :x"], ["#SBATCH -J x:y"], ["#SBATCH foo --time=5"],
    ["#SBATCH --time=5 foo"], ["#SBATCH --bogus"], ["#SBATCH --bogus=1"], ["#SBATCH --bogus 1"],
    ["#SBATCH -z"], ["#SBATCH -l"], ["#SBATCH -X"], ["#SBATCH -time=10"], ["#SBATCH -partition=gpu"],
    ["#SBATCH -job-name=x"], ["#SBATCH -output=x"], ["#SBATCH -nodes=2"], ["#SBATCH -mem=4G"],
    ["#SBATCH --cpu-bind=cores"], ["#SBATCH --cpu-bind cores"], ["#SBATCH --mpi=pmix"], ["#SBATCH --pty"],
    ["#SBATCH --container-image=x"], ["#SBATCH --cpu_bind=cores"], ["#SBATCH --requeue=expedite"],
    ["#SBATCH --hold=1"], ["#SBATCH --time=5  # comment"], ["#SBATCH --job-name=run#3"],
    ["#SBATCH   #SBATCH --time=x"], ["   #SBATCH --time=x"], ["#sbatch --time=x"], ["# SBATCH --time=x"],
    ["##SBATCH --time=x"], ["echo hi", "#SBATCH --time=x"], ["#SBATCH --time=5", "set -e", "#SBATCH --bogus"],
    ["#SBATCH --tasks=4"], ["#SBATCH --tasks 4"], ["#SBATCH --job=x"], ["#SBATCH --time=10 \t -N\t2"],
    ["#SBATCH --time=\"10\""], ["#SBATCH --time='1:00:00'"], ['#SBATCH "--time=10"'], ["#SBATCH '-t' 10"],
    ["#SBATCH --gres=gpu:1 #--gres=gpu:2"], ["#SBATCH -t 10 -t x"], ["#SBATCH -wnode1"],
    ["#SBATCH -o"], ["#SBATCH -o -t"], ["#SBATCH --ntasks=1", "#SBATCH", "#SBATCH -c2"],
]

# A few #PBS scripts (sbatch translates them unless --ignore-pbs).
PBS: list[list[str]] = [
    ["#PBS -l walltime=1:00:00"], ["#PBS -l walltime=abc"], ["#PBS -N name"], ["#PBS -m bea"],
    ["#PBS -l nodes=1:ppn=4"], ["#PBS -l mem=4gb"], ["#PBS -l mem=4.5gb"], ["#PBS -q main"],
    ["#PBS -x"], ["#PBS junk"], ["#PBS -A acct", "#PBS -j oe"], ["#PBS -l walltime=x", "#SBATCH --ignore-pbs"],
    ["#SBATCH --time=10", "#PBS -l walltime=x"], ["#PBS -a 10:00"], ["#PBS -a xx"], ["#PBS -W depend=afterok:1"],
    ["#PBS -l nodes=2:gpus=1"], ["#PBS -l select=2"], ["#PBS -t 1-5"], ["#PBS -p 10"], ["#PBS -p abc"],
    # select chunks: `mem=` runs to the next comma, `ncpus=` to the next colon
    ["#PBS -l select=1:ncpus=4:mem=16gb"], ["#PBS -l select=1:ncpus=1:mem=80gb:ngpus=1"],
    ["#PBS -l select=1:ncpus=4,walltime=1:00:00"], ["#PBS -l select=2:ncpus=8:mpiprocs=2"],
    ["#PBS -l select=2:ncpus=8:mpiprocs=2,naccelerators=2"], ["#PBS -l xmem=abc"], ["#PBS -l Walltime=abc"],
    ["#PBS -l SELECT=abc"], ["#PBS -l naccelerators=0"], ["#PBS -l accelerator=true"], ["#PBS -l mem="],
    ["#PBS -l nodes=1:ppn=2:IB"], ["#PBS -l nodes=1:gpus=8", "#PBS -l feature=k80"], ["#PBS -l proc=a,walltime=x"],
    # getopt over every #PBS line: values on the next line, clusters, long options, stray words
    ["#PBS -d ."], ["#PBS -w ."], ["#PBS -P 1100"], ["#PBS -l"], ["#PBS -l", "#PBS walltime=1:00:00"],
    ["#PBS -Vl walltime=1:00:00"], ["#PBS --job_name=x"], ["#PBS --job=x"], ["#PBS --acc=x"], ["#PBS -j"],
    ["#PBS -l walltime=1:00:00 extra"], ["#PBS -l nodes=1:ppn=2   ;number of nodes"], ["#PBS -N a -- b"],
    ["#PBS -- -N a"], ["#PBS -m x"], ["#PBS -W umask=999"], ["#PBS -W umask=0022"], ["#PBS -N \"a b"],
    ["#PBS -N :x"], ["#PBS -o $PBS_JOBID/out.log"], ["#PBS -A pje-224-aa", "#PBS -r n", "#PBS -m bea"],
]


# Random values from each grammar's alphabet (seeded): the edges no table thought of.
FUZZ: dict[str, tuple[str, int]] = {
    "time": ("0123456789:-", 60), "mem": ("0129+kKmMgGtTbB.iP", 60), "ntasks": ("0129+- x", 30),
    "nodes": ("01249-kKmM,:+", 60), "gres": ("gpu:a0129,kmKb", 80), "gpus": ("a0129:,kbx", 50),
    "signal": ("BRSIGUSR12:@0965+", 80), "begin": ("0123456789:-/.TtnowAPMp+hours", 120),
    "distribution": ("blockcyclfan:*,=p0-4", 60), "cpu-freq": ("lowhigmd0129-:perfusn", 60),
    "extra-node-info": ("0129:-*km", 50), "acctg-freq": ("task=ey,019-", 40),
    "mem-bind": ("localrnkvq,map_m:0x1", 40), "propagate": ("STACKCORE,ALN_", 40),
    "mail-type": ("ENDBGIFALRQU_,", 40), "exclusive": ("usermcto", 20), "hint": ("compute_bnd,", 20),
    "gpu-freq": ("lowmedihg=r,01", 30), "gpu-bind": ("closetnmap_gpu:01,skx", 30),
    "nice": ("0129-+ab", 20), "priority": ("0129-TOPx", 20),
    "switches": ("019@:-x", 20), "profile": ("taskenrgylu,", 20), "open-mode": ("atxp", 10),
}


def _fuzz(rng: random.Random) -> list[list[str]]:
    out = []
    for name, (alphabet, count) in FUZZ.items():
        for _ in range(count * 2):
            value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
            out.append([f"#SBATCH --{name}={_quote(value)}"])
    return out


def _option_lines(name: str, value: str) -> list[list[str]]:
    spec = option_table().get(name)
    lines = [[f"#SBATCH --{name}={_quote(value)}"]]
    if spec is not None and spec.short and spec.arg == "required" and value and " " not in value:
        lines.append([f"#SBATCH -{spec.short} {_quote(value)}"])
    if spec is not None and spec.arg == "required" and value and value == value.strip():
        lines.append([f"#SBATCH --{name} {_quote(value)}"])
    return lines


def _quote(value: str) -> str:
    if value == "" or any(c in value for c in " \t#'\""):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def _prefixes() -> list[list[str]]:
    """Every prefix of every option name: getopt's abbreviation rules."""
    out = []
    for name, spec in option_table().items():
        for end in range(2, len(name) + 1):
            prefix = name[:end]
            value = "=1" if spec.arg != "none" else ""
            if name in ("bbf", "export-file", "nodefile"):
                value = "=hosts"  # an existing file: a missing one is not cclint's to see
            out.append([f"#SBATCH --{prefix}{value}"])
    return out


def generate(seed: int = 20260521) -> dict[str, str]:
    rng = random.Random(seed)
    bodies: list[list[str]] = []
    singles: list[list[str]] = []
    for name, values in VALUES.items():
        for value in values:
            singles.extend(_option_lines(name.strip(), value))
    for name in FLAGS:
        singles.append([f"#SBATCH --{name}"])
        singles.append([f"#SBATCH --{name}=1"])
    bodies += singles
    bodies += [["#SBATCH " + " ".join(c)] for c in COMBOS]
    bodies += [["#SBATCH " + w for w in c] for c in COMBOS[:40]]  # one option per line
    bodies += LINES + PBS + _prefixes() + _fuzz(rng)
    # Random mixes: two to four single-option lines, with a fixed seed.
    combos = [["#SBATCH " + " ".join(c)] for c in COMBOS]
    # Huge node counts make sbatch itself slow once GPUs are involved: not in the mixes.
    pool = [s for s in singles if not re.search(r"(--nodes|-N)[= ]\S*([0-9]{5}|[0-9][kKmM])", s[0])]
    for _ in range(900):
        picked = rng.sample(pool, rng.randint(2, 4))
        if rng.random() < 0.3:
            picked.append(rng.choice(combos))
        rng.shuffle(picked)
        bodies.append([line for lines in picked for line in lines])
    scripts = {}
    for i, body in enumerate(bodies):
        scripts[f"case{i:05d}.sh"] = "#!/bin/bash\n" + "\n".join(body) + "\necho done\n"
    return scripts
