"""Building a Binary Extension (Henry Schreiner): runnable companions to the page.

The compiled package itself is the sub-project ``compiled_kernels/`` (its own ``pyproject.toml``,
``CMakeLists.txt`` and ``src/``), installed into the environment from source by ``uv sync``.
"""
