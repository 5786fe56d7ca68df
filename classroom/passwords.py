"""Per-attendee passwords: generated for a printed sheet, stored only as salted scrypt hashes.

Standard library only, so that a hub elsewhere (the Kubernetes setup) can load it as it is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No 0/o, 1/l/i: attendees type these from paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 3, 4  # "k7mq-2xpe-9hts": 12 characters, about 59 bits
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # 16 MiB and some 50 ms per check


def new_password() -> str:
    """A random password of three groups of four unambiguous characters."""
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
    )


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 2**20, dklen=32)


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex) of ``password`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (from :func:`hash_password`); False if malformed."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        computed = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
        return hmac.compare_digest(computed, bytes.fromhex(digest))
    except ValueError:
        return False
