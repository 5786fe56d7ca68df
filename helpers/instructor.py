"""Keep the instructor notes' "usual mistakes" lists generated from the checks' catalogues.

Each ``instructor/NN_name.md`` holds, between the two marker lines below, a generated list of
every exercise of its notebook with the mistakes its check recognises (catalogued mistakes and
diagnoses, with the hint an attendee gets). The rest of the file is written by hand.

Usage::

    python -m helpers.instructor           # regenerate the lists in instructor/*.md
    python -m helpers.instructor --check   # change nothing; exit 1 naming each stale file
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from helpers.checks.registry import exercises_of
from helpers.exercises import ROOT

INSTRUCTOR = ROOT / "instructor"
BEGIN = "<!-- BEGIN GENERATED: usual mistakes (python -m helpers.instructor) -->"
END = "<!-- END GENERATED: usual mistakes -->"


def mistakes_markdown(notebook: str) -> str:
    """The generated list for one notebook (e.g. ``"01_linear_regression"``)."""
    lines = []
    for exercise in exercises_of(notebook):
        kind = " (challenge)" if exercise.challenge else ""
        lines.append(f"### `{exercise.name}`{kind}\n")
        entries = [(m.name, m.hint) for m in exercise.mistakes]
        entries += [(d.name, d.hint) for d in exercise.diagnoses]
        if not entries:
            lines.append("- (no catalogued mistakes: the check's general hints apply)\n")
        for name, hint in entries:
            lines.append(f"- **{name}**: {hint}")
        if exercise.uses:
            lines.append(f"- *calls earlier exercises* ({', '.join(exercise.uses)}): when one "
                         f"of those fails its own check, this check says so first.")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def regenerate(text: str, notebook: str, where: str) -> str:
    """``text`` with its generated block replaced; raises ValueError naming ``where`` if the
    markers are missing."""
    if BEGIN not in text or END not in text or text.index(BEGIN) > text.index(END):
        raise ValueError(f"{where}: needs the marker lines\n{BEGIN}\n{END}")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{mistakes_markdown(notebook)}{END}{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m helpers.instructor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a generated list is stale")
    parser.add_argument("--folder", type=Path, default=INSTRUCTOR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    problems = []
    for path in sorted(args.folder.glob("[0-9][0-9]_*.md")):
        text = path.read_text(encoding="utf-8")
        try:
            new = regenerate(text, path.stem, str(path))
        except ValueError as error:
            problems.append(str(error))
            continue
        if new == text:
            continue
        if args.check:
            problems.append(f"{path} is out of date: run `python -m helpers.instructor`")
        else:
            path.write_text(new, encoding="utf-8")
            print(f"wrote {path}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
