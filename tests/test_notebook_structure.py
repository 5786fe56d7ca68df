"""Every solution notebook has the shape AUTHORING.md describes.

Timed sections with core/optional marks; an introduction that links the cheat sheet and credits
the talk; a catch-up cell after each core section with exercises; at least two challenges with
checks; the progress table as the last cell; instructor notes whose generated mistake lists are
current. Executing each notebook without its optional sections is in ``test_optional_sections``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import instructor
from helpers.checks.registry import exercises_of
from helpers.exercises import BEGIN
from helpers.syllabus import sections

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
WITH_EXERCISES = [p for p in SOLUTIONS if BEGIN in p.read_text(encoding="utf-8")]
CATCH_UP = re.compile(r"^catch_up\(globals\(\), (?P<names>.*)\)\s*$", re.MULTILINE)
DEF = re.compile(r"^def (\w+)\(", re.MULTILINE)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_section_is_timed(path):
    found = sections(path)  # raises, naming the heading, when a timing line is missing
    assert found, f"{path.name} has no '## ' sections"
    assert any(section.core for section in found)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_the_introduction_links_the_cheat_sheet_and_credits_the_talk(path):
    intro = _source(_cells(path)[0])
    assert "](../CHEATSHEET.md)" in intro, f"{path.name}: no link to ../CHEATSHEET.md"
    assert "](../CREDITS.md)" in intro and "Building universal understanding" in intro


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_a_catch_up_cell_after_each_core_section_with_exercises(path):
    cells = _cells(path)
    challenges = {e.name for e in exercises_of(path) if e.challenge}
    for section in sections(path):
        in_section = [cells[i] for i in section.cells]
        defined = {name for cell in in_section if cell["cell_type"] == "code"
                   and BEGIN in _source(cell) for name in DEF.findall(_source(cell))}
        defined -= challenges
        if not section.core or not defined:
            continue
        catch_ups = [cell for cell in in_section if "catch-up" in cell["metadata"].get("tags", [])]
        assert catch_ups, f"{path.name}, '{section.title}': no cell tagged catch-up"
        cell = catch_ups[-1]
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True
        call = CATCH_UP.search(_source(cell))
        assert call, f"{path.name}, '{section.title}': the catch-up cell calls no catch_up(...)"
        names = set(re.findall(r'"(\w+)"', call["names"]))
        assert defined <= names, f"{path.name}, '{section.title}': not caught up: " \
                                 f"{sorted(defined - names)}"
        last_exercise = max(i for i in section.cells if BEGIN in _source(cells[i]))
        assert cells.index(cell) > last_exercise


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_two_or_three_checked_challenges(path):
    challenges = [e.name for e in exercises_of(path) if e.challenge]
    assert 2 <= len(challenges) <= 3, f"{path.name}: challenges {challenges}"
    text = path.read_text(encoding="utf-8")
    for name in challenges:
        assert f"check_{name}({name})" in text, f"{path.name}: no check cell for {name}"
    optional = [s for s in sections(path) if not s.core]
    assert any("Challenges" in s.title for s in optional), f"{path.name}: no optional Challenges"


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_the_last_cell_shows_the_progress(path):
    code = [cell for cell in _cells(path) if cell["cell_type"] == "code"]
    assert _source(code[-1]).strip() == f'show_progress(globals(), "{path.stem}")'


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_instructor_notes_exist(path):
    notes = ROOT / "instructor" / f"{path.stem}.md"
    assert notes.exists(), f"no {notes.relative_to(ROOT)}"
    text = notes.read_text(encoding="utf-8")
    assert instructor.BEGIN in text and instructor.END in text


def test_instructor_mistake_lists_are_current(capsys):
    assert instructor.main(["--check"]) == 0, capsys.readouterr().err
