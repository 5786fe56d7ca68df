"""Where the classroom keeps things: the repository's files and the shared prefix.

The prefix (``/srv/workshop`` by default) must be readable by every attendee, since their servers
and kernels run from it; only its ``hub/`` folder, which holds the secrets, the roster and the
hub's database, is root's alone (0700)::

    <prefix>/workshop/     notebooks/, solutions/ (read-only), helpers/, data/, requirements.txt
    <prefix>/venv/         the workshop's pinned environment: attendees' servers and kernels
    <prefix>/first_login.py, <prefix>/matplotlib/  what an attendee's first start copies home
    <prefix>/run/<uid>/    0700, the attendee's: their kernels' sockets
    <prefix>/hub/          0700: accounts.json, passwords.txt, secrets, jupyterhub.sqlite
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "classroom"
HUB_CONFIG = PACKAGE / "jupyterhub_config.py"
HUB_REQUIREMENTS = PACKAGE / "requirements.txt"
PROXY = PACKAGE / "node_modules" / ".bin" / "configurable-http-proxy"
DEFAULT_PREFIX = Path("/srv/workshop")


@dataclass(frozen=True)
class Layout:
    """The paths inside one classroom prefix."""

    prefix: Path

    @property
    def workshop(self) -> Path:
        return self.prefix / "workshop"

    @property
    def venv(self) -> Path:
        return self.prefix / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def first_login(self) -> Path:
        return self.prefix / "first_login.py"

    @property
    def font_cache(self) -> Path:
        return self.prefix / "matplotlib"

    @property
    def runtime(self) -> Path:
        """Attendees' Jupyter runtime folders, ``run/<uid>``: short paths, for kernel sockets."""
        return self.prefix / "run"

    @property
    def hub(self) -> Path:
        return self.prefix / "hub"

    @property
    def accounts(self) -> Path:
        return self.hub / "accounts.json"

    @property
    def password_sheet(self) -> Path:
        return self.hub / "passwords.txt"

    @property
    def cookie_secret(self) -> Path:
        return self.hub / "cookie_secret"

    @property
    def proxy_token(self) -> Path:
        return self.hub / "proxy_token"

    @property
    def culler_token(self) -> Path:
        return self.hub / "culler_token"

    @property
    def database(self) -> Path:
        return self.hub / "jupyterhub.sqlite"

    @property
    def hub_pid(self) -> Path:
        return self.hub / "jupyterhub.pid"

    @property
    def proxy_pid(self) -> Path:
        return self.hub / "proxy.pid"
