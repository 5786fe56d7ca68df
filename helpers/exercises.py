"""Generate the exercise notebooks in ``notebooks/`` from the solutions in ``solutions/``.

Usage::

    python -m helpers.exercises            # regenerate every exercise and presenter notebook
    python -m helpers.exercises --check    # change nothing; exit 1 naming each stale notebook
    python -m helpers.exercises solutions/01_linear_regression.ipynb   # just this one

Inside a code cell, the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION`` (markers
included) become ``# YOUR CODE HERE`` and ``raise NotImplementedError(...)`` at the marker's
indentation: the nbgrader convention. Outputs, execution counts and volatile metadata are cleared;
everything else (markdown, check cells, cell ids, tags) is kept, so a diff between the two
notebooks shows exactly what an attendee must write.

Each exercise notebook also gets a presenter copy in ``presenter/``, for live-coding from the
front at a large font: the same code cells, and each markdown cell reduced to its headings and
timing line, the rest of its prose folded into a collapsed ``<details>`` block.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
PRESENTER = ROOT / "presenter"

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = 'raise NotImplementedError("Replace this line with your code.")'
# Notebook-level metadata worth keeping; the rest (widget state, language versions) is volatile.
KEPT_NOTEBOOK_METADATA = ("kernelspec",)
# "jupyter" holds source_hidden / outputs_hidden: collapsed cells stay collapsed for attendees.
KEPT_CELL_METADATA = ("tags", "editable", "deletable", "jupyter")

_MARKER = re.compile(r"^(?P<indent>\s*)### (?P<kind>BEGIN|END) SOLUTION\s*$")


class MarkerError(ValueError):
    """Solution markers that are unclosed, nested or stray; the message names notebook and cell."""


def strip_solutions(source: str, where: str) -> str:
    """Replace each solution region of a cell's source by the stub.

    Parameters
    ----------
    source : str
        The cell's source code.
    where : str
        ``"<notebook>, cell N (id ...)"`` for error messages.

    Returns
    -------
    str
        The source with every region replaced.
    """
    out: list[str] = []
    indent: str | None = None
    begin_line = 0
    for number, line in enumerate(source.split("\n"), start=1):
        match = _MARKER.match(line)
        if match and match["kind"] == "BEGIN":
            if indent is not None:
                raise MarkerError(
                    f"{where}: nested '{BEGIN}' on line {number} (the region opened "
                    f"on line {begin_line} is not closed)"
                )
            indent, begin_line = match["indent"], number
        elif match and match["kind"] == "END":
            if indent is None:
                raise MarkerError(f"{where}: '{END}' on line {number} without a '{BEGIN}'")
            out += [f"{indent}# YOUR CODE HERE", f"{indent}{STUB}"]
            indent = None
        elif indent is None:
            out.append(line)
    if indent is not None:
        raise MarkerError(f"{where}: '{BEGIN}' on line {begin_line} is never closed by '{END}'")
    return "\n".join(out)


def make_exercise(notebook: dict[str, Any], name: str) -> dict[str, Any]:
    """The exercise version of a solution notebook (a parsed ``.ipynb`` JSON dict)."""
    result = {
        "cells": [],
        "metadata": {
            k: notebook["metadata"][k]
            for k in KEPT_NOTEBOOK_METADATA
            if k in notebook.get("metadata", {})
        },
        "nbformat": notebook["nbformat"],
        "nbformat_minor": notebook["nbformat_minor"],
    }
    for index, cell in enumerate(notebook["cells"]):
        new = {
            key: value for key, value in cell.items() if key not in ("outputs", "execution_count")
        }
        new["metadata"] = {
            k: v for k, v in cell.get("metadata", {}).items() if k in KEPT_CELL_METADATA
        }
        if cell["cell_type"] == "code":
            where = f"{name}, cell {index} (id {cell.get('id', '?')})"
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            new["source"] = strip_solutions(source, where)
            new["outputs"] = []
            new["execution_count"] = None
        result["cells"].append(new)
    return result


def fold_prose(markdown: str) -> str:
    """Headings and timing lines stay; the rest of a markdown cell goes into a closed
    ``<details>`` block (for the presenter copy)."""
    kept, folded = [], []
    for line in markdown.split("\n"):
        (kept if line.startswith(("#", "> ⏱")) else folded).append(line)
    prose = "\n".join(folded).strip()
    if prose:
        kept.append(f"<details><summary>notes</summary>\n\n{prose}\n\n</details>")
    return "\n".join(kept)


def make_presenter(notebook: dict[str, Any], name: str) -> dict[str, Any]:
    """The presenter copy of a solution notebook: the exercise version with its prose folded."""
    result = make_exercise(notebook, name)
    for cell in result["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"]
            cell["source"] = fold_prose("".join(source) if isinstance(source, list) else source)
    return result


def render(notebook: dict[str, Any]) -> str:
    """Serialise like Jupyter does (indent 1, sorted keys, lists of lines), with a final newline."""
    cells = []
    for cell in notebook["cells"]:
        cell = dict(cell)
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        cell["source"] = text.splitlines(keepends=True)
        cells.append(cell)
    return (
        json.dumps({**notebook, "cells": cells}, indent=1, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def generate(solution: Path, presenter: bool = False) -> str:
    """The text of the exercise (or presenter) notebook generated from ``solution``."""
    try:
        notebook = json.loads(solution.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise MarkerError(f"{solution.name}: not valid notebook JSON ({error})") from error
    make = make_presenter if presenter else make_exercise
    return render(make(notebook, solution.name))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.exercises",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "solutions",
        nargs="*",
        type=Path,
        help="solution notebooks to convert (default: every solutions/*.ipynb)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any exercise notebook is stale",
    )
    parser.add_argument("--out", type=Path, default=NOTEBOOKS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sources = args.solutions or sorted(SOLUTIONS.glob("*.ipynb"))
    if not sources:
        print(f"no solution notebooks found in {SOLUTIONS}", file=sys.stderr)
        return 1
    stale, errors = [], []
    # the presenter copies sit beside the exercise notebooks (presenter/ next to notebooks/)
    outputs = ((args.out, False), (args.out.parent / PRESENTER.name, True))
    for solution in sources:
        for folder, presenter in outputs:
            target = folder / solution.name
            try:
                text = generate(solution, presenter)
            except MarkerError as error:
                if not presenter:
                    errors.append(str(error))
                continue
            current = target.read_text(encoding="utf-8") if target.exists() else None
            if current == text:
                continue
            if args.check:
                stale.append(f"{target} is {'missing' if current is None else 'out of date'}")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
                print(f"wrote {shown}")
    if args.check and not args.solutions:
        expected = {s.name for s in sources}
        for folder, _ in outputs:
            extra = sorted(p.name for p in folder.glob("*.ipynb") if p.name not in expected)
            stale += [f"{folder / name} has no solution notebook in solutions/" for name in extra]
    for message in errors + stale:
        print(message, file=sys.stderr)
    if stale:
        print(
            "run `python -m helpers.exercises` to regenerate the exercise notebooks",
            file=sys.stderr,
        )
    return 1 if (stale or errors) else 0


if __name__ == "__main__":
    sys.exit(main())
