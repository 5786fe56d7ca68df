"""Skipping every optional section still runs each solution notebook from top to bottom."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.syllabus import sections, without_optional

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_runs_without_its_optional_sections(path):
    if all(section.core for section in sections(path)):
        pytest.skip(f"{path.name} has no optional section")
    # through JSON text, so that nbformat joins the cells' source lines as when reading a file
    notebook = nbformat.reads(json.dumps(without_optional(path)), as_version=4)
    client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, when a later cell breaks
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            stderr = [o for o in cell.outputs if o.get("name") == "stderr"]
            assert not stderr, f"{path.name} without optional sections, cell {index}: {stderr}"
