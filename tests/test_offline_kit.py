"""The offline install kit installs the workshop with no network, and 00_setup then says Ready.

A wheelhouse for this machine's platform and Python is built with ``helpers.offline_kit`` (that
step downloads from PyPI), the workshop is copied to a fresh folder, and then, inside a network
namespace with only loopback, a fresh virtual environment installs it with
``pip install --no-index --find-links <kit> -r requirements.txt`` (the README's USB-stick command)
and executes ``notebooks/00_setup.ipynb``, whose verdict must be Ready. Also unit tests of the
kit's marker handling, which the cross-platform kit relies on.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from namespaces import LOOPBACK_UP, skip_or_fail, unshare_command

from helpers import offline_kit

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("helpers", "data", "notebooks", "pyproject.toml", "requirements.txt", "README.md")

INSIDE = LOOPBACK_UP + r"""
import json, subprocess, sys, venv
from pathlib import Path
loopback_up()
workshop, kit = Path(sys.argv[1]), sys.argv[2]
venv.create(workshop / ".venv", with_pip=True)
python = str(workshop / ".venv" / "bin" / "python")
install = subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check",
                          "--no-index", "--find-links", kit, "-r", "requirements.txt"],
                         cwd=workshop, capture_output=True, text=True)
result = {"install": install.returncode, "install_log": (install.stdout + install.stderr)[-3000:]}
if install.returncode == 0:
    run = subprocess.run([python, "-c", '''
import json, nbformat
from nbclient import NotebookClient
nb = nbformat.read("notebooks/00_setup.ipynb", as_version=4)
NotebookClient(nb, timeout=120, kernel_name="python3",
               resources={"metadata": {"path": "notebooks"}}).execute()
text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
print("VERDICT " + json.dumps(text))
'''], cwd=workshop, capture_output=True, text=True, timeout=300)
    result["run"] = run.returncode
    result["output"] = next((json.loads(line[8:]) for line in run.stdout.splitlines()
                             if line.startswith("VERDICT ")), run.stderr[-3000:])
print("KIT-RESULT " + json.dumps(result))
"""


@pytest.mark.offline
@pytest.mark.slow
def test_the_kit_installs_offline_and_setup_says_ready(tmp_path):
    command, reason = unshare_command()
    if command is None:
        skip_or_fail(reason, "offline kit")
    kit = tmp_path / "kit"
    summary = offline_kit.build(kit, here_only=True)
    assert summary["wheels"] > 50 and any(kit.glob("setuptools-*.whl"))
    workshop = tmp_path / "workshop"
    workshop.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, workshop / name,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy(source, workshop / name)
    done = subprocess.run([*command, sys.executable, "-c", INSIDE, str(workshop), str(kit)],
                          capture_output=True, text=True, timeout=900)
    line = next((line for line in done.stdout.splitlines() if line.startswith("KIT-RESULT ")),
                None)
    assert line, f"no result from the namespace:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    result = json.loads(line[len("KIT-RESULT "):])
    assert result["install"] == 0, f"offline install failed:\n{result['install_log']}"
    assert result["run"] == 0, result["output"]
    assert "✅ Ready" in result["output"], result["output"]


def _wheel(folder: Path, name: str, requires: list[str]) -> None:
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as archive:
        metadata = "".join(f"Requires-Dist: {r}\n" for r in requires)
        archive.writestr(f"{name}-1.0.dist-info/METADATA", f"Name: {name}\n{metadata}")


def test_platform_only_dependencies_are_found_for_the_target(tmp_path):
    _wheel(tmp_path, "server", ['pywinpty>=2; os_name == "nt"', 'ptyprocess; os_name != "nt"',
                                'appnope; platform_system == "Darwin"', "anyio>=4",
                                'pytest; extra == "test"'])
    _wheel(tmp_path, "ptyprocess", [])
    linux = offline_kit.TARGETS[3].environment("3.12")
    windows, mac = (offline_kit.TARGETS[i].environment("3.12") for i in (0, 1))
    assert offline_kit._missing_for(tmp_path, windows, linux) == ["pywinpty>=2"]
    assert offline_kit._missing_for(tmp_path, mac, linux) == ["appnope"]
    assert offline_kit._missing_for(tmp_path, linux, linux) == []
    _wheel(tmp_path, "pywinpty", [])
    assert offline_kit._missing_for(tmp_path, windows, linux) == []


def test_requirements_leave_out_the_editable_install():
    pins = offline_kit.requirements()
    assert "numpy==2.4.6" in pins and not any(p.startswith("-e") for p in pins)
