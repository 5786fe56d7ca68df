"""The classroom hub as the tests run it: set up in a temporary prefix, started, restarted, removed.

Everything goes through the README's commands (``python -m classroom setup|start|teardown``) with
a temporary prefix and homes under /tmp (reachable by the attendees' accounts, unlike pytest's
0700 temporary folders), system accounts with a random prefix, and free ports on 127.0.0.1.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from classroom import accounts
from classroom.layout import PROXY, Layout

ROOT = Path(__file__).resolve().parent.parent
SETUP_TIMEOUT = 600  # seconds: the attendees' environment is built from the pinned packages
START_TIMEOUT = 90  # seconds until the hub answers through its proxy
STOP_TIMEOUT = 60


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports free on 127.0.0.1 (all held open while choosing)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def missing_prerequisites() -> list[str]:
    """What the classroom tests need and this machine lacks."""
    missing = []
    if not sys.platform.startswith("linux"):
        missing.append(f"Linux (this is {sys.platform})")
    elif os.geteuid() != 0:
        missing.append("root (the hub creates accounts and runs servers as them)")
    if shutil.which("node") is None:
        missing.append("Node.js (`apt-get install nodejs`)")
    if not PROXY.exists():
        missing.append(f"configurable-http-proxy (`npm ci --prefix {PROXY.parents[2]}`)")
    for command in ("useradd", "userdel"):
        if shutil.which(command) is None:
            missing.append(command)
    return missing


@dataclass
class ClassroomHub:
    """A set-up classroom and, while started, its hub process."""

    base: Path
    user_prefix: str
    passwords: dict[str, str]
    port: int = 0  # the three ports: chosen at the first start
    hub_port: int = 0
    proxy_api_port: int = 0
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def layout(self) -> Layout:
        return Layout(self.base / "prefix")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.base / "hub.log"

    def system_user(self, name: str) -> pwd.struct_passwd:
        return pwd.getpwnam(self.user_prefix + name)

    @classmethod
    def set_up(cls, count: int, instructor: str, log: Path) -> ClassroomHub:
        """``python -m classroom setup`` for ``count`` attendees in a new temporary prefix."""
        base = Path(tempfile.mkdtemp(prefix="classroom-test-", dir="/tmp"))
        base.chmod(0o755)
        user_prefix = f"clt{os.urandom(3).hex()}-"
        command = [
            sys.executable, "-m", "classroom", "setup", "--count", str(count),
            "--instructor", instructor, "--prefix", str(base / "prefix"),
            "--homes", str(base / "home"), "--user-prefix", user_prefix,
        ]  # fmt: skip
        hub = cls(base, user_prefix, {})
        try:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                                  timeout=SETUP_TIMEOUT)  # fmt: skip
        except BaseException:
            hub.tear_down()
            raise
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(done.stdout + done.stderr)
        if done.returncode:
            hub.tear_down()
            output = (done.stdout + done.stderr)[-4000:]
            raise RuntimeError(f"setup failed ({done.returncode}):\n{output}")
        lines = hub.layout.password_sheet.read_text().splitlines()
        hub.passwords = dict(line.split("\t", 1) for line in lines)
        return hub

    def start(self, *options: str) -> None:
        """``python -m classroom start``; returns once the hub answers through its proxy.

        The first start picks free ports (again, should one be taken meanwhile); restarts keep
        them, as a real hub keeps its address.
        """
        if self.process is not None:
            raise RuntimeError("the hub is running already")
        for _attempt in range(3 if self.starts == 0 else 1):
            if self.starts == 0:
                self.port, self.hub_port, self.proxy_api_port = free_ports(3)
            if self._start_once(options):
                self.starts += 1
                return
        raise RuntimeError(f"the hub did not start; its log ends with:\n{self.log_tail()}")

    def _start_once(self, options: tuple[str, ...]) -> bool:
        command = [
            sys.executable, "-m", "classroom", "start", "--prefix", str(self.layout.prefix),
            "--port", str(self.port), "--hub-port", str(self.hub_port),
            "--proxy-api-port", str(self.proxy_api_port), *options,
        ]  # fmt: skip
        with self.log.open("ab") as out:
            out.write(f"\n===== start: {' '.join(command)}\n".encode())
            out.flush()
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        return False

    def stop(self) -> None:
        """SIGTERM, as ``systemctl stop`` or Ctrl+C would; attendees' servers keep running."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        self._end_proxy()

    def _end_proxy(self) -> None:
        """The proxy this classroom's hub started, should it have outlived the hub."""
        try:
            pid = int(self.layout.proxy_pid.read_text())
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if str(PROXY).encode() in cmdline.read():
                    os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            pass

    def restart(self, *options: str) -> None:
        self.stop()
        self.start(*options)

    def log_tail(self, characters: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""

    def errors_in_log(self) -> list[str]:
        """Lines the hub logged at ERROR or CRITICAL level (the ``[E`` / ``[C`` prefix)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if re.match(r"^\[[EC] ", line)
                and "Received signal SIGTERM" not in line]  # fmt: skip

    def tear_down(self) -> None:
        """Stop the hub, then ``python -m classroom teardown``; any account left is removed."""
        self.stop()
        subprocess.run(
            [sys.executable, "-m", "classroom", "teardown", "--prefix", str(self.layout.prefix)],
            cwd=ROOT, capture_output=True, timeout=300,
        )  # fmt: skip
        # Should setup have failed before writing the roster:
        accounts.remove_system_users(self.leftover_accounts())
        shutil.rmtree(self.base, ignore_errors=True)

    def leftover_accounts(self) -> list[str]:
        return [e.pw_name for e in pwd.getpwall() if e.pw_name.startswith(self.user_prefix)]
