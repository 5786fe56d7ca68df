"""Show one exercise's solution, taken from ``solutions/`` (the single source of the notebooks).

For an attendee who fell behind: ``show_solution("mse_loss")`` prints the complete function, to
read or paste into the exercise cell, and the workshop goes on. The solution notebooks live in
the repository's ``solutions/`` folder, or where the environment variable
``WORKSHOP_SOLUTIONS`` points (a classroom server may keep them elsewhere).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from helpers.exercises import BEGIN, END, SOLUTIONS


class SolutionNotFound(LookupError):
    """No solution notebook defines the requested function."""


def solutions_folder() -> Path:
    """The folder of the solution notebooks."""
    return Path(os.environ.get("WORKSHOP_SOLUTIONS", SOLUTIONS))


def solution_source(name: str, folder: Path | None = None) -> tuple[str, str]:
    """The source of the code cell defining ``def name(`` and the notebook it comes from.

    The solution markers are removed; everything else in the cell (docstring, comments) stays.
    """
    folder = folder or solutions_folder()
    pattern = re.compile(rf"^def {re.escape(name)}\(", re.MULTILINE)
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise SolutionNotFound(f"no solution notebooks in {folder} (set WORKSHOP_SOLUTIONS to "
                               f"the folder that holds them)")
    for path in notebooks:
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError) as error:
            raise SolutionNotFound(f"{path} is not a readable notebook ({error})") from error
        for cell in cells:
            source = "".join(cell.get("source", ""))
            if cell.get("cell_type") == "code" and pattern.search(source):
                lines = [line for line in source.splitlines()
                         if line.strip() not in (BEGIN, END)]
                return "\n".join(lines), path.name
    raise SolutionNotFound(f"no solution notebook in {folder} defines `{name}`")


def show_solution(name: str) -> None:
    """Print the solution of exercise ``name`` (e.g. ``"mse_loss"``), ready to paste.

    After pasting it into the exercise cell, run that cell, then its check cell.
    """
    try:
        source, notebook = solution_source(name)
    except SolutionNotFound as error:
        print(f"show_solution: {error}")
        return
    print(f"# The solution of `{name}`, from solutions/{notebook}. Paste it into the exercise "
          f"cell, run it, then its check.\n")
    print(source)
