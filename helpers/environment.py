"""Is this machine ready for the workshop? The logic behind ``00_setup.ipynb``.

It compares the installed packages with the versions pinned in ``requirements.txt``, checks the
Python version, that matplotlib draws inline, and that every data file loads, and sums it up in a
single verdict.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
WORKSHOP_PACKAGES = ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "ipykernel")
SUPPORTED_PYTHON = ((3, 11), (3, 14))


@dataclass
class SetupReport:
    """Lines to show and problems to fix; ``ready`` when there are no problems."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.problems

    def verdict(self) -> str:
        """One clear line (plus what to fix when not ready)."""
        if self.ready:
            return "✅ Ready: your setup matches the workshop's. See you there!"
        fixes = "\n".join(f"  - {problem}" for problem in self.problems)
        return f"❌ Not ready yet. To fix:\n{fixes}"


def pinned_versions(path: Path = REQUIREMENTS) -> dict[str, str]:
    """``name -> version`` for every ``name==version`` line of a requirements file.

    ``-r other.txt`` lines are followed (relative to the file), as pip does.
    """
    versions = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            versions |= pinned_versions(path.parent / line[3:].strip())
        elif "==" in line:
            name, version = line.split("==", 1)
            versions[name.strip().lower()] = version.strip()
    return versions


def installed_version(name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_packages(
    pinned: Mapping[str, str],
    packages: tuple[str, ...] = WORKSHOP_PACKAGES,
    version_of: Callable[[str], str | None] = installed_version,
    report: SetupReport | None = None,
) -> SetupReport:
    """Compare installed versions with the pinned ones."""
    report = report or SetupReport()
    for name in packages:
        want, have = pinned.get(name), version_of(name)
        if have is None:
            report.lines.append(f"❌ {name:<11} not installed (needs {want})")
            report.problems.append(f"install {name}: `python -m pip install -r requirements.txt`")
        elif want is not None and have != want:
            report.lines.append(f"⚠️ {name:<11} {have} installed, workshop uses {want}")
            report.problems.append(
                f"{name} {have} differs from {want}: `python -m pip install -r requirements.txt` "
                f"(in the environment of this notebook's kernel)"
            )
        else:
            report.lines.append(f"✅ {name:<11} {have}")
    return report


def check_python(
    version: tuple[int, ...] = tuple(sys.version_info[:3]), report: SetupReport | None = None
) -> SetupReport:
    """Python 3.11 to 3.14 is supported."""
    report = report or SetupReport()
    text = ".".join(map(str, version))
    low, high = SUPPORTED_PYTHON
    if low <= tuple(version[:2]) <= high:
        report.lines.append(f"✅ Python      {text} (3.11 to 3.14 supported)")
    else:
        report.lines.append(f"❌ Python      {text} (3.11 to 3.14 supported)")
        report.problems.append(f"use Python 3.11 to 3.14 (this kernel runs {text})")
    return report


def check_data(report: SetupReport | None = None) -> SetupReport:
    """Every data file of ``data/`` loads and passes its validation."""
    from helpers import data

    report = report or SetupReport()
    loaders = [
        data.load_night_out,
        data.load_supermarket,
        data.load_ring,
        data.load_blobs,
        data.load_breast_cancer,
        data.load_digits,
    ]
    for loader in loaders:
        try:
            loader()
        except data.DataError as error:
            report.problems.append(str(error))
    if not any("data" in p for p in report.problems):
        report.lines.append(f"✅ data        {len(loaders)} data sets load")
    return report


def check_inline_backend(backend: str, report: SetupReport | None = None) -> SetupReport:
    """Figures must be drawn inline (as PNG) in the notebook."""
    report = report or SetupReport()
    if "inline" in backend.lower():
        report.lines.append("✅ plots       drawn inline")
    else:
        report.lines.append(f"❌ plots       backend {backend!r}")
        report.problems.append("run `%matplotlib inline` at the top of the notebook")
    return report


def setup_report(backend: str) -> SetupReport:
    """The full report for the current kernel; ``backend`` is ``matplotlib.get_backend()``."""
    report = check_python()
    check_packages(pinned_versions(), report=report)
    check_inline_backend(backend, report=report)
    check_data(report=report)
    return report
