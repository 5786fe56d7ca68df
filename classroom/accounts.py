"""Attendees' system accounts and the roster the hub authenticates against.

Each attendee (and the instructor) has a hub name (``attendee07``, or a name from a list) and a
system account ``<user prefix><name>`` (``jupyter-attendee07``, as The Littlest JupyterHub names
them), whose home is 0700: attendees' files are separated by Unix permissions. Accounts created
here carry a marker in their GECOS field, and only accounts with that marker are ever reused or
removed.

The roster, ``<prefix>/hub/accounts.json`` (0600), maps each hub name to its system account, its
admin flag and its password hash.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from classroom.credentials import read_private, write_private

MARKER = "dl-from-scratch classroom account"
NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
MAX_SYSTEM_NAME = 32  # useradd's limit


@dataclass(frozen=True)
class Account:
    """One person of the roster."""

    name: str
    system_user: str
    admin: bool
    password_hash: str


def numbered_names(count: int, stem: str = "attendee") -> list[str]:
    """``attendee01`` ... ``attendeeNN`` (at least two digits)."""
    if count < 1:
        raise ValueError(f"the number of attendees must be at least 1, not {count}")
    width = max(2, len(str(count)))
    return [f"{stem}{number:0{width}d}" for number in range(1, count + 1)]


def names_from_file(path: Path) -> list[str]:
    """One name a line; blank lines and ``#`` comments are skipped."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def check_names(names: Iterable[str], user_prefix: str) -> None:
    """Raise ValueError, naming the culprit, for an invalid, duplicate or too long name."""
    seen: set[str] = set()
    for name in names:
        if not NAME.match(name):
            raise ValueError(
                f"{name!r}: a name is lowercase letters, digits and '-', starting with a letter"
            )
        if name in seen:
            raise ValueError(f"{name!r} appears twice")
        seen.add(name)
        if len(user_prefix + name) > MAX_SYSTEM_NAME:
            raise ValueError(f"{user_prefix + name!r} is longer than {MAX_SYSTEM_NAME} characters")


def ensure_system_user(system_user: str, home: Path) -> pwd.struct_passwd:
    """The account ``system_user``, created (with a 0700 home) unless it exists already.

    An existing account is reused only when this module created it (its GECOS has the marker).
    """
    try:
        entry = pwd.getpwnam(system_user)
    except KeyError:
        home.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
             "--comment", MARKER, "--user-group", system_user],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        entry = pwd.getpwnam(system_user)
    if entry.pw_gecos != MARKER:
        raise RuntimeError(f"the system account {system_user!r} exists and is not ours: choose "
                           "another name or --user-prefix")  # fmt: skip
    os.chmod(entry.pw_dir, 0o700)  # Debian's useradd makes homes 0755
    return entry


def processes_of(uid: int) -> list[int]:
    """Process ids whose real user id is ``uid`` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:  # ended meanwhile
            continue
        match = re.search(r"^Uid:\s+(\d+)", text, re.MULTILINE)
        if match and int(match[1]) == uid:
            found.append(int(status.parent.name))
    return found


def end_processes(uid: int, grace: float = 5.0) -> None:
    """Terminate, then kill, every process of ``uid`` (a classroom account's, never root's)."""
    if uid == 0:
        raise ValueError("refusing to end root's processes")
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in processes_of(uid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while processes_of(uid) and time.monotonic() < deadline:
            time.sleep(0.1)


def remove_system_user(system_user: str) -> bool:
    """End the account's processes, then delete it and its home; False if it did not exist."""
    try:
        entry = pwd.getpwnam(system_user)
    except KeyError:
        return False
    if entry.pw_gecos != MARKER:
        raise RuntimeError(f"refusing to remove {system_user!r}: not a classroom account")
    end_processes(entry.pw_uid)
    subprocess.run(["userdel", system_user], check=True, capture_output=True, text=True)
    shutil.rmtree(entry.pw_dir, ignore_errors=True)
    return True


def load_roster(path: Path) -> dict[str, Account]:
    """The roster in ``path`` (empty when there is none yet)."""
    if not path.exists():
        return {}
    data = json.loads(read_private(path))
    return {name: Account(**fields) for name, fields in data["accounts"].items()}


def save_roster(path: Path, roster: dict[str, Account]) -> None:
    """Write the roster, 0600."""
    data = {"accounts": {name: asdict(account) for name, account in sorted(roster.items())}}
    write_private(path, json.dumps(data, indent=1) + "\n")
