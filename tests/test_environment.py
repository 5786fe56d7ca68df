"""The environment files agree, the README's commands are safe, and the code is lint-clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.environment import pinned_versions

ROOT = Path(__file__).resolve().parent.parent
ATTENDEE = {"numpy", "matplotlib", "jupyterlab", "ipywidgets", "ipykernel"}
TEST_TOOLS = {"nbval", "pytest"}


def conda_pins(path: Path) -> dict[str, str]:
    """``name -> version`` of ``name=version`` (conda) and ``name==version`` (pip) entries."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^\s*-\s+([A-Za-z0-9_.-]+)\s*==?\s*([0-9][^\s#]*)\s*$", line)
        if match:
            found[match[1].lower()] = match[2]
    return found


def test_requirements_pin_the_workshop_packages_exactly():
    runtime = pinned_versions(ROOT / "requirements.txt")
    assert ATTENDEE <= runtime.keys()
    # attendees install only what the notebooks need: test tools are for instructors and CI
    assert not TEST_TOOLS & runtime.keys()
    assert TEST_TOOLS <= pinned_versions(ROOT / "requirements-dev.txt").keys()
    text = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^-e \.\s*$", text, re.MULTILINE), "the helpers package is installed from ."
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        assert not line or line == "-e ." or "==" in line, f"not pinned exactly: {line}"


def test_environment_yml_matches_requirements():
    wanted = pinned_versions(ROOT / "requirements-dev.txt")
    conda = conda_pins(ROOT / "environment.yml")
    assert wanted == {k: conda[k] for k in wanted if k in conda}, "versions differ"
    assert wanted.keys() <= conda.keys(), (
        f"missing in environment.yml: {wanted.keys() - conda.keys()}"
    )
    text = (ROOT / "environment.yml").read_text()
    assert "conda-forge" in text and "-e ." in text
    assert not re.search(r"=\d[^\s=]*=", text), "no build strings"


def test_the_running_environment_is_the_pinned_one():
    from importlib.metadata import version

    for name, pinned in pinned_versions(ROOT / "requirements.txt").items():
        assert version(name) == pinned, f"{name} {version(name)} installed, {pinned} pinned"


def test_python_range_is_stated():
    readme = (ROOT / "README.md").read_text()
    assert "Python 3.11" in readme
    assert 'requires-python = ">=3.11"' in (ROOT / "pyproject.toml").read_text()
    assert sys.version_info >= (3, 11)


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(?:bash|sh)\n(.*?)\n```", section, re.DOTALL)


def test_readme_quick_start_has_two_commands_and_ci_runs_the_test_one():
    commands = quick_start_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "jupyter lab" in commands[0] and "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_readme_never_weakens_jupyter_security():
    readme = (ROOT / "README.md").read_text()
    for bad in (
        "token=''",
        'token=""',
        "--ip=0.0.0.0",
        "--ip 0.0.0.0",
        "disable_check_xsrf",
        "--NotebookApp.token",
        "password=''",
    ):
        assert bad not in readme


@pytest.mark.skipif(sys.platform == "win32", reason="ruff is run the same way everywhere else")
def test_ruff_is_clean():
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
