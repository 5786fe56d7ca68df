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
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import pytest

pytestmark = pytest.mark.offline

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
IN_CI = os.environ.get("CI", "").lower() == "true"
CELL_TIMEOUT = 120  # seconds, per cell, inside the namespace
RUN_TIMEOUT = 240  # seconds, per notebook, namespace and kernel start included
PARALLEL = 2  # notebooks at a time
RESULT_MARK = "OFFLINE-RESULT "
# Tried in order; the first that can run `true` is used.
UNSHARE_CANDIDATES = [
    ["--net", "--pid", "--fork", "--kill-child"],
    ["--net", "--pid", "--fork", "--kill-child", "--map-root-user"],
    ["--net"],
    ["--net", "--map-root-user"],
]

# Runs inside the namespace: bring up loopback, probe the network, execute one notebook and
# print one JSON line with what happened.
RUNNER = r"""
import fcntl, json, re, socket, struct, sys, time
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1

def loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))

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


def _skip_or_fail(reason: str) -> NoReturn:
    """Skip locally; in CI (``CI=true``) a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the offline test must run)")
    pytest.skip(reason)


@cache
def unshare_command() -> tuple[list[str] | None, str]:
    """The ``unshare`` command that works here, or None and why not."""
    if not sys.platform.startswith("linux"):
        return None, f"network namespaces need Linux (this is {sys.platform})"
    unshare = shutil.which("unshare")
    if unshare is None:
        return None, "`unshare` not found (Debian: apt-get install util-linux)"
    errors = []
    for options in UNSHARE_CANDIDATES:
        command = [unshare, *options]
        try:
            probe = subprocess.run([*command, "true"], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired) as error:
            errors.append(f"{' '.join(options)}: {error}")
            continue
        if probe.returncode == 0:
            return command, ""
        errors.append(f"{' '.join(options)}: {probe.stderr.strip() or probe.returncode}")
    return None, "cannot create a network namespace (" + "; ".join(errors) + ")"


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
        _skip_or_fail(reason)
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
