"""``python -m helpers.progress``: attendees' notebooks graded headless, never modified.

Unfinished, finished and broken notebooks (corrupt JSON, a name that is no workshop notebook, an
endless loop, a notebook that never finishes) each get their line, and the rest is still graded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from helpers import progress

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

ADD_BIAS = "import numpy as np\n\ndef add_bias(X):\n    return np.hstack([X, np.ones((len(X), 1))])"
PREDICT_WRONG = "def predict(X, w):\n    return X * w"


def _notebook(path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)
    return path


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(capsys, *args: str) -> tuple[int, str]:
    status = progress.main([*map(str, args), "--cell-timeout", "3", "--notebook-timeout", "60"])
    return status, capsys.readouterr().out


def test_one_attendee_folder_with_finished_unfinished_and_broken_notebooks(tmp_path, capsys):
    mine = tmp_path / "me"
    mine.mkdir()
    _notebook(mine / "01_linear_regression.ipynb", ADD_BIAS, PREDICT_WRONG,
              "while True:\n    pass")  # an endless cell: interrupted, the rest still graded
    (mine / "02_logistic_regression.ipynb").write_text("{not json", encoding="utf-8")
    shutil.copy(ROOT / "notebooks" / "03_neural_networks.ipynb", mine)
    before = _fingerprint(mine)
    status, out = _run(capsys, mine)
    assert status == 0
    assert "01_linear_regression, exercises: 1 of " in out
    assert "✅ add_bias" in out and "❌ predict" in out and "fails: case 1" in out
    assert "⏳ mse_loss" in out and "not started yet" in out
    assert "02_logistic_regression.ipynb: ❌ not a readable notebook" in out
    assert "03_neural_networks, exercises: 0 of " in out  # the exercise notebook as handed out
    assert _fingerprint(mine) == before, "a graded file was modified"


def test_a_class_gets_one_row_per_attendee_and_json(tmp_path, capsys):
    for attendee, sources in {"alice": (ADD_BIAS,), "bob": (PREDICT_WRONG,)}.items():
        (tmp_path / attendee).mkdir()
        _notebook(tmp_path / attendee / "01_linear_regression.ipynb", *sources)
    (tmp_path / "carol").mkdir()
    _notebook(tmp_path / "carol" / "notes.ipynb", "x = 1")
    status, out = _run(capsys, tmp_path)
    lines = out.splitlines()
    assert lines[0].split() == ["attendee", "01_linear_regression"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:4] if line.strip()}
    assert rows["alice"][0].startswith("1/") and rows["bob"][0].startswith("0/")
    assert "carol/notes.ipynb: not a workshop notebook" in out
    status, out = _run(capsys, tmp_path, "--json")
    graded = {(g["attendee"], Path(g["path"]).name): g for g in json.loads(out)["graded"]}
    alice = graded[("alice", "01_linear_regression.ipynb")]
    assert alice["passed"] == 1 and alice["total"] >= 7 and alice["error"] == ""
    assert {s["name"]: s["status"] for s in alice["statuses"]}["add_bias"] == "passed"
    assert graded[("carol", "notes.ipynb")]["error"].startswith("not a workshop notebook")


def test_a_notebook_that_never_finishes_is_stopped(tmp_path, capsys):
    path = _notebook(tmp_path / "01_linear_regression.ipynb", "import time\ntime.sleep(60)")
    status = progress.main([str(path), "--cell-timeout", "120", "--notebook-timeout", "8"])
    out = capsys.readouterr().out
    assert status == 0 and "did not finish within 8 s" in out


def test_missing_paths_are_named_and_fail_the_command(tmp_path, capsys):
    status, out = _run(capsys, tmp_path / "nope")
    assert status == 1 and "nope: no such file or folder" in out
