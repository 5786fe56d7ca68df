"""The benchmark script runs and reports what it promises (a smoke test, not a timing test)."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

import numpy as np
import pytest

import helpers.checks as checks
import helpers.data as data
from benchmarks.run import DATA_BUDGET_S, main


def test_checks_data_mlp_and_accuracy_parts(tmp_path: Path, capsys, monkeypatch):
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(name, "1")  # main() sets them; monkeypatch restores them afterwards
    out = tmp_path / "bench.json"
    assert main(["--parts", "checks,data,mlp,accuracy", "--repeats", "1", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"# Benchmarks on {os.cpu_count()} cores")
    assert "step / floor" in printed and "Time to accuracy" in printed
    assert "Data loaders (budget 500 ms each)" in printed
    results = json.loads(out.read_text())
    names = {row["check"] for row in results["checks"]}
    assert names == {name for name in dir(checks) if name.startswith("check_")}
    assert all(row["passed"] for row in results["checks"]), "a check rejects its own reference"
    assert [row["batch"] for row in results["mlp"]] == [32, 256, 1078]
    assert all(row["ratio"] > 0 for row in results["mlp"])
    assert all(row["reached"] for row in results["accuracy"])
    loaders = {name for name in data.__all__ if name.startswith("load_")} - {"load_csv"}
    assert {row["loader"] for row in results["data"]} == loaders
    for row in results["data"]:
        assert row["repeats"] == 3 and 0 < row["min"] <= row["median"] <= row["max"]
        assert row["budget"] == ("OVER" if row["median"] > DATA_BUDGET_S else "ok")
    assert results["machine"] == {**results["machine"], "cores": os.cpu_count(),
                                  "python": platform.python_version(), "numpy": np.__version__}


def test_unknown_part_is_an_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--parts", "nope"])
    assert exit_.value.code == 2
    assert "unknown parts: nope" in capsys.readouterr().err
