"""What attendees read never hands out an exercise's answer, and help comes in collapsed tiers.

For each exercise of each solution notebook, "what the attendee reads before writing it" is the
exercise cell outside its solution region plus the markdown since the previous exercise's check
cell, leaving out collapsed ``<details>`` blocks (hints and derivations the attendee opens on
purpose). The answer is the solution region: each statement's expression (a return value, the
right-hand side of an assignment, a loop's iterable...) that computes something, and every
sub-expression with two or more operations. None may appear in what is read, spaces ignored.

Also: every exercise has at least two collapsed hints (``<details><summary>Hint ...``) before its
check cell, only the last hint may contain answer code, and no general hint of a check (the text
shown when no known mistake matched) contains answer code.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.checks.registry import all_exercises
from helpers.exercises import BEGIN, END

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
DETAILS = re.compile(r"<details>.*?</details>", re.DOTALL)
HINT = re.compile(r"<details>\s*<summary>\s*(?:<b>)?\s*Hint\b.*?</details>", re.DOTALL)
CHECK_CALL = re.compile(r"^\s*(?:\w+\s*=\s*)?check_(\w+)\(", re.MULTILINE)
OPERATIONS = (ast.BinOp, ast.UnaryOp, ast.Call, ast.Compare, ast.BoolOp, ast.ListComp,
              ast.GeneratorExp, ast.DictComp, ast.SetComp, ast.IfExp, ast.Lambda)


@dataclass
class Exercise:
    notebook: str
    name: str
    cell: int
    check_cell: int
    visible: str  # what the attendee reads before writing the function
    hints: list[str]  # the collapsed hint blocks, in order
    answer: set[str]  # the answer's expressions, whitespace removed


def _source(cell) -> str:
    return "".join(cell["source"])


def _region(source: str) -> tuple[str, str]:
    """(the solution region, the rest of the cell)."""
    inside, outside, keep = [], [], True
    for line in source.split("\n"):
        if line.strip() == BEGIN:
            keep = False
        elif line.strip() == END:
            keep = True
        elif keep:
            outside.append(line)
        else:
            inside.append(line)
    return textwrap.dedent("\n".join(inside)), "\n".join(outside)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _operations(node: ast.AST) -> int:
    return sum(isinstance(n, OPERATIONS) for n in ast.walk(node))


def answer_expressions(region: str) -> set[str]:
    """The expressions of a solution region that give the answer away."""
    try:
        tree = ast.parse(region)
    except SyntaxError:
        tree = ast.parse("if True:\n" + textwrap.indent(region, "    "))
    found = set()
    for node in ast.walk(tree):
        top = None
        if isinstance(node, ast.Return | ast.Expr | ast.Yield) and node.value is not None:
            top = node.value
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value:
            top = node.value
        elif isinstance(node, ast.For):
            top = node.iter
        elif isinstance(node, ast.If | ast.While):
            top = node.test
        if top is not None and _operations(top) >= 1:
            found.add(_squeeze(ast.unparse(top)))
        if isinstance(node, ast.expr) and _operations(node) >= 2:
            found.add(_squeeze(ast.unparse(node)))
    # a docstring or a string constant is not code
    return {text for text in found if len(text) >= 3 and not text.startswith(("'", '"'))}


def exercises_in(path: Path) -> list[Exercise]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    result, zone_start = [], 0
    for index, cell in enumerate(cells):
        source = _source(cell)
        if cell["cell_type"] != "code" or BEGIN not in source:
            continue
        name = re.search(r"^def (\w+)\(", source, re.MULTILINE)
        if name is None:
            continue
        check = next((i for i in range(index + 1, len(cells))
                      if cells[i]["cell_type"] == "code"
                      and name[1] in CHECK_CALL.findall(_source(cells[i]))), None)
        region, rest = _region(source)
        markdown = [_source(cells[i]) for i in range(zone_start, check or index + 1)
                    if cells[i]["cell_type"] == "markdown"]
        before = [_source(cells[i]) for i in range(zone_start, index)
                  if cells[i]["cell_type"] == "markdown"]
        visible = "\n".join(DETAILS.sub("", text) for text in before) + "\n" + rest
        hints = [hint for text in markdown for hint in HINT.findall(text)]
        result.append(Exercise(path.stem, name[1], index, check or -1, visible, hints,
                               answer_expressions(region)))
        zone_start = (check or index) + 1
    return result


EXERCISES = [exercise for path in SOLUTIONS for exercise in exercises_in(path)]
IDS = [f"{e.notebook}-{e.name}" for e in EXERCISES]


def _leaks(text: str, answer: set[str]) -> list[str]:
    squeezed = _squeeze(text)
    return sorted(expression for expression in answer if expression in squeezed)


def test_the_answer_finder_finds_code():
    region = "residual = X @ w - y\nreturn float(np.mean(residual ** 2))\n"
    found = answer_expressions(region)
    assert {"X@w-y", "float(np.mean(residual**2))", "np.mean(residual**2)"} <= found
    assert _leaks("the MSE is ``float(np.mean(residual ** 2))``", found)
    assert not _leaks("the mean of the squared residuals", found)
    assert answer_expressions("return X\n") == set()


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_no_answer_code_before_the_exercise(exercise):
    leaks = _leaks(exercise.visible, exercise.answer)
    assert not leaks, (
        f"{exercise.notebook}, exercise `{exercise.name}` (cell {exercise.cell}): the answer "
        f"code {leaks} is readable before the attendee writes it (in the markdown since the "
        f"previous exercise or in the exercise cell, outside collapsed <details>)")


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_at_least_two_collapsed_hints_and_code_only_in_the_last(exercise):
    assert exercise.check_cell >= 0, f"{exercise.name} has no check cell"
    assert len(exercise.hints) >= 2, (
        f"{exercise.notebook}, `{exercise.name}`: {len(exercise.hints)} collapsed hint(s) before "
        f"its check cell, expected at least 2 (<details><summary>Hint 1 ...)")
    for number, hint in enumerate(exercise.hints[:-1], start=1):
        leaks = _leaks(hint, exercise.answer)
        assert not leaks, (f"{exercise.notebook}, `{exercise.name}`: hint {number} of "
                           f"{len(exercise.hints)} shows answer code {leaks}; only the last may")


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_general_check_hints_hold_no_answer_code(exercise):
    declared = all_exercises().get(exercise.name)
    assert declared is not None, f"`{exercise.name}` has no check in helpers.checks"
    cases = declared.build_cases()
    texts = [*declared.hints, *(case.hint for case in cases if case.hint)]
    for text in texts:
        leaks = _leaks(text, exercise.answer)
        assert not leaks, (f"check_{exercise.name}: the general hint {text!r} hands out the "
                           f"answer code {leaks}")


def test_every_check_has_an_exercise_in_a_notebook():
    named = {exercise.name for exercise in EXERCISES}
    assert set(all_exercises()) <= named, sorted(set(all_exercises()) - named)
