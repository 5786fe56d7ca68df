"""Proof that the workshop needs no network once installed: solutions run with only loopback.

Every notebook of ``solutions/`` is executed (nbclient, the environment's ``python3`` kernel) in a
fresh Linux network namespace created with ``unshare --net``, whose only interface is loopback
(brought up so the kernel's ZMQ sockets work). Inside the namespace the test first proves the
network is really down (no interface but ``lo``; connecting to public addresses fails), then
asserts that each notebook runs without error and writes nothing to stderr. The namespace also
gets its own PID namespace (``--pid --fork --kill-child``) so a killed run takes its kernel along.

Needs Linux and ``unshare`` (util-linux), run as root or with unprivileged user namespaces
(``--map-root-user``). Where that is not available the test skips with the reason, except with
``CI=true``, where it fails. Run it alone with::

    python -m pytest -m offline
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from namespaces import LOOPBACK_UP, skip_or_fail, unshare_command

pytestmark = pytest.mark.offline

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds, per cell, inside the namespace
RUN_TIMEOUT = 240  # seconds, per notebook, namespace and kernel start included
PARALLEL = 2  # notebooks at a time
RESULT_MARK = "OFFLINE-RESULT "

# Runs inside the namespace: bring up loopback, probe the network, execute one notebook and
# print one JSON line with what happened.
RUNNER = LOOPBACK_UP + r"""
import json, re, socket, sys, time

def probe(family, address):
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(3)
            sock.connect(address)
        return "connected"
    except OSError as error:
        return f"{type(error).__name__}: {error}"

loopback_up()
result = {
    "interfaces": sorted(name for _, name in socket.if_nameindex()),
    "probes": {
        "1.1.1.1:53": probe(socket.AF_INET, ("1.1.1.1", 53)),
        "8.8.8.8:443": probe(socket.AF_INET, ("8.8.8.8", 443)),
        "[2606:4700:4700::1111]:53": probe(socket.AF_INET6, ("2606:4700:4700::1111", 53)),
    },
}
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

path, cell_timeout = sys.argv[1], int(sys.argv[2])
notebook = nbformat.read(path, as_version=4)
start = time.monotonic()
try:
    NotebookClient(
        notebook, timeout=cell_timeout, kernel_name="python3",
        resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}},
    ).execute()
    result["error"] = None
except CellExecutionError as error:
    result["error"] = str(error)[-3000:]
except Exception as error:
    result["error"] = f"{type(error).__name__}: {error}"[-3000:]
result["seconds"] = round(time.monotonic() - start, 1)
result["stderr"] = [
    {"cell": index, "text": "".join(output.get("text", ""))}
    for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
    for output in cell.get("outputs", [])
    if output.get("output_type") == "stream" and output.get("name") == "stderr"
]
if result["error"]:
    result["error"] = re.sub(r"\x1b\[[0-9;]*m", "", result["error"])  # no terminal colours
print("OFFLINE-RESULT " + json.dumps(result), flush=True)
"""


def run_offline(command: list[str], notebook: Path) -> dict[str, Any]:
    """Execute ``notebook`` in a new network namespace; what the runner reported."""
    argv = [*command, sys.executable, "-c", RUNNER, str(notebook), str(CELL_TIMEOUT)]
    try:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        log = error.stderr.decode(errors="replace") if isinstance(error.stderr, bytes) else ""
        return {"failure": f"no result within {RUN_TIMEOUT} s", "log": log[-3000:]}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    return {
        "failure": f"the runner exited with {done.returncode} and no result",
        "log": (done.stdout + done.stderr)[-3000:],
    }


@pytest.fixture(scope="module")
def offline_runs() -> dict[Path, dict[str, Any]]:
    """Every solution notebook executed offline, ``PARALLEL`` at a time."""
    command, reason = unshare_command()
    if command is None:
        skip_or_fail(reason, 'offline')
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        results = pool.map(lambda notebook: run_offline(command, notebook), SOLUTIONS)
        return dict(zip(SOLUTIONS, results, strict=True))


@pytest.mark.parametrize("notebook", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_solution_runs_offline(notebook: Path, offline_runs: dict[Path, dict[str, Any]]) -> None:
    """The notebook runs without error and stderr where only loopback exists."""
    result = offline_runs[notebook]
    assert "failure" not in result, f"{notebook.name}: {result['failure']}\n{result['log']}"
    assert result["interfaces"] == ["lo"], (
        f"the namespace has network interfaces other than loopback: {result['interfaces']}"
    )
    reached = [address for address, outcome in result["probes"].items() if outcome == "connected"]
    assert not reached, f"the namespace is not offline: it reached {reached}"
    assert result["error"] is None, f"{notebook.name} fails offline:\n{result['error']}"
    assert not result["stderr"], f"{notebook.name} writes to stderr offline: " + "; ".join(
        f"cell {item['cell']}: {item['text']!r}" for item in result["stderr"]
    )
    print(f"{notebook.name}: ran offline in {result['seconds']} s")
