"""The site's own tooling: page rules, doctest set-up and MkDocs hooks.

Nothing here is published.
"""
