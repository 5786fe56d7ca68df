"""The shared, world-readable install that every attendee's server and kernel runs from.

A copy of the workshop (``notebooks/``, a root-owned read-only ``solutions/``, ``helpers/``,
``data/``) and a virtual environment with the workshop's pinned packages plus JupyterHub (whose
``jupyterhub-singleuser`` runs each attendee's JupyterLab). It cannot live in the repository:
attendees' accounts may not read it (``/root`` is 0700, and a clone may be anywhere).
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from classroom.layout import HUB_REQUIREMENTS, PACKAGE, ROOT, Layout

WORKSHOP_FILES = ("notebooks", "solutions", "helpers", "data", "pyproject.toml", "requirements.txt",
                  "README.md")  # fmt: skip
SKIPPED = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc", "*.egg-info")
SYSTEM_PYTHON = Path("/usr/bin/python3")
NOBODY = "nobody"
# JupyterLab for every attendee (also used by the Kubernetes image): no news or update checks
# (the room's Wi-Fi is busy enough), extensions not installable from the page, and
# window.jupyterapp for scripts that drive the page, as the browser test does (a script on the
# page can do all the page does anyway).
LAB_CONFIG = PACKAGE / "jupyterlab" / "jupyter_lab_config.json"
LAB_OVERRIDES = PACKAGE / "jupyterlab" / "overrides.json"


def run(command: list[str], **kwargs) -> None:
    """Run ``command``; on failure raise with the end of its output."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        output = (done.stdout + done.stderr)[-4000:]
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{output}")


def world_usable(path: Path) -> bool:
    """Whether every folder above ``path`` lets others through and others may read ``path``."""
    path = path.resolve()
    if not path.stat().st_mode & stat.S_IROTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


def choose_python(requested: Path | None) -> Path:
    """The interpreter for the attendees' environment: one they may run.

    The running interpreter when others may use it, else the system's ``/usr/bin/python3``
    (an interpreter under ``/root``, pyenv's for example, is root's alone).
    """
    if requested is not None:
        return requested
    base = Path(sys._base_executable if hasattr(sys, "_base_executable") else sys.executable)
    if world_usable(base) and world_usable(Path(sys.base_prefix) / "lib"):
        return base
    if SYSTEM_PYTHON.exists():
        return SYSTEM_PYTHON
    raise RuntimeError(f"{base} is not usable by other accounts: pass --python")


def _make_read_only(folder: Path) -> None:
    """Owned by root, folders 0555, files 0444: nobody but root changes anything inside."""
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, 0, 0, follow_symlinks=False)
        if not path.is_symlink():
            path.chmod(0o555 if path.is_dir() else 0o444)


def copy_workshop(layout: Layout, source: Path = ROOT) -> None:
    """A fresh copy of the workshop's files in ``<prefix>/workshop`` (replaced on each run)."""
    staging = layout.prefix / "workshop.new"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o755)
    for name in WORKSHOP_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, staging / name, ignore=SKIPPED)
        else:
            shutil.copy2(source / name, staging / name)
    for path in [staging, *staging.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    _make_read_only(staging / "solutions")
    old = layout.prefix / "workshop.old"
    if layout.workshop.exists():
        layout.workshop.rename(old)
    staging.rename(layout.workshop)
    shutil.rmtree(old, ignore_errors=True)
    shutil.copy2(PACKAGE / "first_login.py", layout.first_login)
    layout.first_login.chmod(0o644)


def build_venv(layout: Layout, python: Path) -> None:
    """Create (or update) the attendees' environment with the pinned packages.

    ``requirements.txt``'s ``-e .`` installs ``helpers`` from ``<prefix>/workshop``, so that
    its ``data/`` is found next to it.
    """
    if not layout.python.exists():
        run([str(python), "-m", "venv", str(layout.venv)])
    run(
        [str(layout.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", "requirements.txt", "-r", str(HUB_REQUIREMENTS)],
        cwd=layout.workshop,
    )  # fmt: skip
    run([str(layout.python), "-m", "compileall", "-q", str(layout.workshop / "helpers")])
    lab_settings = layout.venv / "share" / "jupyter" / "lab" / "settings"
    lab_settings.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LAB_OVERRIDES, lab_settings / "overrides.json")
    config = layout.venv / "etc" / "jupyter"
    config.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LAB_CONFIG, config / "jupyter_lab_config.json")


def build_font_cache(layout: Layout) -> None:
    """Matplotlib's font list, built once here and copied into each home on first login.

    Otherwise every attendee's first plot rebuilds it at the same moment as everyone else's.
    """
    shutil.rmtree(layout.font_cache, ignore_errors=True)
    layout.font_cache.mkdir(mode=0o755)
    run([str(layout.python), "-c", "import matplotlib.font_manager"],
        env={**os.environ, "MPLCONFIGDIR": str(layout.font_cache)})  # fmt: skip
    for path in layout.font_cache.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def check_as_nobody(layout: Layout) -> None:
    """An unprivileged account can run the environment, import ``helpers`` and load the data."""
    code = (
        "import ipykernel, jupyterhub, matplotlib, numpy; from helpers import data; "
        "data.load_night_out(); print(data.DATA_DIR)"
    )
    nobody = pwd.getpwnam(NOBODY)

    def become_nobody() -> None:
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    done = subprocess.run(
        [str(layout.python), "-c", code], capture_output=True, text=True, cwd="/", timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}, preexec_fn=become_nobody,
    )  # fmt: skip
    if done.returncode or Path(done.stdout.strip()) != layout.workshop / "data":
        raise RuntimeError(
            f"the workshop's environment does not work for an unprivileged account:\n"
            f"{done.stdout}{done.stderr}"
        )


def install(layout: Layout, python: Path | None = None) -> Path:
    """Everything under the prefix but the hub's folder; returns the interpreter used."""
    os.umask(0o022)  # whatever root's umask, what pip and venv write is readable by attendees
    layout.prefix.mkdir(parents=True, exist_ok=True)
    layout.prefix.chmod(0o755)
    if not world_usable(layout.prefix):
        raise RuntimeError(f"other accounts cannot reach {layout.prefix}: choose another --prefix")
    python = choose_python(python)
    copy_workshop(layout)
    build_venv(layout, python)
    build_font_cache(layout)
    check_as_nobody(layout)
    return python
