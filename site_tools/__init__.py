"""The site's own tooling, one folder per role (CONTRIBUTING.md, "The site's tools").

- ``paths``, ``registry`` and ``page_markdown``: where things are, which talks exist, how a page
  is read. Every other module uses them.
- ``site_build``: what ``mkdocs build`` runs (the hook module and its page transforms).
- ``checks``: what the test suite runs besides the tests themselves (page rules, Sybil set-up).
- ``commands``: scripts a contributor runs (``python -m site_tools.commands.<name>``).

Nothing here is published.
"""
