"""The roster: who may log in, as which system account, with which password.

Two files, both 0600: ``accounts.json``, what the hub reads (each name's system account, admin
flag and scrypt hash), and ``passwords.txt``, the instructor's sheet (name, tab, password) to
print and hand out; delete it after printing if you prefer, re-running setup then needs
``--new-passwords``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from classroom.credentials import read_private, write_private
from classroom.passwords import hash_password, new_password

NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


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


def check_names(names: Iterable[str]) -> None:
    """Raise ValueError, naming the culprit, for an invalid or duplicate name."""
    seen: set[str] = set()
    for name in names:
        if not NAME.match(name):
            raise ValueError(
                f"{name!r}: a name is lowercase letters, digits and '-', starting with a letter"
            )
        if name in seen:
            raise ValueError(f"{name!r} appears twice")
        seen.add(name)


def load(path: Path) -> dict[str, Account]:
    """The roster in ``path`` (empty when there is none yet)."""
    if not path.exists():
        return {}
    data = json.loads(read_private(path))
    return {name: Account(**fields) for name, fields in data["accounts"].items()}


def read_sheet(path: Path) -> dict[str, str]:
    """Name -> password from the sheet (empty when there is none)."""
    if not path.exists():
        return {}
    lines = read_private(path).splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def update(
    roster_file: Path,
    sheet_file: Path,
    people: list[str],
    instructor: str,
    system_user: Callable[[str], str],
    new_passwords: bool = False,
) -> dict[str, str]:
    """Add ``people`` to the roster and the sheet; returns the sheet (name -> password).

    Existing people keep their password unless ``new_passwords``; people already on the roster
    but not in ``people`` stay.
    """
    roster, sheet = load(roster_file), read_sheet(sheet_file)
    for name in people:
        known = roster.get(name)
        if new_passwords or known is None or name not in sheet:
            sheet[name] = new_password()
            password_hash = hash_password(sheet[name])
        else:
            password_hash = known.password_hash
        roster[name] = Account(name, system_user(name), name == instructor, password_hash)
    data = {"accounts": {name: asdict(account) for name, account in sorted(roster.items())}}
    write_private(roster_file, json.dumps(data, indent=1) + "\n")
    write_private(sheet_file, "".join(f"{name}\t{sheet[name]}\n" for name in sorted(sheet)))
    return sheet
