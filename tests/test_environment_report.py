"""helpers.environment: the setup notebook's verdict, also when things are wrong."""

from __future__ import annotations

from pathlib import Path

from helpers import data, environment
from helpers.environment import (
    SetupReport,
    check_data,
    check_inline_backend,
    check_packages,
    check_python,
    pinned_versions,
)


def test_pinned_versions_read_requirements(tmp_path: Path):
    req = tmp_path / "requirements.txt"
    req.write_text("# comment\nnumpy==2.4.6  # why\n-e .\nMatplotlib==3.11.2\n")
    assert pinned_versions(req) == {"numpy": "2.4.6", "matplotlib": "3.11.2"}


def test_matching_versions_are_ready():
    report = check_packages({"numpy": "1.0"}, ("numpy",), version_of=lambda name: "1.0")
    assert report.ready and report.lines == ["✅ numpy       1.0"]
    assert report.verdict().startswith("✅ Ready")


def test_wrong_and_missing_packages_say_what_to_do():
    versions = {"numpy": "0.9", "ipywidgets": None}
    report = check_packages(
        {"numpy": "1.0", "ipywidgets": "8.1.9"}, ("numpy", "ipywidgets"), version_of=versions.get
    )
    assert not report.ready
    verdict = report.verdict()
    assert verdict.startswith("❌ Not ready yet")
    assert "numpy 0.9 differs from 1.0" in verdict and "install ipywidgets" in verdict
    assert "pip install -r requirements.txt" in verdict


def test_python_range():
    assert check_python((3, 11, 7)).ready and check_python((3, 14, 0)).ready
    old = check_python((3, 10, 12))
    assert not old.ready and "3.10.12" in old.verdict()


def test_backend_must_be_inline():
    assert check_inline_backend("module://matplotlib_inline.backend_inline").ready
    report = check_inline_backend("agg")
    assert not report.ready and "%matplotlib inline" in report.verdict()


def test_data_problems_are_reported(monkeypatch):
    assert check_data().ready

    def broken():
        raise data.DataError("data/ring.csv: line 3 has 2 fields, expected 3")

    monkeypatch.setattr(data, "load_ring", broken)
    report = check_data(SetupReport())
    assert not report.ready and "data/ring.csv: line 3" in report.verdict()


def test_the_real_report_is_ready_here():
    report = environment.setup_report("module://matplotlib_inline.backend_inline")
    assert report.ready, report.verdict()


def test_pinned_versions_follow_included_files(tmp_path: Path):
    (tmp_path / "base.txt").write_text("numpy==2.4.6\n")
    (tmp_path / "dev.txt").write_text("-r base.txt\nruff==0.17.6\n")
    assert pinned_versions(tmp_path / "dev.txt") == {"numpy": "2.4.6", "ruff": "0.17.6"}
