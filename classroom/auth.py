"""A JupyterHub authenticator for a one-day event: a generated password per attendee.

``python -m classroom setup`` generates the passwords, prints them for the instructor and stores
only their scrypt hashes in the roster (``<prefix>/hub/accounts.json``, 0600), which this reads at
every login: re-running setup (more attendees, new passwords) needs no restart for passwords.
Unlike a shared password, an attendee's password opens their own account only.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from jupyterhub.auth import Authenticator
from traitlets import Unicode

from classroom.passwords import hash_password, new_password, verify_password

# Checked against when the name is unknown, so that a wrong name costs as long as a wrong password.
_DECOY = hash_password(new_password())


class AttendeePasswordAuthenticator(Authenticator):
    """Checks the name and password against the roster's hashes."""

    roster_file = Unicode(help="The roster written by `python -m classroom setup`.").tag(
        config=True
    )

    def _roster(self) -> dict[str, Any]:
        return json.loads(Path(self.roster_file).read_text())["accounts"]

    async def authenticate(self, handler: Any, data: dict[str, str]) -> dict[str, Any] | None:
        name = self.normalize_username(data.get("username") or "")
        password = data.get("password") or ""
        account = self._roster().get(name)
        stored = account["password_hash"] if account else _DECOY
        matches = await asyncio.to_thread(verify_password, password, stored)
        if not (account and matches):
            self.log.warning("Failed login for %r", name)
            return None
        return {"name": name, "admin": account["admin"]}
