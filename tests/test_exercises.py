"""Exercise generation: solution regions, cleared outputs, --check, and marker errors."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers import exercises
from helpers.exercises import STUB, MarkerError, generate, main, strip_solutions

ROOT = Path(__file__).resolve().parent.parent


def test_notebooks_are_in_sync_with_solutions(capsys):
    assert main(["--check"]) == 0, capsys.readouterr().err


def test_every_solution_has_an_exercise_notebook_and_back():
    solutions = {p.name for p in (ROOT / "solutions").glob("*.ipynb")}
    notebooks = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert solutions == notebooks
    assert "00_setup.ipynb" in solutions


def test_region_is_replaced_at_the_marker_indentation():
    source = (
        'def f(x):\n    """Doc."""\n    ### BEGIN SOLUTION\n    y = x + 1\n'
        "    return y\n    ### END SOLUTION\n\nprint(1)"
    )
    assert strip_solutions(source, "nb, cell 0") == (
        f'def f(x):\n    """Doc."""\n    # YOUR CODE HERE\n    {STUB}\n\nprint(1)'
    )


def test_two_regions_and_untouched_code():
    source = (
        "### BEGIN SOLUTION\na = 1\n### END SOLUTION\nb = 2\n"
        "  ### BEGIN SOLUTION\n  c\n  ### END SOLUTION"
    )
    out = strip_solutions(source, "x")
    assert out.count(STUB) == 2 and "b = 2" in out and "a = 1" not in out and f"  {STUB}" in out


@pytest.mark.parametrize(
    "source, problem",
    [
        ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "nested"),
        ("x = 1\n### END SOLUTION\n", "without"),
    ],
)
def test_bad_markers_name_notebook_and_cell(source, problem):
    with pytest.raises(MarkerError, match=problem) as info:
        strip_solutions(source, "01_demo.ipynb, cell 3 (id abc)")
    assert "01_demo.ipynb, cell 3 (id abc)" in str(info.value)


def _solution_notebook(path: Path, exercise_source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["widgets"] = {"state": {"volatile": 1}}
    nb.metadata["language_info"] = {"version": "3.11.7"}
    markdown = nbformat.v4.new_markdown_cell("# Title")
    code = nbformat.v4.new_code_cell(exercise_source)
    code.execution_count = 3
    code.outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    code.metadata = {"tags": ["keep-me"], "execution": {"iopub.status.busy": "2026"}}
    nb.cells = [markdown, code]
    nbformat.write(nb, path)
    return path


def test_generated_notebook_is_clean_and_keeps_ids(tmp_path):
    solution = _solution_notebook(
        tmp_path / "01_demo.ipynb",
        "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION",
    )
    generated = json.loads(generate(solution))
    original = json.loads(solution.read_text())
    assert generated["metadata"] == {"kernelspec": original["metadata"]["kernelspec"]}
    cell = generated["cells"][1]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert cell["metadata"] == {"tags": ["keep-me"]}
    assert [c["id"] for c in generated["cells"]] == [c["id"] for c in original["cells"]]
    assert "return x" not in "".join(cell["source"])
    assert generated["cells"][0]["source"] == ["# Title"]


def test_write_then_check_then_stale(tmp_path, capsys):
    solution = _solution_notebook(tmp_path / "01_demo.ipynb", "x = 1")
    out = tmp_path / "out"
    assert main([str(solution), "--out", str(out), "--check"]) == 1
    assert "missing" in capsys.readouterr().err
    assert main([str(solution), "--out", str(out)]) == 0
    assert main([str(solution), "--out", str(out), "--check"]) == 0
    (out / "01_demo.ipynb").write_text(
        (out / "01_demo.ipynb").read_text().replace("x = 1", "x = 2")
    )
    assert main([str(solution), "--out", str(out), "--check"]) == 1
    assert "01_demo.ipynb is out of date" in capsys.readouterr().err


def test_check_changes_nothing(tmp_path):
    solution = _solution_notebook(tmp_path / "01_demo.ipynb", "x = 1")
    out = tmp_path / "out"
    main([str(solution), "--out", str(out), "--check"])
    assert not out.exists()


def test_marker_error_exits_non_zero_naming_the_cell(tmp_path, capsys):
    solution = _solution_notebook(tmp_path / "02_bad.ipynb", "### BEGIN SOLUTION\nx = 1")
    assert main([str(solution), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "02_bad.ipynb, cell 1" in err and "never closed" in err


def test_invalid_json_is_reported(tmp_path, capsys):
    broken = tmp_path / "03_broken.ipynb"
    broken.write_text("{not json")
    assert main([str(broken), "--out", str(tmp_path / "out")]) == 1
    assert "03_broken.ipynb" in capsys.readouterr().err


def test_solution_notebooks_are_executed_and_exercises_clean():
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{path.name} has unexecuted cells"
        assert not any(o.get("name") == "stderr" for c in code for o in c.outputs), path.name
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        assert not any(c.outputs for c in code), f"{path.name} has outputs"


def test_only_widget_cells_ignore_outputs():
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if "nbval-ignore-output" in tags:
                assert any(
                    "application/vnd.jupyter.widget-view+json" in o.get("data", {})
                    for o in cell.outputs
                ), f"{path.name}: a cell without a widget is tagged nbval-ignore-output"


def test_module_paths():
    assert exercises.SOLUTIONS == ROOT / "solutions"
    assert exercises.NOTEBOOKS == ROOT / "notebooks"


def test_presenter_copies_fold_the_prose_and_keep_the_code():
    text = "## 2. Title\n> ⏱ **core** · teaching 5 min · exercises 5 min\n\nLong prose.\n\nMore."
    folded = exercises.fold_prose(text)
    assert folded.startswith("## 2. Title\n> ⏱ **core**")
    assert "<details><summary>notes</summary>\n\nLong prose.\n\nMore.\n\n</details>" in folded
    assert exercises.fold_prose("### Only a heading") == "### Only a heading"
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        presenter = nbformat.read(ROOT / "presenter" / path.name, as_version=4)
        exercise = nbformat.read(ROOT / "notebooks" / path.name, as_version=4)
        assert [c.source for c in presenter.cells if c.cell_type == "code"] == [
            c.source for c in exercise.cells if c.cell_type == "code"]
        for cell in presenter.cells:
            if cell.cell_type == "markdown":
                visible = cell.source.split("<details>")[0]
                assert all(line.startswith(("#", "> ⏱")) for line in visible.splitlines()
                           if line.strip()), f"{path.name}: prose left unfolded"


def test_presenter_copies_are_checked_like_the_exercises(tmp_path, capsys):
    solution = _solution_notebook(tmp_path / "01_demo.ipynb", "x = 1")
    out = tmp_path / "out"
    assert main([str(solution), "--out", str(out)]) == 0
    assert (tmp_path / "presenter" / "01_demo.ipynb").exists()
    (tmp_path / "presenter" / "01_demo.ipynb").write_text("{}")
    assert main([str(solution), "--out", str(out), "--check"]) == 1
    assert "presenter/01_demo.ipynb is out of date" in capsys.readouterr().err


def test_checkpoint_folders_do_not_count_for_the_sync_check(tmp_path, monkeypatch, capsys):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    _solution_notebook(solutions / "01_demo.ipynb", "x = 1")
    monkeypatch.setattr(exercises, "SOLUTIONS", solutions)
    out = tmp_path / "out"
    assert main(["--out", str(out)]) == 0
    for folder in (out, tmp_path / "presenter"):
        checkpoints = folder / ".ipynb_checkpoints"
        checkpoints.mkdir()
        (checkpoints / "01_demo-checkpoint.ipynb").write_text("{}")
    assert main(["--check", "--out", str(out)]) == 0, capsys.readouterr().err
    (out / "02_extra.ipynb").write_text("{}")  # a stray notebook beside them is still reported
    assert main(["--check", "--out", str(out)]) == 1
    assert "02_extra.ipynb has no solution notebook" in capsys.readouterr().err
