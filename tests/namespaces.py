"""Network namespaces with only loopback, for the tests that prove the workshop needs no network.

``unshare_command()`` finds an ``unshare`` invocation that works here (root, or unprivileged user
namespaces); ``LOOPBACK_UP`` is Python source that brings the namespace's loopback up (kernels
talk to Jupyter over ZMQ on 127.0.0.1). Where namespaces are not available the tests skip, except
with ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
# Tried in order; the first that can run `true` is used.
UNSHARE_CANDIDATES = [
    ["--net", "--pid", "--fork", "--kill-child"],
    ["--net", "--pid", "--fork", "--kill-child", "--map-root-user"],
    ["--net"],
    ["--net", "--map-root-user"],
]

LOOPBACK_UP = r"""
import fcntl, socket, struct
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1

def loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))
"""


def skip_or_fail(reason: str, what: str) -> NoReturn:
    """Skip locally; in CI (``CI=true``) a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the {what} test must run)")
    pytest.skip(reason)


@cache
def unshare_command() -> tuple[list[str] | None, str]:
    """The ``unshare`` command that works here, or None and why not."""
    if not sys.platform.startswith("linux"):
        return None, f"network namespaces need Linux (this is {sys.platform})"
    unshare = shutil.which("unshare")
    if unshare is None:
        return None, "`unshare` not found (Debian: apt-get install util-linux)"
    errors = []
    for options in UNSHARE_CANDIDATES:
        command = [unshare, *options]
        try:
            probe = subprocess.run([*command, "true"], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired) as error:
            errors.append(f"{' '.join(options)}: {error}")
            continue
        if probe.returncode == 0:
            return command, ""
        errors.append(f"{' '.join(options)}: {probe.stderr.strip() or probe.returncode}")
    return None, "cannot create a network namespace (" + "; ".join(errors) + ")"
