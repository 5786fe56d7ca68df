"""Where an attendee stands: every exercise of a notebook as passing, failing or not started.

In a notebook, the last cell runs ``show_progress(globals(), "01_linear_regression")``: it checks
each exercise of that notebook quietly on the attendee's own functions and prints one line each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from helpers.catchup import CAUGHT_UP
from helpers.checks.registry import exercises_of
from helpers.feedback import FAIL, PASS, TODO

Standing = Literal["passed", "failing", "not started", "reference"]
SYMBOLS: dict[str, str] = {"passed": PASS, "failing": FAIL, "not started": TODO,
                           "reference": CAUGHT_UP}


@dataclass(frozen=True)
class ExerciseStatus:
    """One exercise's standing: ``name``, whether it is a ``challenge``, its ``status`` and, for
    a failing one, the ``cause`` (which case failed and how)."""

    name: str
    challenge: bool
    status: Standing
    cause: str = ""


def exercise_statuses(namespace: Mapping[str, Any], notebook: str | Path) -> list[ExerciseStatus]:
    """Check every exercise of ``notebook`` quietly on the functions in ``namespace``."""
    statuses = []
    for exercise in exercises_of(notebook):
        fn = namespace.get(exercise.name)
        if fn is None:
            statuses.append(ExerciseStatus(exercise.name, exercise.challenge, "not started"))
            continue
        verdict = exercise.evaluate(fn)
        status: Standing = {"passed": "passed", "not implemented": "not started",
                            "reference": "reference"}.get(verdict.status, "failing")
        statuses.append(ExerciseStatus(exercise.name, exercise.challenge, status,
                                       verdict.cause if status == "failing" else ""))
    return statuses


def progress_report(statuses: list[ExerciseStatus], notebook: str | Path) -> str:
    """The text ``show_progress`` prints."""
    lines = []
    for challenge, title in ((False, "exercises"), (True, "challenges")):
        group = [s for s in statuses if s.challenge == challenge]
        if not group:
            continue
        done = sum(s.status == "passed" for s in group)
        lines.append(f"{Path(notebook).stem}, {title}: {done} of {len(group)} pass.")
        width = max(len(s.name) for s in group)
        for s in group:
            text = {"passed": "passes its check", "failing": f"fails: {s.cause}",
                    "not started": "not started yet",
                    "reference": "the workshop's reference (from a catch-up cell)"}[s.status]
            lines.append(f"  {SYMBOLS[s.status]} {s.name.ljust(width)}  {text}")
    return "\n".join(lines)


def show_progress(namespace: Mapping[str, Any], notebook: str | Path) -> None:
    """Print where you stand in ``notebook`` (e.g. ``"01_linear_regression"``): one line per
    exercise, checked on your own functions (``globals()`` in a notebook). Returns nothing, so
    the cell shows only the table."""
    print(progress_report(exercise_statuses(namespace, notebook), notebook))


# --------------------------------------------------------------------------- the command line
USAGE = """Grade attendees' notebooks headless: every exercise as passed, failing or not started.

  python -m helpers.progress notebooks/                  # my notebooks: one table each
  python -m helpers.progress notebooks/01_linear_regression.ipynb
  python -m helpers.progress collected/                  # one folder per attendee: one row each
  python -m helpers.progress collected/ --json           # the same, as JSON

Each notebook runs from a copy in memory (the files are never modified), errors allowed, with a
time limit per cell and per notebook; a file that cannot be graded gets one line saying why.
"""


def _targets(paths: list[Path]) -> tuple[dict[str, list[Path]], list[str]]:
    """``{attendee: [notebooks]}`` ("" when the paths are not grouped by attendee), and lines
    for paths that do not exist."""
    groups: dict[str, list[Path]] = {}
    missing = []
    for path in paths:
        if path.is_file():
            groups.setdefault("", []).append(path)
        elif path.is_dir() and any(path.glob("*.ipynb")):
            groups.setdefault("", []).extend(sorted(path.glob("*.ipynb")))
        elif path.is_dir():
            for folder in sorted(p for p in path.iterdir() if p.is_dir()):
                notebooks = sorted(folder.glob("*.ipynb"))
                if notebooks:
                    groups[folder.name] = notebooks
        else:
            missing.append(f"{path}: no such file or folder")
    return groups, missing


def _notebook_table(grade: Any) -> str:
    if grade.error:
        return f"{grade.path}: {FAIL} {grade.error}"
    statuses = [ExerciseStatus(**s) for s in grade.statuses]
    return f"{grade.path}\n" + "\n".join(
        "  " + line for line in progress_report(statuses, grade.notebook).splitlines())


def _class_table(grades: dict[str, list[Any]]) -> str:
    notebooks = sorted({g.notebook for gs in grades.values() for g in gs if g.notebook})
    header = ["attendee", *notebooks]
    rows = []
    for attendee, theirs in grades.items():
        cells = {g.notebook: (f"{g.passed}/{g.total}" if not g.error else "error")
                 for g in theirs if g.notebook}
        rows.append([attendee, *(cells.get(n, "-") for n in notebooks)])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))
             for r in [header, *rows]]
    problems = [f"{attendee}/{Path(g.path).name}: {g.error}" for attendee, gs in grades.items()
                for g in gs if g.error]
    return "\n".join(lines + ([""] + problems if problems else []))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (0 once everything was graded)."""
    import argparse
    import json
    from concurrent.futures import ThreadPoolExecutor

    from helpers.grading import CELL_TIMEOUT, NOTEBOOK_TIMEOUT, as_dict, grade

    parser = argparse.ArgumentParser(prog="python -m helpers.progress", description=USAGE,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks or folders")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks graded at once (2)")
    parser.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT,
                        help=f"seconds per cell ({CELL_TIMEOUT})")
    parser.add_argument("--notebook-timeout", type=int, default=NOTEBOOK_TIMEOUT,
                        help=f"seconds per notebook ({NOTEBOOK_TIMEOUT})")
    args = parser.parse_args(argv)
    groups, missing = _targets(args.paths)
    jobs = [(attendee, path) for attendee, paths in groups.items() for path in paths]
    with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        results = list(pool.map(
            lambda job: grade(job[1], args.cell_timeout, args.notebook_timeout), jobs))
    grades: dict[str, list[Any]] = {}
    for (attendee, _), result in zip(jobs, results, strict=True):
        grades.setdefault(attendee, []).append(result)
    if args.json:
        graded = [{"attendee": attendee, **as_dict(g)} for attendee, gs in grades.items()
                  for g in gs]
        print(json.dumps({"graded": graded, "missing": missing}, indent=1))
    else:
        if "" in grades:
            print("\n\n".join(_notebook_table(g) for g in grades.pop("")))
        if grades:
            print(_class_table(grades))
        for line in missing:
            print(line)
    return 1 if missing else 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
