"""Secret files: written 0600 by root, never group- or world-readable, never committed."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class InsecureFileError(RuntimeError):
    """A secret file that others than its owner may read or write."""


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, readable by its owner only (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def read_private(path: Path) -> str:
    """The text of a secret file, after checking that only its owner can read or write it."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InsecureFileError(f"{path} is mode {stat.filemode(mode)}: run `chmod 600 {path}`")
    return path.read_text(encoding="utf-8").strip()


def ensure_token(path: Path, nbytes: int = 32) -> str:
    """The token stored in ``path``; a new random one (hex) when there is none yet."""
    if not path.exists():
        write_private(path, secrets.token_hex(nbytes) + "\n")
    return read_private(path)
