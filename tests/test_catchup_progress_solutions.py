"""Catch-up cells, the progress table and show_solution, on a notebook's real exercises."""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers.catchup import bind_or_keep, catch_up
from helpers.checks import check_mse_loss
from helpers.progress import exercise_statuses, show_progress
from helpers.reference import linear_regression as ref
from helpers.solutions import SolutionNotFound, show_solution, solution_source


def _stub(*args):
    raise NotImplementedError("Replace this line with your code.")


def predict(X, w):
    return X @ w


def test_catch_up_keeps_passing_functions_and_replaces_the_others(capsys):
    namespace = {"predict": predict, "add_bias": _stub, "mse_loss": lambda X, y, w: 0.0}
    chosen = bind_or_keep(namespace, "add_bias", "predict", "mse_loss", "mse_gradient")
    out = capsys.readouterr().out
    assert chosen == {"add_bias": "reference", "predict": "yours", "mse_loss": "reference",
                      "mse_gradient": "reference"}
    assert namespace["predict"] is predict
    assert namespace["add_bias"] is ref.add_bias and namespace["mse_gradient"] is ref.mse_gradient
    assert "✅ predict: yours passes its check, kept." in out
    assert "↪ add_bias: yours is not implemented yet" in out
    assert "↪ mse_loss: yours fails its check (case 1 (hand-made" in out
    assert "↪ mse_gradient: yours is not defined yet" in out
    # a later check on the reference says so instead of passing silently
    result = check_mse_loss(namespace["mse_loss"])
    assert not result and result.status == "reference"
    with pytest.raises(ValueError, match="no exercise named 'nope'"):
        catch_up(namespace, "nope")
    assert catch_up(namespace, "predict") is None  # a notebook cell shows only the printed lines


def test_progress_lists_every_exercise_of_the_notebook(capsys):
    namespace = {"predict": predict, "add_bias": ref.add_bias, "mse_loss": _stub,
                 "mse_gradient": lambda X, y, w: X.T @ (X @ w - y)}
    statuses = {s.name: s for s in exercise_statuses(namespace, "01_linear_regression")}
    assert statuses["predict"].status == "passed"
    assert statuses["add_bias"].status == "reference"
    assert statuses["mse_loss"].status == "not started"
    assert statuses["normal_equation"].status == "not started"
    assert statuses["mse_gradient"].status == "failing"
    assert "case 1" in statuses["mse_gradient"].cause
    assert show_progress(namespace, "solutions/01_linear_regression.ipynb") is None
    out = capsys.readouterr().out
    assert out.startswith("01_linear_regression, exercises: 1 of ")
    assert "✅ predict" in out and "❌ mse_gradient" in out and "⏳ mse_loss" in out


def test_show_solution_prints_the_function_without_markers(capsys):
    show_solution("mse_loss")
    out = capsys.readouterr().out
    assert "from solutions/01_linear_regression.ipynb" in out
    assert "def mse_loss(X, y, w):" in out and "### BEGIN SOLUTION" not in out
    namespace = {"np": np}
    exec(out.split("\n", 2)[2], namespace)  # noqa: S102 - the printed code runs as pasted
    assert check_mse_loss(namespace["mse_loss"])
    show_solution("no_such_exercise")
    assert "defines `no_such_exercise`" in capsys.readouterr().out


def test_solution_source_names_broken_notebooks(tmp_path, monkeypatch):
    (tmp_path / "bad.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(SolutionNotFound, match="bad.ipynb is not a readable notebook"):
        solution_source("x", tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SolutionNotFound, match="no solution notebooks"):
        solution_source("x", empty)
    (empty / "a.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ["def x(a):\n", "    ### BEGIN SOLUTION\n",
                                         "    return a\n", "    ### END SOLUTION\n"]}]}))
    monkeypatch.setenv("WORKSHOP_SOLUTIONS", str(empty))
    assert solution_source("x") == ("def x(a):\n    return a", "a.ipynb")
