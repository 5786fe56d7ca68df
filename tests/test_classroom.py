"""The classroom server for real: JupyterHub, its proxy and the workshop's accounts, on loopback.

One classroom for the module: ``python -m classroom setup`` for ``ATTENDEES`` attendees (plus two
who log in with a browser, and the instructor) in a temporary prefix, then ``python -m classroom
start`` on free 127.0.0.1 ports. The tests run in this order and share it:

- **load**: every attendee at once logs in through the hub's REST API, starts a server, opens a
  kernel over the websocket and runs the code cells of ``solutions/01_linear_regression.ipynb``
  (read now); each check's verdict must match the solution's stored one. Measured: time per
  check cell (p50/p95), server start, memory and CPU per attendee, written to
  ``test-artifacts/classroom/load.json`` and printed (no measured number is asserted);
- **isolation**: an attendee cannot read or write another's home, change ``solutions/``, reach
  the admin API, the proxy's API or another's server; a wrong password is refused;
- **resource limits**: a kernel cannot allocate past the memory limit nor raise its limits;
- **browser**: two attendees log in with Chromium, see their own notebooks, run a check cell and
  move a slider that the kernel answers;
- **durability**: the hub restarts (servers keep running), then every server is restarted: each
  attendee's saved notebook is there and runs;
- **idle culling**: with a short timeout the culler stops idle servers; the files stay.

Needs root, Node.js and ``npm ci --prefix classroom``; the browser test also needs Debian's
Chromium. Without them the tests skip, except with ``CI=true``, where they fail. Run alone::

    python -m pytest -m classroom
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import nbformat
import pytest
import requests
import websocket
from classroom_client import Attendee, HubError, Kernel, login
from jupyterhub.traitlets import ByteSpecification

from classroom.settings import Settings

if not sys.platform.startswith("linux"):  # Unix accounts, /proc, setrlimit: a Linux server
    pytest.skip("the classroom server runs on Linux", allow_module_level=True)

from classroom_hub import ClassroomHub, missing_prerequisites  # noqa: E402

from classroom.accounts import processes_of  # noqa: E402

pytestmark = pytest.mark.classroom

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_01 = ROOT / "solutions" / "01_linear_regression.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "classroom"
IN_CI = os.environ.get("CI", "").lower() == "true"
ATTENDEES = int(os.environ.get("CLASSROOM_ATTENDEES", "20"))  # simulated at once by the load test
INSTRUCTOR = "teacher"
CHECK_CALL = re.compile(r"^\s*(?:\w+\s*=\s*)?check_(\w+)\(", re.MULTILINE)
VERDICTS = ("✅", "❌", "⏳")
SERVER_TIMEOUT = 300  # seconds for a server to be ready, a whole room starting at once
KERNEL_TIMEOUT = 120
CELL_TIMEOUT = 180
LOAD_DEADLINE = 540  # seconds for the whole load test's room to finish


def _skip_or_fail(reason: str) -> NoReturn:
    """Skip locally; in CI (``CI=true``) a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the classroom tests must run)")
    pytest.skip(reason)


@dataclass
class Classroom:
    """The module's classroom: the hub, the attendees' names, their logged-in sessions."""

    hub: ClassroomHub
    attendees: list[str]
    browser_attendees: list[str]
    _sessions: dict[str, Attendee] = field(default_factory=dict)

    def attendee(self, name: str) -> Attendee:
        """``name`` logged in through the REST API (once; the token outlives hub restarts)."""
        if name not in self._sessions:
            self._sessions[name] = Attendee.log_in(self.hub.url, name, self.hub.passwords[name])
        return self._sessions[name]

    def running(self, name: str) -> Attendee:
        """``name``, with their server started if it is not running."""
        attendee = self.attendee(name)
        server = attendee.server()
        if not (server and server.get("ready")):
            attendee.start_server(SERVER_TIMEOUT)
        return attendee

    def home(self, name: str) -> Path:
        return Path(self.hub.system_user(name).pw_dir)


@pytest.fixture(scope="module")
def classroom() -> Iterator[Classroom]:
    missing = missing_prerequisites()
    if missing:
        _skip_or_fail("the classroom tests need " + ", ".join(missing))
    count = ATTENDEES + 2
    hub = ClassroomHub.set_up(count, INSTRUCTOR, ARTIFACTS / "setup.log")
    try:
        hub.start()
        names = sorted(name for name in hub.passwords if name != INSTRUCTOR)
        yield Classroom(hub, names[:ATTENDEES], names[ATTENDEES:])
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if hub.log.exists():
            (ARTIFACTS / "hub.log").write_bytes(hub.log.read_bytes())
        hub.tear_down()
    assert not hub.leftover_accounts(), "accounts left behind"
    assert not hub.base.exists(), f"{hub.base} left behind"


def notebook_code_cells(path: Path) -> list[str]:
    """The sources of the notebook's non-empty code cells, in order."""
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code" and cell.source]


def stored_verdicts(path: Path) -> dict[str, str]:
    """Check cell source -> the verdict (✅, ❌ or ⏳) of its stored output."""
    notebook = nbformat.read(path, as_version=4)
    verdicts = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and CHECK_CALL.search(cell.source):
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            verdicts[cell.source] = verdict(text)
    return verdicts


def verdict(text: str) -> str:
    """The first verdict mark in a check's output ('' when there is none)."""
    found = [(text.index(mark), mark) for mark in VERDICTS if mark in text]
    return min(found)[1] if found else ""


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation between closest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- what the kernel reports about the machine, read as root -------------------------------


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        todo.extend(children.get(tree[-1], []))
    return tree


def memory_and_cpu(pids: list[int]) -> tuple[int, int, float]:
    """Summed RSS and PSS (bytes) and CPU seconds of the processes ``pids``."""
    rss = pss = 0
    cpu = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = dict(re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.MULTILINE))
        rss += int(fields.get("Rss", 0)) * 1024
        pss += int(fields.get("Pss", 0)) * 1024
        after_name = stat.rsplit(")", 1)[1].split()
        cpu += (int(after_name[11]) + int(after_name[12])) / ticks  # utime, stime
    return rss, pss, cpu


# --- load --------------------------------------------------------------------------------------


@dataclass
class Run:
    """One simulated attendee's run of notebook 01."""

    name: str
    login_seconds: float = 0.0
    server_seconds: float = 0.0
    kernel_seconds: float = 0.0
    notebook_seconds: float = 0.0
    check_seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    kernel_python: str = ""


def run_notebook_01(classroom: Classroom, name: str, cells: list[str], deadline: float) -> Run:
    """Log in, start the server, open a kernel, run every code cell; never raises."""
    run = Run(name)
    expected = stored_verdicts(NOTEBOOK_01)
    kernel: Kernel | None = None
    try:
        started = time.monotonic()
        attendee = classroom.attendee(name)
        run.login_seconds = time.monotonic() - started
        run.server_seconds = attendee.start_server(SERVER_TIMEOUT)
        started = time.monotonic()
        kernel = attendee.kernel("notebooks/01_linear_regression.ipynb", KERNEL_TIMEOUT)
        run.kernel_seconds = time.monotonic() - started
        started = time.monotonic()
        for index, source in enumerate(cells):
            remaining = deadline - time.monotonic()
            result = kernel.execute(source, min(CELL_TIMEOUT, max(remaining, 1.0)))
            if result.error:
                run.problems.append(f"cell {index}: {result.error['ename']}: "
                                    f"{result.error['evalue']}")  # fmt: skip
                break
            if source in expected:
                run.check_seconds.append(result.seconds)
                got, wanted = verdict(result.stdout), expected[source]
                if got != wanted:
                    run.problems.append(f"cell {index}: verdict {got!r}, the solution's is "
                                        f"{wanted!r}: {result.stdout!r}")  # fmt: skip
        run.notebook_seconds = time.monotonic() - started
        where = kernel.execute("import sys, helpers; print(sys.executable, helpers.__file__)", 60)
        run.kernel_python = where.stdout.strip()
    except (HubError, TimeoutError, OSError, requests.RequestException,
            websocket.WebSocketException) as error:  # fmt: skip
        run.problems.append(f"{type(error).__name__}: {error}")
    finally:
        if kernel is not None:
            kernel.close()
    return run


def test_load_a_room_runs_notebook_01(classroom: Classroom) -> None:
    """ATTENDEES attendees at once: log in, start, open a kernel, run notebook 01's solution."""
    cells = notebook_code_cells(NOTEBOOK_01)
    assert any(CHECK_CALL.search(cell) for cell in cells), "notebook 01 has no check cell"
    load_before = os.getloadavg()
    started = time.monotonic()
    deadline = started + LOAD_DEADLINE
    with ThreadPoolExecutor(max_workers=len(classroom.attendees)) as pool:
        runs = list(pool.map(lambda n: run_notebook_01(classroom, n, cells, deadline),
                             classroom.attendees))  # fmt: skip
    wall = time.monotonic() - started
    usage = {name: memory_and_cpu(processes_of(classroom.hub.system_user(name).pw_uid))
             for name in classroom.attendees}  # fmt: skip
    # The hub's own processes (hub, proxy, culler: root's), not the attendees' servers under it.
    hub_usage = memory_and_cpu(sorted(set(process_tree(classroom.hub.process.pid))
                                      & set(processes_of(0))))  # fmt: skip

    checks = [seconds for run in runs for seconds in run.check_seconds]
    starts = [run.server_seconds for run in runs if run.server_seconds]
    report = {
        "attendees": len(runs),
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "wall_seconds": round(wall, 1),
        "check_cells_per_attendee": len(stored_verdicts(NOTEBOOK_01)),
        "check_seconds": _summary(checks),
        "server_start_seconds": _summary(starts),
        "kernel_start_seconds": _summary([r.kernel_seconds for r in runs if r.kernel_seconds]),
        "notebook_seconds": _summary([r.notebook_seconds for r in runs if r.notebook_seconds]),
        "login_seconds": _summary([r.login_seconds for r in runs if r.login_seconds]),
        "per_attendee_rss_mib": _summary([u[0] / 2**20 for u in usage.values()]),
        "per_attendee_pss_mib": _summary([u[1] / 2**20 for u in usage.values()]),
        "per_attendee_cpu_seconds": _summary([u[2] for u in usage.values()]),
        "hub_proxy_culler_pss_mib": round(hub_usage[1] / 2**20),
        "hub_proxy_culler_cpu_seconds": round(hub_usage[2], 1),
        "problems": {run.name: run.problems for run in runs if run.problems},
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=1) + "\n")
    print("\nclassroom load:", json.dumps({k: v for k, v in report.items() if k != "problems"},
                                           indent=1))  # fmt: skip

    for run in runs:  # every kernel is gone afterwards: memory for the next tests
        for session in classroom.attendee(run.name).request(
            "GET", f"/user/{run.name}/api/sessions"
        ).json():
            classroom.attendee(run.name).request(
                "DELETE", f"/user/{run.name}/api/sessions/{session['id']}"
            )
    assert not report["problems"], f"attendees did not finish: {report['problems']}"
    assert len(checks) == len(runs) * report["check_cells_per_attendee"]
    prefix = str(classroom.hub.layout.prefix)
    for run in runs:
        python, helpers_file = run.kernel_python.split()
        assert python.startswith(prefix + "/venv/") and helpers_file.startswith(prefix), (
            f"{run.name}'s kernel does not run the workshop's environment: {run.kernel_python}"
        )


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 3),
        "p95": round(percentile(values, 95), 3),
        "max": round(max(values), 3),
        "mean": round(statistics.fmean(values), 3),
    }


# --- isolation ---------------------------------------------------------------------------------

# Runs in attendee A's kernel: what A's own code can do to B, to solutions/ and to the hub.
PROBE = r"""
import json, os, urllib.error, urllib.request
params = json.loads(PARAMS)


def attempt(action):
    try:
        action()
        return "allowed"
    except PermissionError:
        return "denied"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except OSError as error:
        return f"{type(error).__name__}: {error}"


def read(path):
    with open(path, "rb") as file:
        file.read(1)


def append(path):
    with open(path, "a"):
        pass


def get(url, token=""):
    headers = {"Authorization": f"token {token}"} if token else {}
    urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10).read()


other, solution = params["other_home"], params["solutions"] + "/01_linear_regression.ipynb"
own_token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
refused = {
    "list another's home": lambda: os.listdir(other),
    "read another's notebook": lambda: read(other + "/notebooks/01_linear_regression.ipynb"),
    "write in another's home": lambda: append(other + "/intruder.txt"),
    "change a solution": lambda: append(solution),
    "add a file to solutions/": lambda: append(params["solutions"] + "/intruder.ipynb"),
    "delete a solution": lambda: os.remove(solution),
    "chmod a solution": lambda: os.chmod(solution, 0o666),
    "change a solution via ~/solutions": lambda: append(
        os.path.expanduser("~/solutions/01_linear_regression.ipynb")),
    "change helpers/": lambda: append(params["helpers"]),
    "read the hub's roster": lambda: read(params["roster"]),
    "read the hub's database": lambda: read(params["database"]),
    "read another's server environment": lambda: read(f"/proc/{params['other_pid']}/environ"),
    "list another's kernel sockets": lambda: os.listdir(params["other_runtime"]),
    "hub API, no token": lambda: get(params["hub_api"] + "/users"),
    "hub API, own server's token": lambda: get(params["hub_api"] + "/users", own_token),
    "proxy API, no token": lambda: get(params["proxy_api"] + "/api/routes"),
    "another's server, own server's token": lambda: get(
        params["other_server"] + "api/contents", own_token),
}
allowed = {
    "write in own home": lambda: append(os.path.expanduser("~/notebooks/probe.txt")),
    "read a solution": lambda: read(solution),
    "own server, own server's token": lambda: get(params["own_server"] + "api/status", own_token),
}
print(json.dumps({
    "refused": {what: attempt(action) for what, action in refused.items()},
    "allowed": {what: attempt(action) for what, action in allowed.items()},
}))
"""


def server_target(classroom: Classroom, name: str) -> str:
    """Where the proxy sends ``/user/NAME/`` (the server's own 127.0.0.1 port), asked as root."""
    token = classroom.hub.layout.proxy_token.read_text().strip()
    routes = requests.get(
        f"http://127.0.0.1:{classroom.hub.proxy_api_port}/api/routes",
        headers={"Authorization": f"token {token}"},
        timeout=10,
    ).json()
    return routes[f"/user/{name}"]["target"] + f"/user/{name}/"


def server_pid(classroom: Classroom, name: str) -> int:
    uid = classroom.hub.system_user(name).pw_uid
    for pid in processes_of(uid):
        if b"jupyterhub-singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    raise AssertionError(f"{name} has no jupyterhub-singleuser process")


def solutions_digest(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.ipynb"))}


def test_isolation_between_attendees(classroom: Classroom) -> None:
    """An attendee cannot touch another's files, solutions/, the admin API or others' servers."""
    name_a, name_b = classroom.attendees[:2]
    a, b = classroom.running(name_a), classroom.running(name_b)
    layout = classroom.hub.layout
    before = solutions_digest(layout.workshop / "solutions")
    assert before == solutions_digest(ROOT / "solutions"), "setup's solutions differ from ours"

    # Logging in: a wrong password, an unknown name, another's password are all refused.
    url, passwords = classroom.hub.url, classroom.hub.passwords
    assert login(url, name_a, passwords[name_a] + "x").status_code == 403
    assert login(url, name_a, passwords[name_b]).status_code == 403
    assert login(url, "nobody-here", passwords[name_a]).status_code == 403
    assert login(url, INSTRUCTOR, passwords[name_a]).status_code == 403

    # The hub's REST API: A sees and changes only A.
    for method, path, body in [
        ("GET", "/hub/api/users", None),
        ("POST", "/hub/api/users", {"usernames": ["intruder"]}),
        ("PATCH", f"/hub/api/users/{name_a}", {"admin": True}),
        ("POST", f"/hub/api/users/{name_b}/tokens", {}),
        ("GET", "/hub/api/proxy", None),
    ]:
        answer = a.request(method, path, json=body)
        assert answer.status_code == 403, f"{name_a}: {method} {path} -> {answer.status_code}"
    for method, path in [("GET", f"/hub/api/users/{name_b}"),
                         ("POST", f"/hub/api/users/{name_b}/server"),
                         ("DELETE", f"/hub/api/users/{name_b}/server")]:  # fmt: skip
        status = a.request(method, path).status_code
        assert status in (403, 404), f"{name_a}: {method} {path} -> {status}"
    assert b.server()["ready"], f"{name_b}'s server was touched"
    admin = classroom.attendee(INSTRUCTOR)
    assert admin.expect(200, "GET", "/hub/api/user").json()["admin"], "the instructor is admin"
    assert not a.expect(200, "GET", "/hub/api/user").json()["admin"]
    listed = {user["name"] for user in admin.expect(200, "GET", "/hub/api/users").json()}
    assert {name_a, name_b} <= listed, "the instructor (admin) lists every attendee"

    # Servers, through the proxy: A's token does not open B's server; no token opens nothing.
    assert a.request("GET", f"/user/{name_b}/api/contents").status_code == 403
    anonymous = requests.get(f"{url}/user/{name_a}/api/contents", timeout=30,
                             allow_redirects=False)  # fmt: skip
    assert anonymous.status_code in (302, 403), f"no token: {anonymous.status_code}"
    # solutions/ through A's own server: read yes, write no.
    solution = "solutions/01_linear_regression.ipynb"
    model = a.contents(solution).json()
    assert model["type"] == "notebook" and model["writable"] is False
    assert a.contents(solution, "PUT", json=model).status_code == 403
    assert a.contents(solution, "DELETE").status_code >= 400
    assert a.contents("solutions/intruder.txt", "PUT", json={"type": "file", "format": "text",
                      "content": "x"}).status_code == 403  # fmt: skip

    # A's own code, in A's kernel, as a local process of A's account.
    params = {
        "other_home": str(classroom.home(name_b)),
        "solutions": str(layout.workshop / "solutions"),
        "helpers": str(layout.workshop / "helpers" / "__init__.py"),
        "roster": str(layout.accounts),
        "database": str(layout.database),
        "other_pid": server_pid(classroom, name_b),
        "other_runtime": str(layout.runtime / str(classroom.hub.system_user(name_b).pw_uid)),
        "hub_api": f"http://127.0.0.1:{classroom.hub.hub_port}/hub/api",
        "proxy_api": f"http://127.0.0.1:{classroom.hub.proxy_api_port}",
        "other_server": server_target(classroom, name_b),
        "own_server": server_target(classroom, name_a),
    }
    kernel = a.kernel("notebooks/probe.ipynb", KERNEL_TIMEOUT)
    try:
        result = kernel.execute(f"PARAMS = {json.dumps(params)!r}\n{PROBE}", CELL_TIMEOUT)
    finally:
        kernel.close()
    assert result.error is None, result.error
    outcome = json.loads(result.stdout)
    print(json.dumps(outcome, indent=1))
    assert outcome["allowed"] == dict.fromkeys(outcome["allowed"], "allowed")
    leaks = {what: got for what, got in outcome["refused"].items()
             if got not in ("denied", "HTTP 403")}  # fmt: skip
    assert not leaks, f"{name_a} could: {leaks}"
    assert solutions_digest(layout.workshop / "solutions") == before, "solutions/ changed"


# --- resource limits ----------------------------------------------------------------------------

LIMITS_PROBE = r"""
import json, os, resource, threading
import numpy as np

report = {
    "address space": resource.getrlimit(resource.RLIMIT_AS),
    "processes": resource.getrlimit(resource.RLIMIT_NPROC),
    "niceness": os.nice(0),
}
try:
    too_big = np.ones(int(1.5 * LIMIT) // 8)
    report["allocate 1.5 x the limit"] = "allocated"
    del too_big
except MemoryError:
    report["allocate 1.5 x the limit"] = "MemoryError"
small = np.ones(2**27 // 8)  # 128 MiB: well within the limit
report["allocate 128 MiB"] = int(small.nbytes)
del small
try:
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    report["raise the limit"] = "raised"
except (ValueError, OSError):
    report["raise the limit"] = "refused"
stop, threads = threading.Event(), []
try:
    for _ in range(2 * report["processes"][0]):
        thread = threading.Thread(target=stop.wait)
        thread.start()
        threads.append(thread)
    report["threads"] = f"started all {len(threads)}"
except RuntimeError:
    report["threads"] = len(threads)
finally:
    stop.set()
    for thread in threads:
        thread.join()
print(json.dumps(report))
"""


def test_resource_limits_hold(classroom: Classroom) -> None:
    """A kernel gets a MemoryError past its limit, cannot raise it, and its threads are capped."""
    attendee = classroom.running(classroom.attendees[-1])
    limit = ByteSpecification().validate(None, Settings().mem_limit)  # start's default
    kernel = attendee.kernel("notebooks/limits.ipynb", KERNEL_TIMEOUT)
    try:
        result = kernel.execute(f"LIMIT = {limit}\n{LIMITS_PROBE}", CELL_TIMEOUT)
        assert result.error is None, result.error
        report = json.loads(result.stdout)
        print(report)
        alive = kernel.execute("print(6 * 7)", 60)
    finally:
        kernel.close()
    assert report["address space"] == [limit, limit]
    assert report["processes"][0] == report["processes"][1] > 0
    assert report["niceness"] > 0, "attendees' processes should yield to the hub"
    assert report["allocate 1.5 x the limit"] == "MemoryError"
    assert report["allocate 128 MiB"] == 2**27
    assert report["raise the limit"] == "refused"
    assert isinstance(report["threads"], int) and report["threads"] < report["processes"][0]
    assert alive.stdout.strip() == "42", "the kernel survived its MemoryError"


# --- browser -----------------------------------------------------------------------------------


def answered_notebook(path: Path) -> dict:
    """The exercise notebook as an attendee who answered everything has it: the solution's code,
    no outputs (written through the contents API, where the attendee would type)."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    return notebook


def browser_login(page: Any, url: str, name: str, password: str) -> None:
    """The hub's login page: a wrong password is refused, then the right one lands in JupyterLab
    (the first login spawns the server, and first_login.py copies the notebooks)."""
    page.goto(f"{url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", password + "-wrong")
    page.click("#login_submit")
    page.wait_for_selector(".login_error")
    assert "Invalid username or password" in page.inner_text(".login_error")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/lab/tree/notebooks**")


def run_all_in_lab(page: Any, url: str, name: str, relative: str) -> list[dict[str, Any]]:
    """Open ``relative`` in the attendee's JupyterLab, Run All, wait; the cells as the page has
    them (the JavaScript of test_browser.py)."""
    from test_browser import CELLS, FIND_PANEL, FINISHED, KERNEL_IDLE, RUN_ALL

    page.goto(f"{url}/user/{name}/lab/tree/{relative}?reset")
    page.wait_for_function(FIND_PANEL, arg=relative)
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL_TIMEOUT * 1000)
    page.evaluate(RUN_ALL)
    page.wait_for_function(FINISHED, polling=200, timeout=CELL_TIMEOUT * 1000)
    return page.evaluate(CELLS)


@pytest.mark.browser  # also a browser test: `-m "not browser"` leaves it out
def test_browser_two_attendees(classroom: Classroom) -> None:
    """Two attendees log in with Chromium: own notebooks, a check cell, a slider that reacts."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS, check_execution, check_figures, check_widgets

    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} not found: `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    url, passwords = classroom.hub.url, classroom.hub.passwords
    expected = stored_verdicts(NOTEBOOK_01)
    relative = "notebooks/01_linear_regression.ipynb"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        pages = {}
        try:
            for name in classroom.browser_attendees:
                page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.set_default_timeout(SERVER_TIMEOUT * 1000)
                pages[name] = page
                browser_login(page, url, name, passwords[name])
                listing = page.locator(".jp-DirListing-itemText")
                listing.filter(has_text="01_linear_regression.ipynb").wait_for()
                shown = set(listing.all_inner_texts())
                own = {p.name for p in (classroom.home(name) / "notebooks").glob("*.ipynb")}
                assert own and own <= shown, f"{name} sees {shown}, their notebooks are {own}"

                # The attendee's answers in their own copy, then Run All.
                classroom.attendee(name).save_notebook(relative, answered_notebook(NOTEBOOK_01))
                cells = run_all_in_lab(page, url, name, relative)
                where = f"{name}: {relative}"
                check_execution(where, cells)
                check_figures(where, cells, page)
                verdicts = {cell["source"]: verdict(json.dumps(cell["outputs"], ensure_ascii=False))
                            for cell in cells if cell["source"] in expected}  # fmt: skip
                assert verdicts == expected, f"{where}: check verdicts {verdicts}"
                check_widgets(where, cells, page)
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"))

            # Each attendee's browser is refused the other's server.
            first, second = classroom.browser_attendees
            for name, other in ((first, second), (second, first)):
                answer = pages[name].goto(f"{url}/user/{other}/lab")
                assert answer is not None and answer.status == 403, (
                    f"{name} opening {other}'s JupyterLab got {answer and answer.status}"
                )
        finally:
            chromium.close()


# --- durability --------------------------------------------------------------------------------


def test_saved_notebooks_survive_a_hub_restart(classroom: Classroom) -> None:
    """Every attendee saves; the hub restarts (servers keep running), then every server does."""
    path = "notebooks/01_linear_regression.ipynb"
    markers = {name: f"saved by {name} {os.urandom(4).hex()}" for name in classroom.attendees}

    def save(name: str) -> str:
        attendee = classroom.running(name)
        notebook = attendee.read_notebook(path)
        notebook.cells.append(nbformat.v4.new_code_cell(f"print({markers[name]!r})"))
        attendee.save_notebook(path, notebook)
        return attendee.server()["started"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        started = dict(zip(classroom.attendees, pool.map(save, classroom.attendees), strict=True))

    classroom.hub.restart()
    for name in classroom.attendees:  # same tokens, same servers
        server = classroom.attendee(name).server()
        assert server and server["ready"] and server["started"] == started[name], (
            f"{name}'s server did not survive the hub's restart: {server}"
        )

    def restart_and_open(name: str) -> str:
        """'' when the saved notebook is there, valid, and its last cell runs; else the problem."""
        attendee = classroom.attendee(name)
        try:
            attendee.stop_server(SERVER_TIMEOUT)
            attendee.start_server(SERVER_TIMEOUT)
            notebook = attendee.read_notebook(path)
            nbformat.validate(notebook)
            last = notebook.cells[-1].source
            if markers[name] not in last:
                return f"the saved cell is gone: {last!r}"
            kernel = attendee.kernel(path, KERNEL_TIMEOUT)
            try:
                printed = kernel.execute(last, CELL_TIMEOUT).stdout.strip()
            finally:
                kernel.close()
            return "" if printed == markers[name] else f"the saved cell printed {printed!r}"
        except (HubError, TimeoutError, OSError, requests.RequestException,
                websocket.WebSocketException, nbformat.ValidationError) as error:  # fmt: skip
            return f"{type(error).__name__}: {error}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        problems = dict(zip(classroom.attendees, pool.map(restart_and_open, classroom.attendees),
                            strict=True))  # fmt: skip
    problems = {name: problem for name, problem in problems.items() if problem}
    assert not problems, f"saved notebooks lost or broken: {problems}"


# --- idle culling ------------------------------------------------------------------------------


def test_idle_servers_are_culled(classroom: Classroom) -> None:
    """With a short idle timeout, jupyterhub-idle-culler stops every idle server; files stay."""
    admin = classroom.attendee(INSTRUCTOR)

    def running() -> set[str]:
        users = admin.expect(200, "GET", "/hub/api/users").json()
        return {user["name"] for user in users if user.get("servers", {}).get("", {}).get("ready")}

    classroom.running(classroom.attendees[0])
    before = running()
    assert before, "no server is running to be culled"
    classroom.hub.restart("--cull-timeout", "10", "--cull-every", "5")
    deadline = time.monotonic() + 120
    while running() and time.monotonic() < deadline:
        time.sleep(2)
    assert not running(), f"still running after 120 s: {running()}"
    culled = set(re.findall(r"Culling server (\S+?)/? \(inactive", classroom.hub.log_tail(10**7)))
    assert before <= culled, f"stopped, but not by the culler: {before - culled}"
    for name in before:
        assert (classroom.home(name) / "notebooks" / "01_linear_regression.ipynb").exists()


def test_the_hub_logged_no_error(classroom: Classroom) -> None:
    """Nothing above went wrong silently: no ERROR or CRITICAL line in the hub's log (which
    holds the proxy's, the culler's and every attendee's server's too), but for the refusals the
    browser test provoked on purpose."""
    first, second = classroom.browser_attendees
    provoked = [re.compile(rf"User <User\({a} .*not allowed to access Server at /user/{b}/")
                for a, b in ((first, second), (second, first))]  # fmt: skip
    errors = [line for line in classroom.hub.errors_in_log()
              if not any(pattern.search(line) for pattern in provoked)]  # fmt: skip
    assert not errors, "\n".join(errors[:20])
