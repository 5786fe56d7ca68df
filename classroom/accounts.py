"""Attendees' system accounts: created, and removed after the event.

Each attendee (and the instructor) has a hub name (``attendee07``, or a name from a list) and a
system account ``<user prefix><name>`` (``jupyter-attendee07``, as The Littlest JupyterHub names
them), whose home is 0700: attendees' files are separated by Unix permissions. Accounts created
here carry a marker in their GECOS field, and only accounts with that marker are ever reused or
removed.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

MARKER = "dl-from-scratch classroom account"
MAX_SYSTEM_NAME = 32  # useradd's limit


def check_length(system_users: Iterable[str]) -> None:
    """Raise ValueError for a system account name longer than useradd allows."""
    for system_user in system_users:
        if len(system_user) > MAX_SYSTEM_NAME:
            raise ValueError(f"{system_user!r} is longer than {MAX_SYSTEM_NAME} characters")


def ensure_system_user(system_user: str, home: Path) -> pwd.struct_passwd:
    """The account ``system_user``, created (with a 0700 home) unless it exists already.

    An existing account is reused only when this module created it (its GECOS has the marker).
    """
    entry = classroom_account(system_user)
    if entry is None:
        home.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
             "--comment", MARKER, "--user-group", system_user],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        entry = pwd.getpwnam(system_user)
    os.chmod(entry.pw_dir, 0o700)  # Debian's useradd makes homes 0755
    return entry


def processes_of(*uids: int) -> list[int]:
    """Process ids whose real user id is one of ``uids`` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:  # ended meanwhile
            continue
        match = re.search(r"^Uid:\s+(\d+)", text, re.MULTILINE)
        if match and int(match[1]) in uids:
            found.append(int(status.parent.name))
    return found


def end_processes(uids: Iterable[int], grace: float = 5.0) -> None:
    """Terminate, then kill, every process of ``uids`` (classroom accounts', never root's)."""
    uids = tuple(uids)
    if 0 in uids:
        raise ValueError("refusing to end root's processes")
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in processes_of(*uids):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while processes_of(*uids) and time.monotonic() < deadline:
            time.sleep(0.2)


def classroom_account(system_user: str) -> pwd.struct_passwd | None:
    """The account, if it exists; raises if it exists and is not a classroom account."""
    try:
        entry = pwd.getpwnam(system_user)
    except KeyError:
        return None
    if entry.pw_gecos != MARKER:
        raise RuntimeError(f"refusing to touch {system_user!r}: not a classroom account")
    return entry


def remove_system_users(system_users: Iterable[str]) -> list[str]:
    """End the accounts' processes (all at once), then delete them and their homes.

    Returns the accounts removed (those that existed).
    """
    entries = [entry for name in system_users if (entry := classroom_account(name))]
    end_processes(entry.pw_uid for entry in entries)
    for entry in entries:
        subprocess.run(["userdel", entry.pw_name], check=True, capture_output=True, text=True)
        shutil.rmtree(entry.pw_dir, ignore_errors=True)
    return [entry.pw_name for entry in entries]
