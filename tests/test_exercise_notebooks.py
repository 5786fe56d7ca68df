"""Execute every exercise notebook as an attendee who has written nothing yet would.

Cells after an unfinished exercise may fail (as they would for the attendee), so errors are
allowed; but every check cell must run without raising and report "not implemented yet", and the
notebook's first error must be the ``NotImplementedError`` of a stub. The rest of each notebook's
code is the solution's, which nbval already runs on ``solutions/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.exercises import STUB

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHECK_CALL = re.compile(r"^\s*(?:\w+\s*=\s*)?check_(\w+)\(", re.MULTILINE)
STUB_DEF = re.compile(r"^def (\w+)\(", re.MULTILINE)
STUB_MESSAGE = re.search(r'"(.*)"', STUB).group(1)


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _errors(cell) -> list:
    return [o for o in cell.outputs if o.output_type == "error"]


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.stem)
def executed(request):
    """The notebook, executed in its own folder with errors allowed."""
    path = request.param
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=180,  # per cell: far above any cell's run time, far below CI's budget
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return path, notebook


def test_first_error_is_a_stub(executed):
    path, notebook = executed
    errors = [
        (index, error)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for error in _errors(cell)
    ]
    stubs = [c for c in notebook.cells if c.cell_type == "code" and STUB in c.source]
    if not stubs:  # a notebook without exercises (00_setup) must run cleanly
        assert not errors, f"{path.name}: cell {errors[0][0]} raised {errors[0][1].ename}"
        return
    assert errors, f"{path.name} has stubs but nothing raised NotImplementedError"
    index, first = errors[0]
    assert first.ename == "NotImplementedError" and first.evalue == STUB_MESSAGE, (
        f"{path.name}: the first error (cell {index}) is {first.ename}: {first.evalue}, "
        f"not the NotImplementedError of a stub"
    )


def test_check_cells_report_not_implemented(executed):
    path, notebook = executed
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        names = CHECK_CALL.findall(cell.source)
        if not names:
            continue
        assert not _errors(cell), (
            f"{path.name}, cell {index}: a check cell raised {_errors(cell)[0].ename}"
        )
        if any(name != "gradient" for name in names):
            assert "not implemented yet" in _text(cell), (
                f"{path.name}, cell {index}: expected 'not implemented yet', got {_text(cell)!r}"
            )


def test_every_exercise_has_a_check_cell(executed):
    path, notebook = executed
    exercises = {
        name
        for cell in notebook.cells
        if cell.cell_type == "code" and STUB in cell.source
        for name in STUB_DEF.findall(cell.source)
    }
    checked = {
        name
        for cell in notebook.cells
        if cell.cell_type == "code"
        for name in CHECK_CALL.findall(cell.source)
    }
    assert exercises <= checked, f"{path.name}: no check cell for {sorted(exercises - checked)}"
