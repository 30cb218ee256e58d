"""``python -m compiled_kernels``: check that every implementation returns identical results.

cibuildwheel runs this against each freshly built wheel, in a clean environment.
"""

from __future__ import annotations

import sys

import numpy as np

from compiled_kernels import IMPLEMENTATIONS


def main() -> int:
    values = [0.1 * i for i in range(1, 1001)]
    array = np.array(values)
    results = {}
    for name, module in IMPLEMENTATIONS.items():
        a, b = module.Vec2(1.5, -2.0), module.Vec2(0.25, 4.0)
        results[name] = (
            module.add(2**40, -3),
            a.dot(b),
            module.escape_counts(-2.0, 0.5, -1.25, 1.25, 48, 32, 100).tolist(),
            module.sum_of_squares_list(values),
            module.sum_of_squares_array(array),
            module.data_address(array) == array.ctypes.data,
        )
    reference = results.pop("pure Python")
    disagree = [name for name, result in results.items() if result != reference]
    if disagree:
        print(f"differ from pure Python: {', '.join(disagree)}", file=sys.stderr)
        return 1
    print(f"pure Python, {', '.join(results)}: identical results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
