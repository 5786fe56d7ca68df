"""The workshop as attendees see it: every notebook run in JupyterLab in a real browser.

nbval proves that the kernel produces the stored outputs; this test proves what it cannot: that
JupyterLab (started from the test environment) opens each notebook of ``solutions/`` and
``notebooks/``, runs all cells, renders figures as images and widgets as widgets, that moving a
slider or dropdown makes a round trip through the kernel and changes the widget's output, and that
the page asks no host other than 127.0.0.1 for anything.

Per notebook, after *Run All Cells*:

- every code cell executed; in an exercise notebook execution stops, as it does for an attendee,
  at the first error, which is a stub's ``NotImplementedError``, and every check cell before it
  printed "not implemented yet";
- a solution notebook (and ``00_setup``) shows no error and no stderr output;
- every figure is a rendered image; no "Error displaying widget";
- a screenshot is saved to ``test-artifacts/screenshots/<folder>__<name>.png`` (ignored by git).

Needs Debian's Chromium at ``/usr/bin/chromium`` (``apt-get install chromium``); without it the
test skips, except with ``CI=true``, where it fails. Run it alone with::

    python -m pytest -m browser
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, urlsplit

import pytest

from helpers.exercises import STUB

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "solutions").glob("*.ipynb")) + sorted(
    (ROOT / "notebooks").glob("*.ipynb")
)
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
STUB_MESSAGE = re.search(r'"(.*)"', STUB).group(1)
CHECK_CALL = re.compile(r"^\s*(?:\w+\s*=\s*)?check_(\w+)\(", re.MULTILINE)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SERVER_START_TIMEOUT = 60  # seconds
NOTEBOOK_TIMEOUT = 120  # seconds: open, run all cells, kernel idle
ROUND_TRIP_TIMEOUT = 30  # seconds: a widget change reaches the kernel and its output comes back
IN_CI = os.environ.get("CI", "").lower() == "true"


def _skip_or_fail(reason: str) -> NoReturn:
    """Skip locally; in CI (``CI=true``) a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser test must run)")
    pytest.skip(reason)


# --- the JupyterLab server -------------------------------------------------------------------


@dataclass
class LabServer:
    """A JupyterLab server started for the tests; ``stop`` leaves no process behind."""

    process: subprocess.Popen[bytes]
    url: str
    token: str
    log: Path
    _children: set[int] = field(default_factory=set)

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10) -> Any:
        """Call the server's REST API with the token; the decoded JSON answer (or None)."""
        data = json.dumps(body).encode() if body is not None else None
        if data is None and method in ("POST", "PATCH", "PUT"):
            data = b""
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            data=data,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def remember_children(self) -> None:
        """Note the server's descendants (kernels) so ``stop`` can make sure they are gone."""
        try:
            import psutil
        except ImportError:  # psutil comes with ipykernel; without it only the server is tracked
            return
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            return
        self._children.update(child.pid for child in children)

    def shutdown_kernels(self) -> None:
        """End every session and kernel the server runs, through its API."""
        self.remember_children()
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except (OSError, urllib.error.URLError) as error:  # ``stop`` ends them in any case
            warnings.warn(f"could not shut down the kernels: {error}", stacklevel=2)

    def stop(self) -> None:
        """Shut down through ``POST /api/shutdown``; terminate, then kill, what is still alive."""
        self.remember_children()
        if self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
            except (OSError, urllib.error.URLError):
                pass  # not answering: the fallback below ends it
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=5)
        _end_processes(self._children)


def _end_processes(pids: set[int]) -> None:
    """Terminate, then kill, those of ``pids`` (our kernels) that are still running."""
    try:
        import psutil
    except ImportError:
        return
    alive = []
    for pid in pids:
        try:
            alive.append(psutil.Process(pid))
        except psutil.Error:
            continue
    for process in alive:
        try:
            process.terminate()
        except psutil.Error:
            pass
    _, still_alive = psutil.wait_procs(alive, timeout=5)
    for process in still_alive:
        try:
            process.kill()
        except psutil.Error:
            pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_lab(base: Path, arguments: list[str] | None = None) -> LabServer:
    """Start JupyterLab of this environment on 127.0.0.1 with the repository as its root.

    ``arguments`` replace the default root argument (the quick-start test passes the README's);
    the server runs in the repository's folder either way.

    Settings, workspaces, runtime, config and user data live under ``base``, so an attendee's or
    developer's own JupyterLab setup plays no part; the environment's kernelspec stays
    discoverable (it lives under ``sys.prefix``). News and update checks are off.
    """
    settings = base / "settings"
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    for name in ("workspaces", "runtime", "config", "data", "ipython"):
        (base / name).mkdir()
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "IPYTHONDIR": str(base / "ipython"),
        "JUPYTER_PREFER_ENV_PATH": "1",
    }
    last_error = ""
    for _attempt in range(3):  # the free port may be taken between probing and binding
        port, token = _free_port(), secrets.token_hex(24)
        log = base / f"server-{port}.log"
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            *(arguments if arguments is not None else [f"--ServerApp.root_dir={ROOT}"]),
            f"--IdentityProvider.token={token}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        server = LabServer(process, f"http://127.0.0.1:{port}", token, log)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                server.api("GET", "/api/status", timeout=2)
                return server
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        server.stop()
        last_error = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"JupyterLab did not start; its log ends with:\n{last_error}")


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """One JupyterLab server for the whole module, shut down (and checked gone) afterwards."""
    if not NOTEBOOKS:
        pytest.skip("no notebooks in solutions/ or notebooks/")
    server = start_lab(tmp_path_factory.mktemp("jupyterlab"))
    try:
        yield server
    finally:
        server.stop()
    assert server.process.poll() is not None, "the JupyterLab server is still running"


@dataclass
class Browser:
    """One browser context for the module (its HTTP cache makes JupyterLab load faster) and
    the URLs requested so far, which each test empties and checks."""

    context: Any
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright."""
    if not CHROMIUM.exists():
        _skip_or_fail(
            f"{CHROMIUM} not found: install Debian's Chromium with `apt-get install chromium` "
            "(Playwright's own browser download needs the network and is not used)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed: python -m pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            recorder = Browser(context)
            # Every request of every page and worker of the context, web sockets included.
            context.on("request", lambda request: recorder.requests.append(request.url))
            context.on(
                "page",
                lambda page: page.on("websocket", lambda ws: recorder.requests.append(ws.url)),
            )
            yield recorder
        finally:
            chromium.close()


# --- what the page is asked to do ------------------------------------------------------------

# Find the notebook's panel through the app that --LabApp.expose_app_in_browser exposes.
FIND_PANEL = """(path) => {
    const app = window.jupyterapp;
    if (!app) return false;
    for (const widget of app.shell.widgets('main')) {
        if (widget.context && widget.context.path === path && widget.content
            && widget.content.model) {
            window.__panel = widget;
            return true;
        }
    }
    return false;
}"""

KERNEL_IDLE = """() => {
    const session = window.__panel.sessionContext;
    return session.isReady && !!session.session && !!session.session.kernel
        && session.session.kernel.status === 'idle';
}"""

RUN_ALL = """() => {
    window.__runAllDone = false;
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
        (result) => { window.__runAllResult = String(result); },
        (error) => { window.__runAllResult = 'error: ' + error; },
    ).finally(() => { window.__runAllDone = true; });
}"""

# Run All is over: its promise resolved, no cell is queued or running, the kernel is idle.
FINISHED = """() => {
    if (!window.__runAllDone) return false;
    const panel = window.__panel;
    const prompts = panel.node.querySelectorAll('.jp-InputPrompt');
    for (const prompt of prompts) if (prompt.textContent.includes('*')) return false;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    return !!kernel && kernel.status === 'idle';
}"""

# The notebook model as JupyterLab holds it (what the kernel sent to this page), and a marker on
# each cell's DOM node so that the test can find a cell's widgets.
CELLS = """() => {
    const panel = window.__panel;
    const cells = [];
    panel.content.widgets.forEach((cell, index) => {
        cell.node.setAttribute('data-test-cell', String(index));
        const model = cell.model;
        cells.push({
            index: index,
            type: model.type,
            source: model.sharedModel.getSource(),
            execution_count: model.type === 'code' ? model.executionCount : null,
            outputs: model.type === 'code' ? model.outputs.toJSON() : [],
        });
    });
    return cells;
}"""

# Everything in the notebook's widgets that only the kernel changes: the text of Output widgets
# (``interact`` draws into one) and HTML widgets, and every image a widget shows (an Output
# widget's figure, or an Image widget's PNG). Not the slider readouts: the page updates those
# itself. textContent, not innerText: it does not depend on what is laid out on screen.
WIDGET_OUTPUT = """() => {
    const node = window.__panel.node;
    const parts = [];
    for (const element of node.querySelectorAll('.widget-output, .widget-html-content')) {
        parts.push(element.textContent);
    }
    for (const img of node.querySelectorAll('.jupyter-widgets img, img.jupyter-widgets')) {
        parts.push(img.src);
    }
    return parts.join('\\n');
}"""

IMAGES_LOADED = """() => Array.from(window.__panel.node.querySelectorAll('.jp-RenderedImage img'))
    .filter((img) => img.complete && img.naturalWidth > 0).length"""

SCROLL_HEIGHT = """() => {
    const panel = window.__panel;
    const outer = panel && panel.node.querySelector('.jp-WindowedPanel-outer');
    return outer ? outer.scrollHeight : document.documentElement.scrollHeight;
}"""

SCROLL_TO_TOP = """() => new Promise((done) => {
    const panel = window.__panel;
    const outer = panel && panel.node.querySelector('.jp-WindowedPanel-outer');
    if (outer) outer.scrollTop = 0;
    requestAnimationFrame(() => requestAnimationFrame(done));
})"""


def _is_exercise(cells: list[dict[str, Any]]) -> bool:
    return any(cell["type"] == "code" and STUB in cell["source"] for cell in cells)


def _errors(cell: dict[str, Any]) -> list[dict[str, Any]]:
    return [output for output in cell["outputs"] if output.get("output_type") == "error"]


def _stream(cell: dict[str, Any], name: str) -> str:
    texts = [
        output.get("text", "")
        for output in cell["outputs"]
        if output.get("output_type") == "stream" and output.get("name") == name
    ]
    return "".join("".join(text) if isinstance(text, list) else text for text in texts)


def _has_mime(cell: dict[str, Any], mime: str) -> bool:
    return any(mime in output.get("data", {}) for output in cell["outputs"])


def check_execution(name: str, cells: list[dict[str, Any]]) -> None:
    """Every code cell ran; an exercise notebook stopped at a stub's NotImplementedError."""
    code = [cell for cell in cells if cell["type"] == "code" and cell["source"].strip()]
    failing = [cell for cell in code if _errors(cell)]
    if not _is_exercise(cells):
        assert not failing, (
            f"{name}: cell {failing[0]['index']} raised "
            f"{_errors(failing[0])[0]['ename']}: {_errors(failing[0])[0]['evalue']}"
        )
        missing = [cell["index"] for cell in code if cell["execution_count"] is None]
        assert not missing, f"{name}: code cells {missing} did not execute"
        return
    assert failing, f"{name} has stubs, but no cell raised their NotImplementedError"
    first = failing[0]
    error = _errors(first)[0]
    assert (error["ename"], error["evalue"]) == ("NotImplementedError", STUB_MESSAGE), (
        f"{name}: the first error (cell {first['index']}) is {error['ename']}: "
        f"{error['evalue']}, not the NotImplementedError of a stub"
    )
    before = [cell for cell in code if cell["index"] <= first["index"]]
    missing = [cell["index"] for cell in before if cell["execution_count"] is None]
    assert not missing, f"{name}: code cells {missing} before the first error did not execute"
    after = [cell["index"] for cell in code if cell["index"] > first["index"]]
    ran_after = [i for i in after if cells[i]["execution_count"] is not None]
    assert not ran_after, (
        f"{name}: cells {ran_after} ran after the first error (cell {first['index']})"
    )
    for cell in before:
        names = CHECK_CALL.findall(cell["source"])
        if any(check != "gradient" for check in names):
            assert "not implemented yet" in _stream(cell, "stdout"), (
                f"{name}, cell {cell['index']}: a check cell before the first error should "
                f"say 'not implemented yet', it printed {_stream(cell, 'stdout')!r}"
            )


def check_clean_outputs(name: str, cells: list[dict[str, Any]], page: Any) -> None:
    """No error and no stderr output, neither in the model nor on the page."""
    for cell in cells:
        stderr = _stream(cell, "stderr")
        assert not stderr, f"{name}, cell {cell['index']} wrote to stderr:\n{stderr}"
    rendered = page.locator(
        '.jp-NotebookPanel .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
    )
    assert rendered.count() == 0, (
        f"{name}: the page shows {rendered.count()} error/stderr output(s), the first:\n"
        f"{rendered.first.inner_text()}"
    )


def check_figures(name: str, cells: list[dict[str, Any]], page: Any) -> None:
    """Every figure the kernel sent is an image on the page; no figure fell back to text."""
    images = sum(
        "image/png" in output.get("data", {}) for cell in cells for output in cell["outputs"]
    )
    for cell in cells:
        for output in cell["outputs"]:
            data = output.get("data", {})
            text = "".join(data.get("text/plain", ""))
            assert not (text.startswith("<Figure size") and "image/png" not in data), (
                f"{name}, cell {cell['index']}: a figure shows as text {text!r}, not an image"
            )
    if images:
        page.wait_for_function(f"() => ({IMAGES_LOADED})() >= {images}", timeout=10_000)
    assert page.evaluate(IMAGES_LOADED) >= images


def check_widgets(name: str, cells: list[dict[str, Any]], page: Any) -> None:
    """Widgets render; moving a slider (or a dropdown) changes the output the kernel sends."""
    # Outputs only: 00_setup's markdown quotes the message to tell attendees what to look for.
    shown = "\n".join(page.locator(".jp-NotebookPanel .jp-OutputArea").all_inner_texts())
    assert "Error displaying widget" not in shown, f"{name}: an output says so"
    widget_cells = [cell for cell in cells if _has_mime(cell, WIDGET_MIME)]
    for cell in widget_cells:
        views = page.locator(f'[data-test-cell="{cell["index"]}"] .jupyter-widgets')
        try:
            views.first.wait_for(state="attached", timeout=10_000)
        except Exception as error:
            raise AssertionError(
                f"{name}, cell {cell['index']}: the kernel sent a widget, the page shows none "
                "(widget manager missing? see Troubleshooting in the README)"
            ) from error
    # The first widget cell with a slider or a dropdown: change it, watch the output change.
    for cell in widget_cells:
        root = page.locator(f'[data-test-cell="{cell["index"]}"]')
        slider = root.locator(".widget-slider .noUi-handle")
        dropdown = root.locator(".widget-dropdown select")
        if slider.count() == 0 and dropdown.count() == 0:
            continue
        try:  # the first output comes with the cell's execution; give it a moment to render
            page.wait_for_function(f"() => ({WIDGET_OUTPUT})().trim().length > 0", timeout=10_000)
        except Exception:
            pass  # an Output widget may legitimately start empty
        before = page.evaluate(WIDGET_OUTPUT)
        if slider.count():
            control = "slider"
            slider.first.scroll_into_view_if_needed()
            slider.first.click()
            for _ in range(3):
                slider.first.press("ArrowRight")
        else:
            control = "dropdown"
            options = dropdown.first.locator("option").count()
            current = dropdown.first.evaluate("(select) => select.selectedIndex")
            dropdown.first.select_option(index=(current + 1) % options)
        try:
            page.wait_for_function(
                f"(before) => {{ const now = ({WIDGET_OUTPUT})();"
                "  return now !== before && now.trim().length > 0; }",
                arg=before,
                timeout=ROUND_TRIP_TIMEOUT * 1000,
            )
        except Exception as error:
            raise AssertionError(
                f"{name}, cell {cell['index']}: moving the {control} did not change the "
                f"widget's output within {ROUND_TRIP_TIMEOUT} s (no round trip through the kernel)"
            ) from error
        page.wait_for_function(KERNEL_IDLE, timeout=ROUND_TRIP_TIMEOUT * 1000)
        print(f"{name}: moved the {control} of cell {cell['index']}, its output changed")
        return
    assert not widget_cells, (
        f"{name}: cells {[cell['index'] for cell in widget_cells]} hold widgets, but none has a "
        "slider or a dropdown to move"
    )


def _save_screenshot(page: Any, path: Path) -> None:
    """The whole notebook: the viewport is made as tall as the notebook's content."""
    try:
        height = int(page.evaluate(SCROLL_HEIGHT) or 0)
        if height:
            page.set_viewport_size({"width": 1280, "height": min(max(height + 200, 900), 16_000)})
            page.evaluate(SCROLL_TO_TOP)
    except Exception:
        pass  # the notebook never opened: screenshot what there is
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # a crashed page: report the test's own failure, not this
        warnings.warn(f"no screenshot {path.name}: {error}", stacklevel=2)


# --- the test --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "notebook", NOTEBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS]
)
def test_notebook_in_jupyterlab(notebook: Path, browser: Browser, lab: LabServer) -> None:
    """Open the notebook in JupyterLab, run all cells and check what an attendee would see."""
    relative = notebook.relative_to(ROOT).as_posix()
    name = relative
    browser.requests.clear()
    page = browser.context.new_page()
    page.set_default_timeout(NOTEBOOK_TIMEOUT * 1000)
    try:
        # Start the notebook's kernel while the page loads (as after a page reload, JupyterLab
        # attaches to the notebook's running session): saves a kernel start per notebook.
        kernel = json.loads(notebook.read_text()).get("metadata", {}).get("kernelspec", {})
        lab.api(
            "POST",
            "/api/sessions",
            {
                "path": relative,
                "name": notebook.name,
                "type": "notebook",
                "kernel": {"name": kernel.get("name", "python3")},
            },
        )
        # ?reset: start from an empty workspace, so only this notebook opens (with one kernel).
        page.goto(f"{lab.url}/lab/tree/{quote(relative)}?reset&token={lab.token}")
        page.wait_for_function(FIND_PANEL, arg=relative)
        try:
            page.wait_for_function(KERNEL_IDLE, timeout=60_000)
        except Exception as error:
            dialog = page.locator(".jp-Dialog")
            detail = dialog.first.inner_text() if dialog.count() else "no dialog"
            raise AssertionError(f"{name}: the kernel did not start ({detail})") from error
        started = time.monotonic()
        page.evaluate(RUN_ALL)
        page.wait_for_function(FINISHED, polling=200)
        seconds = time.monotonic() - started
        cells = page.evaluate(CELLS)

        check_execution(name, cells)
        if not _is_exercise(cells):
            check_clean_outputs(name, cells, page)
        check_figures(name, cells, page)
        check_widgets(name, cells, page)
        print(f"{name}: ran all cells in {seconds:.1f} s")
    finally:
        try:
            _save_screenshot(page, SCREENSHOTS / f"{notebook.parent.name}__{notebook.stem}.png")
        finally:
            page.close()
            lab.shutdown_kernels()
    requests = list(browser.requests)
    foreign = sorted(
        {
            url
            for url in requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).hostname not in LOCAL_HOSTS
        }
    )
    assert not foreign, f"{name}: the page made requests to other hosts: {foreign}"
    assert requests, f"{name}: no request was recorded"


# --- the README's quick start ------------------------------------------------------------------


def quick_start_arguments() -> list[str]:
    """What the README's quick start passes to ``jupyter lab`` (after the install step)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    command = re.findall(r"```bash\n(.*?)\n```", section, re.DOTALL)[0]
    return command.split("jupyter lab", 1)[1].split()


def test_quick_start_serves_the_repository_and_opens_setup_first(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The README's command serves the repository's folder: the exercises and the solutions are
    both reachable (``solutions/`` is not outside the server's root), and 00_setup opens first."""
    arguments = quick_start_arguments()
    assert "notebooks/00_setup.ipynb" in arguments
    server = start_lab(tmp_path_factory.mktemp("quickstart"), arguments)
    page = browser.context.new_page()
    try:
        listing = {item["name"] for item in server.api("GET", "/api/contents")["content"]}
        assert {"notebooks", "solutions"} <= listing, listing
        solution = server.api("GET", "/api/contents/solutions/01_linear_regression.ipynb")
        assert solution["type"] == "notebook"
        # the page the server opens in a browser (its runtime "open" files) is 00_setup's
        runtime = server.log.parent / "runtime"
        deadline = time.monotonic() + 10
        while not any("notebooks/00_setup.ipynb" in f.read_text(errors="replace")
                      for f in runtime.glob("jpserver-*open*.html")):
            assert time.monotonic() < deadline, sorted(p.name for p in runtime.iterdir())
            time.sleep(0.2)
        relative = "solutions/01_linear_regression.ipynb"
        page.goto(f"{server.url}/lab/tree/{quote(relative)}?reset&token={server.token}")
        page.wait_for_function(FIND_PANEL, arg=relative, timeout=60_000)
        page.locator(".jp-BreadCrumbs-home").first.click()
        page.locator(".jp-DirListing-itemName", has_text="solutions").first.wait_for()
        names = page.locator(".jp-DirListing-itemName").all_inner_texts()
        assert {"notebooks", "solutions"} <= {n.strip() for n in names}, names
    finally:
        page.close()
        server.shutdown_kernels()
        server.stop()
