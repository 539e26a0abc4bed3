"""Decision-boundary grid of the largest networks the Playground allows: `python -m
benchmarks.playground_grid [--repeats N] [--json]`.

The Playground caps a network's size by the work of one point's forward pass
(`core.playground.budget.MAX_NETWORK_COST`). This measures, for networks right at that cap (the widest
single layer, two and three wide layers, eight layers, with 2 and with all 7 input features,
tanh and ReLU), the full 100 x 100 boundary grid exactly as the page computes it
(`PlaygroundSession.boundary(100)`: input features, forward pass, output head), on ONE BLAS
thread as in the app. Median of `--repeats` evaluations, milliseconds. Target (issue 4): < 2 ms
for the largest allowed net.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace

from core import playground as pg
from core.data import FEATURES
from core.runtime import limit_blas_threads

TARGET_MS = 2.0


def largest_shapes() -> list[tuple[tuple, tuple]]:
    """(features, hidden widths) at the size cap: each shape made as wide as the budget allows."""
    two, seven = ("x1", "x2"), FEATURES
    shapes = []
    for features in (two, seven):
        for depth in (1, 2, 3, 8):
            widest = pg.fit_network_budget(len(features), (pg.MAX_NEURONS,) * depth)
            shapes.append((features, widest))
    return shapes


def grid_ms(features, hidden, activation: str, repeats: int) -> float:
    config = replace(
        pg.DEFAULT, features=features, hidden=hidden, activations=(activation,) * len(hidden), n_samples=100
    )
    clean, problems = pg.validate(config)
    assert clean.hidden == hidden, problems  # really an allowed network
    session = pg.PlaygroundSession(clean, pg.make_data(clean))
    session.boundary(pg.GRID_SIZE)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        session.boundary(pg.GRID_SIZE)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def run(repeats: int) -> dict:
    limit_blas_threads(1)
    rows = []
    for features, hidden in largest_shapes():
        for activation in ("tanh", "relu"):
            rows.append(
                {
                    "features": len(features),
                    "hidden": list(hidden),
                    "activation": activation,
                    "cost": pg.network_cost(len(features), hidden),
                    "grid_ms": round(grid_ms(features, hidden, activation, repeats), 3),
                }
            )
    worst = max(rows, key=lambda r: r["grid_ms"])
    return {
        "max_network_cost": pg.MAX_NETWORK_COST,
        "rows": rows,
        "worst_grid_ms": worst["grid_ms"],
        "worst": worst,
        "target_ms": TARGET_MS,
        "met": worst["grid_ms"] < TARGET_MS,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args(argv)
    result = run(args.repeats)
    print(
        f"100x100 grid, largest allowed Playground nets (cost <= {result['max_network_cost']:,.0f}"
        f"), one BLAS thread, median of {args.repeats}:"
    )
    for r in result["rows"]:
        shape = "-".join(map(str, [r["features"], *r["hidden"], 1]))
        print(f"  {shape:<32} {r['activation']:<5} cost {r['cost']:>6,.0f}  {r['grid_ms']:6.2f} ms")
    print(
        f"worst: {result['worst_grid_ms']:.2f} ms (target < {TARGET_MS} ms: "
        f"{'met' if result['met'] else 'MISSED'})"
    )
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
