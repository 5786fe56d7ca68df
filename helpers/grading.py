"""Run an attendee's notebook headless and report each exercise: passed, failing or not started.

The notebook is read, never written: it runs from a copy in memory, in a kernel started in the
notebook's own folder, with errors allowed (an attendee's notebook stops nowhere), a time limit
per cell (an attendee's ``while True`` is interrupted and the next cell runs) and one for the whole
notebook (a kernel that hangs is killed). A last cell, added to the copy, checks every exercise on
the functions the notebook defined, as the progress cell does. Used by ``python -m
helpers.progress``; each notebook runs in its own process so that nothing in it can take the
grader down.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from helpers.exercises import SOLUTIONS

MARKER = "@@workshop-progress@@"
CELL_TIMEOUT = 30  # seconds per cell: far above any solution cell
NOTEBOOK_TIMEOUT = 180  # seconds per notebook, kernel start included


@dataclass
class NotebookGrade:
    """One notebook's result: ``statuses`` (name, challenge, status, cause per exercise), or an
    ``error`` saying in one line why it could not be graded."""

    path: str
    notebook: str = ""
    statuses: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    @property
    def passed(self) -> int:
        return sum(s["status"] == "passed" for s in self.statuses if not s["challenge"])

    @property
    def total(self) -> int:
        return sum(not s["challenge"] for s in self.statuses)


def workshop_notebook(path: Path) -> str | None:
    """The workshop notebook ``path`` is a copy of, found by its number (``01_...``), or None."""
    number = re.match(r"^(\d\d)_", path.name)
    if number is None:
        return None
    matches = sorted(SOLUTIONS.glob(f"{number[1]}_*.ipynb"))
    return matches[0].stem if matches else None


def grade(path: Path, cell_timeout: int = CELL_TIMEOUT,
          notebook_timeout: int = NOTEBOOK_TIMEOUT) -> NotebookGrade:
    """Grade one notebook in a separate process; never raises because of the notebook."""
    result = NotebookGrade(str(path))
    stem = workshop_notebook(path)
    if stem is None:
        result.error = "not a workshop notebook (its name does not start with a number like 01_)"
        return result
    result.notebook = stem
    try:
        done = subprocess.run(
            [sys.executable, "-m", "helpers.grading", str(path), stem, str(cell_timeout)],
            capture_output=True, text=True, timeout=notebook_timeout,
        )
    except subprocess.TimeoutExpired:
        result.error = f"did not finish within {notebook_timeout} s"
        return result
    for line in done.stdout.splitlines():
        if line.startswith(MARKER):
            payload = json.loads(line[len(MARKER):])
            result.statuses, result.error = payload["statuses"], payload["error"]
            return result
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    result.error = f"the grader stopped: {last}"
    return result


def _run_in_this_process(path: Path, stem: str, cell_timeout: int) -> dict[str, Any]:
    """Execute the notebook's copy and return ``{"statuses": [...], "error": ""}``."""
    import nbformat
    from nbclient import NotebookClient

    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # corrupt JSON, not a notebook, unreadable file
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return {"statuses": [], "error": f"not a readable notebook ({message[:200]})"}
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import json as _json\n"
        "from dataclasses import asdict as _asdict\n"
        "from helpers.progress import exercise_statuses as _statuses\n"
        f"print({MARKER!r} + _json.dumps([_asdict(s) for s in _statuses(globals(), {stem!r})]))"
    ))
    client = NotebookClient(notebook, timeout=cell_timeout, interrupt_on_timeout=True,
                            allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except Exception as error:  # a dead kernel, a timeout the interrupt could not end
        return {"statuses": [], "error": f"the notebook could not run ({type(error).__name__})"}
    for output in notebook.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if MARKER in text:
            line = text[text.index(MARKER):].splitlines()[0]
            return {"statuses": json.loads(line[len(MARKER):]), "error": ""}
    return {"statuses": [], "error": "the progress cell printed nothing (the kernel died?)"}


def main(argv: list[str]) -> int:
    """``python -m helpers.grading PATH NOTEBOOK CELL_TIMEOUT``: one notebook, for :func:`grade`."""
    path, stem, cell_timeout = Path(argv[0]), argv[1], int(argv[2])
    print(MARKER + json.dumps(_run_in_this_process(path, stem, cell_timeout)))
    return 0


def as_dict(grade_: NotebookGrade) -> dict[str, Any]:
    """A JSON-ready dict of a grade."""
    return {**asdict(grade_), "passed": grade_.passed, "total": grade_.total}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
