"""How fast the workshop runs, and how close its numpy MLP gets to the hardware.

Run from the repository root::

    python -m benchmarks                 # everything, 3 repeats each
    python -m benchmarks --parts checks,mlp --repeats 5
    python -m benchmarks --json benchmarks/results/latest.json

Parts: ``notebooks`` (solution notebooks executed headless, as the tests do), ``checks`` (latency
of every ``helpers.checks.check_*`` on the reference solution), ``data`` (time to load each data
set), ``mlp`` (the digits MLP's training step against its matrix-product floor), ``torch`` (the
same step in PyTorch on the CPU, skipped when torch is absent) and ``accuracy`` (wall time to
reach the notebooks' accuracy targets). Every figure is the median of ``--repeats`` runs, with
min and max.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_BUDGET_S = 30.0
CHECK_BUDGET_S = 0.2
DATA_BUDGET_S = 0.5  # per loader; the largest, digits, takes about 40 ms
PARTS = ("notebooks", "checks", "data", "mlp", "torch", "accuracy")


def summarize(samples: list[float]) -> dict[str, float]:
    """Median, min and max of timings in seconds."""
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "repeats": len(samples)}


def timed(fn: Callable[[], Any], repeats: int) -> dict[str, float]:
    """Run ``fn`` ``repeats`` times; summary of the wall times."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return summarize(samples)


def bench_notebooks(repeats: int) -> list[dict[str, Any]]:
    """Wall time of each solution notebook executed headless (nbclient, like the tests)."""
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        def run(path: Path = path) -> None:
            notebook = nbformat.read(path, as_version=4)
            NotebookClient(notebook, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()

        stats = timed(run, repeats)
        rows.append({"notebook": path.name, **stats,
                     "budget": "OVER" if stats["median"] > NOTEBOOK_BUDGET_S else "ok"})
    return rows


def bench_checks(repeats: int) -> list[dict[str, Any]]:
    """Latency of every check: on a correct function (every case runs) and on each catalogued
    mistake (the failing path, where the engine also tries the catalogue); the worst counts."""
    from helpers.checks.registry import all_checks

    rows = []
    for name, check in sorted(all_checks().items()):
        solution = _copy_of(check.exercise.reference)
        samples, failing = [], []
        with contextlib.redirect_stdout(io.StringIO()):
            for _ in range(max(repeats, 5)):
                start = time.perf_counter()
                result = check(solution)
                samples.append(time.perf_counter() - start)
            for mistake in check.exercise.mistakes:
                start = time.perf_counter()
                check(mistake.fn)
                failing.append(time.perf_counter() - start)
        stats = summarize(samples)
        worst_failing = max(failing, default=0.0)
        rows.append({"check": name, "passed": bool(result), **stats,
                     "failing_max": worst_failing,
                     "budget": "OVER" if max(stats["max"], worst_failing) > CHECK_BUDGET_S
                     else "ok"})
    return rows


def bench_data(repeats: int) -> list[dict[str, Any]]:
    """Time to load and validate each data set of ``helpers.data`` (a fresh read every time)."""
    import helpers.data as data

    rows = []
    for name in sorted(n for n in data.__all__ if n.startswith("load_") and n != "load_csv"):
        stats = timed(getattr(data, name), max(repeats, 3))
        rows.append({"loader": name, **stats,
                     "budget": "OVER" if stats["median"] > DATA_BUDGET_S else "ok"})
    return rows


def _copy_of(reference: Callable[..., Any]) -> Callable[..., Any]:
    """A correct function that is not the reference object itself (which a check reports as
    the workshop's own, bound by a catch-up cell)."""

    def solution(*args: Any, **kwargs: Any) -> Any:
        return reference(*args, **kwargs)

    return solution


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import numpy as np

    return {"cores": os.cpu_count(), "machine": platform.machine(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(), "numpy": np.__version__,
            "system": platform.system()}


def print_table(title: str, rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    """A plain-text table of ``rows`` with ``(key, header)`` columns."""
    print(f"\n## {title}\n")
    if not rows:
        print("(nothing measured)")
        return
    cells = [[_fmt(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (_, h) in enumerate(columns)]
    print("| " + " | ".join(h.ljust(w) for (_, h), w in zip(columns, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"comma-separated subset of {', '.join(PARTS)}")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="BLAS threads of numpy, intra-op threads of torch (default: cores)")
    parser.add_argument("--json", type=Path,
                        default=ROOT / "benchmarks" / "results" / "latest.json")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    # Fix the thread counts before numpy (and torch) are first imported: they read these once.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)
    from benchmarks import mlp

    results: dict[str, Any] = {"machine": machine(), "repeats": args.repeats,
                               "threads": args.threads}
    info = results["machine"]
    print(f"# Benchmarks on {info['cores']} cores ({info['processor']}), Python {info['python']}, "
          f"numpy {info['numpy']}, {args.threads} BLAS/torch threads; median of {args.repeats} "
          f"repeats (min, max)")
    if "notebooks" in parts:
        rows = bench_notebooks(args.repeats)
        results["notebooks"] = rows
        results["notebooks_total_s"] = sum(r["median"] for r in rows)
        print_table(f"Solution notebooks (budget {NOTEBOOK_BUDGET_S:.0f} s each; total "
                    f"{results['notebooks_total_s']:.1f} s)", rows,
                    [("notebook", "notebook"), ("median", "median s"), ("min", "min s"),
                     ("max", "max s"), ("budget", "budget")])
    if "checks" in parts:
        rows = bench_checks(args.repeats)
        results["checks"] = rows
        print_table(f"Checks on a correct function and on each catalogued mistake (budget "
                    f"{CHECK_BUDGET_S * 1000:.0f} ms each, worst case)",
                    [{**r, "median": r["median"] * 1e3, "max": r["max"] * 1e3,
                      "failing_max": r["failing_max"] * 1e3} for r in rows],
                    [("check", "check"), ("passed", "passed"), ("median", "median ms"),
                     ("max", "worst ms"), ("failing_max", "worst failing ms"),
                     ("budget", "budget")])
    if "data" in parts:
        rows = bench_data(args.repeats)
        results["data"] = rows
        print_table(f"Data loaders (budget {DATA_BUDGET_S * 1000:.0f} ms each)",
                    [{**r, "median": r["median"] * 1e3, "max": r["max"] * 1e3} for r in rows],
                    [("loader", "loader"), ("median", "median ms"), ("max", "worst ms"),
                     ("budget", "budget")])
    if "mlp" in parts:
        results["mlp"] = mlp.bench_step_vs_floor(args.repeats)
        mlp.print_step_table(results["mlp"], print_table)
        results["mlp_profile"] = mlp.profile_step(256, args.repeats)
        print_table("Where a step's time goes (batch 256, best of repeats, microseconds)",
                    results["mlp_profile"], [("part", "part"), ("us", "us"), ("share", "share")])
    if "torch" in parts:
        results["torch"] = mlp.bench_torch(args.repeats)
        mlp.print_torch_table(results["torch"], print_table)
    if "accuracy" in parts:
        results["accuracy"] = mlp.bench_time_to_accuracy(args.repeats)
        print_table("Time to accuracy", results["accuracy"],
                    [("model", "model"), ("target", "target"), ("reached", "reached"),
                     ("median", "median s"), ("min", "min s"), ("max", "max s")])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
