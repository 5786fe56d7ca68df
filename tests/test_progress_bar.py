"""helpers.progress_bar and helpers.jupyter outside Jupyter (inside it, nbval and the browser test
see the widget at work in every training cell)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from helpers import jupyter
from helpers.progress_bar import ProgressBar


def test_progress_bar_prints_about_ten_lines_in_a_terminal(capsys):
    bar = ProgressBar(200, description="training")
    for step in range(1, 201):
        bar.update(step, loss=1.0 / step)
    bar.close()
    lines = capsys.readouterr().out.splitlines()
    assert 5 <= len(lines) <= 12
    assert lines[-1] == "training: 200/200  loss 0.005"


def test_not_in_a_notebook_without_a_kernel(monkeypatch):
    import IPython

    assert jupyter.in_notebook() is False  # pytest: no IPython shell at all
    monkeypatch.setattr(IPython, "get_ipython", lambda: SimpleNamespace())  # a terminal shell
    assert jupyter.in_notebook() is False
    monkeypatch.setattr(IPython, "get_ipython", lambda: SimpleNamespace(kernel=None))
    assert jupyter.in_notebook() is False


def test_in_a_notebook_with_a_kernel(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: SimpleNamespace(kernel=object()))
    assert jupyter.in_notebook() is True


def test_not_in_a_notebook_without_ipython(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)  # makes `import IPython` fail
    assert jupyter.in_notebook() is False


@pytest.mark.parametrize("total", [0, 1, 7])
def test_progress_bar_always_reports_the_last_step(capsys, total):
    bar = ProgressBar(total, description="d")
    for step in range(1, max(total, 1) + 1):
        bar.update(step)
    bar.close()
    assert capsys.readouterr().out.splitlines()[-1] == f"d: {max(total, 1)}/{max(total, 1)}"
