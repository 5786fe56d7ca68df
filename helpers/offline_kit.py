"""Build the offline install kit: every wheel the workshop needs, for every laptop in the room.

For a venue without Wi-Fi: one folder (copy it to USB sticks) with the wheels of the pinned
requirements for Windows (x86_64), macOS (Apple silicon and Intel) and Linux (x86_64), for Python
3.11 to 3.14, plus setuptools, which ``pip install -e .`` needs to install the workshop's own
``helpers`` package. Usage::

    python -m helpers.offline_kit wheelhouse/            # every platform and Python (~1 GB)
    python -m helpers.offline_kit wheelhouse/ --here     # only this machine's, for a test

and on an attendee's laptop, from the workshop's folder, with the stick's folder as ``wheelhouse``::

    python -m pip install --no-index --find-links wheelhouse -r requirements.txt

It runs ``pip download --only-binary :all: --platform ... --python-version ...``. pip evaluates
the dependencies' environment markers for the machine it runs on, not for the target (pypa/pip
#4304): a kit built on Linux would lack Windows-only dependencies such as ``pywinpty`` or
``colorama`` and macOS-only ones such as ``appnope``. So after each download the wheels' own
metadata is read again with the target's markers, and what applies there (but was skipped here)
is downloaded too, until nothing is missing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from helpers.exercises import ROOT

PYTHONS = ("3.11", "3.12", "3.13", "3.14")
# the build backend of `pip install -e .` (pyproject.toml asks for setuptools>=68)
BUILD_REQUIREMENTS = ("setuptools==84.2.1",)


@dataclass(frozen=True)
class Target:
    """A kind of laptop: its pip platform tag and the environment its markers see."""

    name: str
    platforms: tuple[str, ...]
    os_name: str
    sys_platform: str
    platform_system: str
    platform_machine: str

    def environment(self, python: str) -> dict[str, str]:
        """PEP 508 marker variables of this target with CPython ``python`` (e.g. ``"3.12"``)."""
        return {
            "os_name": self.os_name, "sys_platform": self.sys_platform,
            "platform_system": self.platform_system, "platform_machine": self.platform_machine,
            "platform_python_implementation": "CPython", "implementation_name": "cpython",
            "python_version": python, "python_full_version": f"{python}.0",
            "implementation_version": f"{python}.0", "platform_release": "",
            "platform_version": "",
        }


# The oldest platforms the pinned wheels support (macOS 11 on Apple silicon, 10.15 on Intel, glibc
# 2.28 on Linux), so that older laptops are served too; pip expands each to the older tags.
TARGETS = (
    Target("Windows x86_64", ("win_amd64",), "nt", "win32", "Windows", "AMD64"),
    Target("macOS Apple silicon", ("macosx_11_0_arm64",), "posix", "darwin", "Darwin",
           "arm64"),
    Target("macOS Intel", ("macosx_10_15_x86_64",), "posix", "darwin", "Darwin", "x86_64"),
    Target("Linux x86_64", ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64",
                            "manylinux2014_x86_64"), "posix", "linux", "Linux", "x86_64"),
)


def requirements(path: Path = ROOT / "requirements.txt") -> list[str]:
    """The pinned requirements of ``path`` (``-r`` followed), without ``-e .``."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            found += requirements(path.parent / line[3:].strip())
        elif line and not line.startswith("-"):
            found.append(line)
    return found


def _download(folder: Path, specs: Sequence[str], target: Target | None, python: str) -> None:
    command = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
               "--quiet", "--only-binary", ":all:", "--dest", str(folder)]
    if target is not None:
        command += [flag for tag in target.platforms for flag in ("--platform", tag)]
        command += ["--python-version", python]
    done = subprocess.run([*command, *specs], capture_output=True, text=True)
    if done.returncode:
        where = f"{target.name}, Python {python}" if target else "this machine"
        raise RuntimeError(f"pip download failed for {where}:\n{done.stderr.strip()[-2000:]}")


def _metadata_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode("utf-8", errors="replace")
    return [Requirement(line.split(":", 1)[1].strip()) for line in text.splitlines()
            if line.startswith("Requires-Dist:")]


def _missing_for(folder: Path, environment: dict[str, str], here: dict[str, str]) -> list[str]:
    """Requirements of the downloaded wheels that apply on the target but not here, and that
    no wheel in ``folder`` provides yet."""
    present = {canonicalize_name(parse_wheel_filename(w.name)[0]) for w in folder.glob("*.whl")}
    missing = set()
    for wheel in folder.glob("*.whl"):
        for requirement in _metadata_requirements(wheel):
            marker = requirement.marker
            if marker is None or "extra" in str(marker):
                continue  # unconditional ones pip already followed; extras are not installed
            if marker.evaluate(environment) and not marker.evaluate(here):
                if canonicalize_name(requirement.name) not in present:
                    missing.add(str(Requirement(f"{requirement.name}{requirement.specifier}")))
    return sorted(missing)


def build(folder: Path, *, here_only: bool = False,
          pythons: Sequence[str] = PYTHONS) -> dict[str, float]:
    """Download the kit into ``folder``; returns its size in MB, its wheel count and seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    specs = [*requirements(), *BUILD_REQUIREMENTS]
    if here_only:
        _download(folder, specs, None, "")
    else:
        host = default_environment()
        for target in TARGETS:
            for python in pythons:
                _download(folder, specs, target, python)
                environment = target.environment(python)
                for _ in range(5):  # a platform-only dependency may have its own
                    missing = _missing_for(folder, environment, host)
                    if not missing:
                        break
                    _download(folder, missing, target, python)
    wheels = list(folder.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels) / 1e6
    return {"megabytes": round(size, 1), "wheels": len(wheels),
            "seconds": round(time.perf_counter() - start, 1)}


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m helpers.offline_kit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where the wheels go (created if needed)")
    parser.add_argument("--here", action="store_true",
                        help="only this machine's platform and Python (quick, for tests)")
    parser.add_argument("--python", action="append", choices=PYTHONS,
                        help="only these Python versions (repeatable; default: all)")
    args = parser.parse_args(argv)
    try:
        summary = build(args.folder, here_only=args.here, pythons=args.python or PYTHONS)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{args.folder}: {summary['wheels']} wheels, {summary['megabytes']:.0f} MB, built in "
          f"{summary['seconds']:.0f} s. Install on a laptop, from the workshop's folder:\n"
          f"  python -m pip install --no-index --find-links {args.folder} -r requirements.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
