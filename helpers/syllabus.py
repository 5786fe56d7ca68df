"""The timed sections of a notebook: teaching and exercise minutes, core or optional.

Every ``## `` heading of a notebook is followed, in the same markdown cell, by a timing line in
the style of a Carpentries episode::

    ## 4. Measuring the error
    > ⏱ **core** · teaching 10 min · exercises 15 min

or ``> ⏱ **optional** · teaching 5 min · exercises 10 min · <why it can be skipped>``. A section
runs from its heading to the next ``## `` heading. An optional section can be removed whole and
the notebook still runs: :func:`without_optional` does that for the tests, and the README's
planning table sums the core minutes from here.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TIMING = re.compile(
    r"^> ⏱ \*\*(?P<kind>core|optional)\*\* · teaching (?P<teaching>\d+) min · "
    r"exercises (?P<exercises>\d+) min(?: · (?P<note>.+))?$",
    re.MULTILINE,
)
HEADING = re.compile(r"^## (?P<title>.+)$", re.MULTILINE)


class SyllabusError(ValueError):
    """A section heading without a well-formed timing line (the message names both)."""


@dataclass(frozen=True)
class Section:
    """One ``## `` section of a notebook.

    Attributes
    ----------
    title : str
        The heading's text, e.g. ``"4. Measuring the error"``.
    core : bool
        False for an optional section.
    teaching, exercises : int
        Minutes of teaching and of exercises.
    cells : range
        Indices of the notebook's cells in this section (heading cell first).
    note : str
        What the timing line adds after the minutes (e.g. why an optional part can be skipped).
    """

    title: str
    core: bool
    teaching: int
    exercises: int
    cells: range
    note: str = ""

    @property
    def minutes(self) -> int:
        """Teaching plus exercise minutes."""
        return self.teaching + self.exercises


def load(notebook: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A notebook as a dict, from a path or a dict."""
    if isinstance(notebook, dict):
        return notebook
    return json.loads(Path(notebook).read_text(encoding="utf-8"))


def sections(notebook: str | Path | dict[str, Any]) -> list[Section]:
    """The timed sections of ``notebook``, in order; raises SyllabusError for a heading without
    its timing line."""
    cells = load(notebook)["cells"]
    starts = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for heading in HEADING.finditer(text):
            rest = text[heading.end():].lstrip("\n")
            timing = TIMING.match(rest.split("\n", 1)[0])
            if timing is None:
                raise SyllabusError(
                    f"cell {index}: the heading '## {heading['title']}' is not followed by a "
                    f"timing line like '> ⏱ **core** · teaching 10 min · exercises 15 min'")
            starts.append((index, heading["title"].strip(), timing))
    result = []
    for number, (index, title, timing) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(cells)
        if number + 1 < len(starts) and starts[number + 1][0] == index:
            raise SyllabusError(f"cell {index}: two '## ' headings in one cell; give each its "
                                f"own cell")
        result.append(Section(title, timing["kind"] == "core", int(timing["teaching"]),
                              int(timing["exercises"]), range(index, end),
                              timing["note"] or ""))
    return result


def core_minutes(notebook: str | Path | dict[str, Any]) -> int:
    """Teaching plus exercise minutes of the core sections."""
    return sum(section.minutes for section in sections(notebook) if section.core)


def total_minutes(notebook: str | Path | dict[str, Any]) -> int:
    """Teaching plus exercise minutes of every section."""
    return sum(section.minutes for section in sections(notebook))


def without_optional(notebook: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A copy of ``notebook`` with every optional section's cells removed."""
    original = load(notebook)
    dropped = {i for section in sections(original) if not section.core for i in section.cells}
    result = copy.deepcopy(original)
    result["cells"] = [cell for i, cell in enumerate(original["cells"]) if i not in dropped]
    return result


def planning_table(folder: Path | None = None) -> str:
    """The README's planning table: core, optional and total minutes of every notebook.

    ``python -m helpers.syllabus`` prints it; a test checks that the README holds exactly this.
    """
    from helpers.exercises import SOLUTIONS

    rows = ["| notebook | core | optional | in all |", "| --- | --- | --- | --- |"]
    total_core = total_all = 0
    for path in sorted((folder or SOLUTIONS).glob("*.ipynb")):
        core, whole = core_minutes(path), total_minutes(path)
        total_core, total_all = total_core + core, total_all + whole
        rows.append(f"| `{path.name}` | {core} min | {whole - core} min | {whole} min |")
    rows.append(f"| **all notebooks** | **{total_core} min** | **{total_all - total_core} min** "
                f"| **{total_all} min** |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(planning_table())
