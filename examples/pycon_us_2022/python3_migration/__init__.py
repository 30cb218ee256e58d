"""How We Migrated 3.8 Million Lines of Python 2 (Benjamin Bariteau): the tools, runnable."""
