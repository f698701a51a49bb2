"""Configuration: `.cclint.yaml` / `[tool.cclint]` files, presets, CCLINT_* and the CLI.

    from cclint.config import Resolver
    settings = Resolver(cli={"fail-on": "error"}).settings_for("job.sh")

See `loader.py` for discovery and precedence, `schema.py` for the keys.
"""

from cclint.config.loader import ENV_KEYS, Effective, Resolver, discover, presets
from cclint.config.schema import KEYS, ConfigError

__all__ = ["ENV_KEYS", "KEYS", "ConfigError", "Effective", "Resolver", "discover", "presets"]
