"""An attendee of the classroom hub, as the tests simulate one: REST calls and a kernel.

Logs in through the hub's REST API (a token for a name and password), starts and stops the
attendee's server, uses the server's contents API, and runs code in a kernel over the server's
websocket, as JupyterLab does, through the proxy. Every call has a timeout.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
import websocket

HTTP_TIMEOUT = 60  # seconds, one request (the hub may be busy spawning a room)


class HubError(AssertionError):
    """An unexpected answer of the hub or of a server."""


@dataclass
class Execution:
    """What one execute request produced."""

    seconds: float
    stdout: str = ""
    stderr: str = ""
    error: dict[str, Any] | None = None
    outputs: list[dict[str, Any]] = field(default_factory=list)


def login(url: str, name: str, password: str, note: str = "classroom test") -> requests.Response:
    """``POST /hub/api/users/NAME/tokens`` with the name and password (the answer, unchecked)."""
    return requests.post(
        f"{url}/hub/api/users/{name}/tokens",
        json={"auth": {"username": name, "password": password}, "note": note, "expires_in": 7200},
        timeout=HTTP_TIMEOUT,
    )


@dataclass
class Attendee:
    """One attendee holding an API token from :func:`login`."""

    url: str
    name: str
    token: str
    session: requests.Session = field(default_factory=requests.Session)

    @classmethod
    def log_in(cls, url: str, name: str, password: str) -> Attendee:
        answer = login(url, name, password)
        if answer.status_code != 201:
            raise HubError(f"{name}: login answered {answer.status_code} {answer.text[:200]}")
        return cls(url, name, answer.json()["token"])

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A request with the token (``path`` starts with /hub/ or /user/)."""
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        headers = {"Authorization": f"token {self.token}", **kwargs.pop("headers", {})}
        return self.session.request(method, self.url + path, headers=headers, **kwargs)

    def expect(self, status: int, method: str, path: str, **kwargs: Any) -> requests.Response:
        answer = self.request(method, path, **kwargs)
        if answer.status_code != status:
            raise HubError(f"{self.name}: {method} {path} answered {answer.status_code}, not "
                           f"{status}: {answer.text[:300]}")  # fmt: skip
        return answer

    def server(self) -> dict[str, Any] | None:
        """The hub's model of the attendee's default server, or None."""
        model = self.expect(200, "GET", f"/hub/api/users/{self.name}").json()
        return model.get("servers", {}).get("")

    def start_server(self, timeout: float) -> float:
        """Ask the hub for the server and wait until it is ready; the seconds it took."""
        started = time.monotonic()
        answer = self.request("POST", f"/hub/api/users/{self.name}/server")
        if answer.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"{self.name}: spawn answered {answer.status_code} {answer.text[:300]}")
        while time.monotonic() - started < timeout:
            server = self.server()
            if server and server.get("ready"):
                return time.monotonic() - started
            time.sleep(0.5)
        raise HubError(f"{self.name}: the server was not ready within {timeout} s")

    def stop_server(self, timeout: float) -> None:
        answer = self.request("DELETE", f"/hub/api/users/{self.name}/server")
        if answer.status_code not in (202, 204):
            raise HubError(f"{self.name}: stop answered {answer.status_code} {answer.text[:300]}")
        deadline = time.monotonic() + timeout
        while self.server() is not None:
            if time.monotonic() > deadline:
                raise HubError(f"{self.name}: the server did not stop within {timeout} s")
            time.sleep(0.5)

    def contents(self, path: str = "", method: str = "GET", **kwargs: Any) -> requests.Response:
        return self.request(method, f"/user/{self.name}/api/contents/{path}", **kwargs)

    def read_notebook(self, path: str) -> Any:
        """The notebook at ``path`` in the attendee's home (an nbformat node)."""
        import nbformat

        model = self.expect(200, "GET", f"/user/{self.name}/api/contents/{path}").json()
        return nbformat.from_dict(model["content"])

    def save_notebook(self, path: str, notebook: Any) -> None:
        """Save ``notebook`` at ``path``, as JupyterLab's Save does."""
        body = {"type": "notebook", "format": "json", "content": notebook}
        self.expect(200, "PUT", f"/user/{self.name}/api/contents/{path}", json=body)

    def kernel(self, path: str, timeout: float) -> Kernel:
        """A new kernel (a session for the notebook at ``path``), connected and ready."""
        answer = self.expect(
            201,
            "POST",
            f"/user/{self.name}/api/sessions",
            json={"path": path, "name": path.rsplit("/", 1)[-1], "type": "notebook",
                  "kernel": {"name": "python3"}},
        )  # fmt: skip
        kernel_id = answer.json()["kernel"]["id"]
        ws_url = self.url.replace("http", "ws", 1) + f"/user/{self.name}/api/kernels/{kernel_id}"
        session_id = uuid.uuid4().hex
        return Kernel.connect(f"{ws_url}/channels?session_id={session_id}", self.token, timeout,
                              session_id)  # fmt: skip


class Kernel:
    """A kernel's channels over the server's websocket (the JSON protocol, no subprotocol)."""

    def __init__(self, connection: websocket.WebSocket, session_id: str) -> None:
        self.connection = connection
        self.session_id = session_id

    @classmethod
    def connect(cls, url: str, token: str, timeout: float, session_id: str) -> Kernel:
        connection = websocket.create_connection(
            url, header=[f"Authorization: token {token}"], timeout=timeout
        )
        kernel = cls(connection, session_id)
        deadline = time.monotonic() + timeout
        # The kernel answers kernel_info once it is up; ask until it does.
        while True:
            msg_id = kernel._send("kernel_info_request", {})
            try:
                kernel._wait_reply(msg_id, "kernel_info_reply", min(5.0, timeout))
                return kernel
            except TimeoutError:
                if time.monotonic() > deadline:
                    connection.close()
                    raise HubError(f"the kernel did not answer within {timeout} s") from None

    def _send(self, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "username": "attendee", "session": self.session_id,
                  "msg_type": msg_type, "version": "5.3"}  # fmt: skip
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content,
                   "channel": "shell", "buffers": []}  # fmt: skip
        self.connection.send(json.dumps(message))
        return msg_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self.connection.settimeout(remaining)
        try:
            return json.loads(self.connection.recv())
        except websocket.WebSocketTimeoutException:
            raise TimeoutError from None

    def _wait_reply(self, msg_id: str, msg_type: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if (message.get("parent_header", {}).get("msg_id") == msg_id
                    and message["header"]["msg_type"] == msg_type):  # fmt: skip
                return message

    def execute(self, code: str, timeout: float) -> Execution:
        """Run ``code``; returns once the kernel is idle again (or raises TimeoutError)."""
        started = time.monotonic()
        deadline = started + timeout
        msg_id = self._send("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True,
        })  # fmt: skip
        result = Execution(seconds=0.0)
        replied = idle = False
        while not (replied and idle):
            message = self._receive(deadline)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "execute_reply":
                replied = True
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "stream":
                if content["name"] == "stdout":
                    result.stdout += content["text"]
                else:
                    result.stderr += content["text"]
            elif kind == "error":
                result.error = content
            elif kind in ("display_data", "execute_result"):
                result.outputs.append(content)
        result.seconds = time.monotonic() - started
        return result

    def close(self) -> None:
        self.connection.close()
