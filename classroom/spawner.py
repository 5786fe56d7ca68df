"""JupyterHub's local-process spawner, for the workshop's accounts, with enforced limits.

Each attendee's server runs as their own system account (the roster's, ``jupyter-NAME``) from the
shared environment, after ``first_login.py`` has prepared their home. Limits are set with
``setrlimit`` after the switch to the attendee's account, so the attendee cannot raise them, and
they hold without systemd or cgroups:

- ``mem_limit``: the address space of each process (``RLIMIT_AS``): the server and each kernel
  get a MemoryError beyond it, instead of pushing the machine into swap or the OOM killer;
- ``max_processes``: processes and threads of the account (``RLIMIT_NPROC``), against fork bombs;
- ``niceness``: attendees' processes yield the CPU to the hub and the proxy.

The CPU share is not capped (that needs cgroups): see the README's Capacity section.

Kernels talk to the server over Unix sockets in ``<prefix>/run/<uid>`` (0700), not TCP ports:
with a room starting kernels at once, a TCP port picked for one kernel can be taken before the
kernel binds it, and no other account can even reach an attendee's kernel sockets.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import resource
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Dict, Integer, Unicode, default

from classroom.layout import Layout


class WorkshopSpawner(LocalProcessSpawner):
    """A :class:`LocalProcessSpawner` for the classroom's accounts and shared environment."""

    workshop_prefix = Unicode(
        "/srv/workshop", help="The prefix that `python -m classroom setup` installed."
    ).tag(config=True)
    system_users = Dict(
        value_trait=Unicode(), key_trait=Unicode(), help="Hub name -> system account."
    ).tag(config=True)
    max_processes = Integer(
        256, help="Processes and threads per attendee account (RLIMIT_NPROC)."
    ).tag(config=True)
    niceness = Integer(5, help="Added to the niceness of attendees' processes.").tag(config=True)
    first_login_timeout = Integer(
        120, help="Seconds for first_login.py to prepare a home."
    ).tag(config=True)

    @property
    def system_user(self) -> str:
        try:
            return self.system_users[self.user.name]
        except KeyError:
            raise RuntimeError(f"{self.user.name!r} has no system account: run setup") from None

    @property
    def layout(self) -> Layout:
        return Layout(Path(self.workshop_prefix))

    @default("cmd")
    def _default_cmd(self) -> list[str]:
        return [str(self.layout.venv / "bin" / "jupyterhub-singleuser")]

    @default("notebook_dir")
    def _default_notebook_dir(self) -> str:
        return "~"

    @default("default_url")
    def _default_default_url(self) -> str:
        return "/lab/tree/notebooks"

    @default("env_keep")
    def _default_env_keep(self) -> list[str]:
        # Not the hub's PATH, PYTHONPATH or VIRTUAL_ENV: attendees use the shared environment.
        # OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are machine-specific fixes, kept where set.
        return ["LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]

    @property
    def runtime_dir(self) -> Path:
        """The attendee's Jupyter runtime folder: short, since socket paths have 107 bytes."""
        return self.layout.runtime / str(pwd.getpwnam(self.system_user).pw_uid)

    def prepare_runtime_dir(self) -> None:
        """Create ``runtime_dir`` (as root), owned by the attendee, 0700."""
        entry = pwd.getpwnam(self.system_user)
        parent = self.runtime_dir.parent
        parent.mkdir(mode=0o755, exist_ok=True)
        self.runtime_dir.mkdir(mode=0o700, exist_ok=True)
        os.chown(self.runtime_dir, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
        self.runtime_dir.chmod(0o700)

    def get_args(self) -> list[str]:
        args = super().get_args()
        # kernel-<uuid>-ipc-<n>: the longest socket path under the runtime folder
        if len(str(self.runtime_dir)) + len("/kernel-") + 36 + len("-ipc-5") <= 107:
            args.append("--KernelManager.transport=ipc")
        else:
            self.log.warning("%s is too long a path for kernel sockets: kernels use TCP",
                             self.runtime_dir)  # fmt: skip
        return args

    def _limits(self) -> list[tuple[int, int]]:
        limits = [(resource.RLIMIT_NPROC, self.max_processes)]
        if self.mem_limit:
            limits.append((resource.RLIMIT_AS, int(self.mem_limit)))
        return limits

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        """Become the attendee's account (not ``name``, the hub's), then set the limits."""
        become = set_user_setuid(self.system_user)
        limits, niceness = self._limits(), self.niceness

        def preexec() -> None:
            become()
            os.nice(niceness)
            for kind, value in limits:
                resource.setrlimit(kind, (value, value))

        return preexec

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        entry = pwd.getpwnam(self.system_user)
        env.update(USER=self.system_user, HOME=entry.pw_dir, SHELL=entry.pw_shell)
        return env

    def get_env(self) -> dict[str, Any]:
        env = super().get_env()
        env["PATH"] = f"{self.layout.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin"
        env["JUPYTER_RUNTIME_DIR"] = str(self.runtime_dir)
        # One BLAS thread per kernel: a room of kernels shares a few cores.
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
        # Two malloc arenas, not up to 8 per core: each arena reserves 64 MiB of address space,
        # which counts against mem_limit (RLIMIT_AS) without being used.
        env["MALLOC_ARENA_MAX"] = "2"
        return env

    async def prepare_home(self) -> None:
        """Run ``first_login.py`` as the attendee (the same account switch and limits)."""
        home = pwd.getpwnam(self.system_user).pw_dir
        layout = self.layout
        process = await asyncio.create_subprocess_exec(
            str(layout.python),
            str(layout.first_login),
            str(layout.workshop),
            str(layout.font_cache),
            env={"HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            preexec_fn=self.make_preexec_fn(self.user.name),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(), self.first_login_timeout)
        except TimeoutError:
            process.kill()
            raise RuntimeError(f"preparing {home} took over {self.first_login_timeout} s") from None
        text = output.decode(errors="replace").strip()
        if process.returncode:
            raise RuntimeError(f"preparing {home} failed:\n{text[-2000:]}")
        if text:
            self.log.info("%s: %s", self.system_user, text.replace("\n", "; "))

    async def start(self) -> Any:
        self.prepare_runtime_dir()
        await self.prepare_home()
        return await super().start()
