"""Timed sections (helpers.syllabus) and generated instructor notes (helpers.instructor)."""

from __future__ import annotations

import json

import pytest

from helpers import instructor
from helpers.syllabus import SyllabusError, core_minutes, sections, total_minutes, without_optional


def _md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text):
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [],
            "execution_count": None}


NOTEBOOK = {"cells": [
    _md("# 01 · Title\n\nintro"),
    _code("import numpy as np"),
    _md("## 1. Core part\n> ⏱ **core** · teaching 10 min · exercises 15 min\n\ntext"),
    _code("x = 1"),
    _md("## 2. Extra\n> ⏱ **optional** · teaching 5 min · exercises 10 min · later cells do "
        "not need it"),
    _code("y = 2"),
    _md("## 3. Recap\n> ⏱ **core** · teaching 5 min · exercises 0 min"),
]}


def test_sections_and_minutes():
    found = sections(NOTEBOOK)
    assert [s.title for s in found] == ["1. Core part", "2. Extra", "3. Recap"]
    assert [s.core for s in found] == [True, False, True]
    assert found[0].cells == range(2, 4) and found[2].cells == range(6, 7)
    assert found[1].note == "later cells do not need it"
    assert core_minutes(NOTEBOOK) == 30 and total_minutes(NOTEBOOK) == 45


def test_without_optional_drops_whole_sections():
    kept = without_optional(NOTEBOOK)["cells"]
    assert [c["source"] for c in kept if c["cell_type"] == "code"] == ["import numpy as np",
                                                                       "x = 1"]
    assert len(NOTEBOOK["cells"]) == 7  # the original is unchanged


@pytest.mark.parametrize("line", ["", "> ⏱ core · teaching 10 min · exercises 5 min",
                                  "> ⏱ **core** · teaching ten min · exercises 5 min"])
def test_a_heading_without_a_timing_line_is_named(line):
    notebook = {"cells": [_md(f"## 1. Lonely\n{line}\n")]}
    with pytest.raises(SyllabusError, match="'## 1. Lonely' is not followed by a timing line"):
        sections(notebook)


def test_instructor_lists_are_generated_and_checked(tmp_path, capsys):
    notes = tmp_path / "01_linear_regression.md"
    notes.write_text(f"# Notes\n\nby hand\n\n{instructor.BEGIN}\nold\n{instructor.END}\n\nend\n")
    assert instructor.main(["--check", "--folder", str(tmp_path)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert instructor.main(["--folder", str(tmp_path)]) == 0
    text = notes.read_text()
    assert text.startswith("# Notes\n\nby hand\n") and text.endswith("\n\nend\n")
    assert "### `mse_gradient`" in text and "**flipped sign**" in text
    assert instructor.main(["--check", "--folder", str(tmp_path)]) == 0
    (tmp_path / "02_logistic_regression.md").write_text("no markers")
    assert instructor.main(["--check", "--folder", str(tmp_path)]) == 1
    assert "needs the marker lines" in capsys.readouterr().err


def test_planning_table_sums_the_sections(tmp_path):
    from helpers.syllabus import planning_table

    for name in ("01_a.ipynb", "02_b.ipynb"):
        (tmp_path / name).write_text(json.dumps(NOTEBOOK))
    table = planning_table(tmp_path).splitlines()
    assert table[2] == "| `01_a.ipynb` | 30 min | 15 min | 45 min |"
    assert table[-1] == "| **all notebooks** | **60 min** | **30 min** | **90 min** |"


def test_the_readme_planning_table_is_current():
    from pathlib import Path

    from helpers.syllabus import planning_table

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert planning_table() in readme, (
        "README's planning table is stale: paste the output of `python -m helpers.syllabus`")
