"""What ``mkdocs build`` runs: the hook module (``hooks.py``) and the page transforms it calls.

Nothing here may import ``site_tools.checks`` or ``site_tools.commands``: the docs dependency
group alone must be able to build the site.
"""
