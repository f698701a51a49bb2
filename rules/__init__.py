"""Every rule cclint ships, one module per rule (each defines `RULE`).

The list is explicit, like yamllint's: fast to import, obvious to read, easy to grep.
"""

RULE_MODULES = [
    "script.parse_incomplete",
    "script.missing_shebang",
    "script.crlf_line_endings",
    "header.directive_after_command",
    "header.malformed_directive",
    "header.unknown_option",
    "header.invalid_option_value",
    "header.variable_in_directive",
    "header.conflicting_options",
    "header.duplicate_option",
    "header.placeholder_value",
    "header.pbs_directive",
    "header.ignored_option",
    "header.misleading_value",
    "resources.multi_gpu_request",
    "resources.missing_time",
    "resources.missing_account",
    "resources.long_job_without_checkpoint",
    "resources.array_output_collision",
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
]
