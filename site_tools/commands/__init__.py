"""Scripts a contributor runs: ``uv run python -m site_tools.commands.<name> --help``."""
