"""Every rule cclint ships, one module per rule (each defines `RULE`).

The list is explicit, like yamllint's: fast to import, obvious to read, easy to grep.
"""

RULE_MODULES = [
    "script.parse_incomplete",
    "script.unused_suppression",
    "script.invalid_suppression",
    "script.missing_shebang",
    "script.crlf_line_endings",
    "header.directive_after_command",
    "header.malformed_directive",
    "header.variable_in_directive",
    "resources.multi_gpu_request",
    "resources.missing_time",
    "storage.untarred_dataset",
    "storage.output_dir_missing",
    "storage.missing_copy_back",
    "storage.copy_back_not_trapped",
    "environment.conda_use",
    "environment.pip_without_no_index",
    "environment.network_in_job",
    "execution.salloc_in_script",
    "execution.sbatch_in_script",
    "execution.background_without_wait",
    "policy.min_commands",
    "policy.required_account",
    "policy.max_gpus",
]
