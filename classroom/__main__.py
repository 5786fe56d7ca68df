"""``python -m classroom setup|start|teardown|roster``: the classroom server's commands.

``setup``, ``start`` and ``teardown`` run as root; ``roster`` (passwords for the Kubernetes
setup) does not. See the README, "Classroom server (JupyterHub)", and ``--help`` of each command.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from classroom import accounts, install, roster
from classroom.credentials import ensure_token
from classroom.layout import DEFAULT_PREFIX, HUB_CONFIG, PROXY, ROOT, Layout
from classroom.settings import ENVIRONMENT_VARIABLE, Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m classroom", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    setup = commands.add_parser("setup", help="accounts, passwords, secrets, the shared install")
    _add_people_options(setup)
    setup.add_argument("--user-prefix", default="jupyter-", help="system account = this + name")
    setup.add_argument("--homes", type=Path, default=Path("/home"), help="where homes are made")
    setup.add_argument("--python", type=Path, help="interpreter for the attendees' environment")

    start = commands.add_parser("start", help="run JupyterHub (Ctrl+C stops it)")
    defaults = Settings()
    start.add_argument("--ip", default=defaults.ip, help="public address (keep 127.0.0.1 "
                       "behind a TLS reverse proxy)")  # fmt: skip
    start.add_argument("--port", type=int, default=defaults.port)
    start.add_argument("--hub-port", type=int, default=defaults.hub_port)
    start.add_argument("--proxy-api-port", type=int, default=defaults.proxy_api_port)
    start.add_argument("--mem-limit", default=defaults.mem_limit, help="per process, e.g. 2G")
    start.add_argument("--max-processes", type=int, default=defaults.max_processes)
    start.add_argument("--cull-timeout", type=int, default=defaults.cull_timeout,
                       help="seconds idle before a server is stopped")  # fmt: skip
    start.add_argument("--cull-every", type=int, default=defaults.cull_every)
    start.add_argument("jupyterhub_args", nargs="*", help="after --: more JupyterHub options")

    teardown = commands.add_parser("teardown", help="remove the accounts, homes and prefix")
    teardown.add_argument("--keep-prefix", action="store_true", help="remove accounts only")

    for command in (setup, start, teardown):
        command.add_argument("--prefix", type=Path, default=DEFAULT_PREFIX,
                             help=f"the shared install (default {DEFAULT_PREFIX})")  # fmt: skip

    passwords = commands.add_parser("roster", help="only the roster and passwords (Kubernetes)")
    _add_people_options(passwords)
    passwords.add_argument("--out", type=Path, required=True, help="folder for the two files")
    return parser


def _add_people_options(command: argparse.ArgumentParser) -> None:
    who = command.add_mutually_exclusive_group(required=True)
    who.add_argument("--count", type=int, help="attendees attendee01 ... attendeeNN")
    who.add_argument("--names", type=Path, help="a file with one attendee name a line")
    command.add_argument("--instructor", default="instructor", help="the admin's name")
    command.add_argument("--new-passwords", action="store_true", help="replace every password")


def _people(args: argparse.Namespace) -> list[str]:
    """The attendees' names, then the instructor's; checked."""
    names = roster.numbered_names(args.count) if args.count else roster.names_from_file(args.names)
    people = [*names, args.instructor]
    roster.check_names(people)
    return people


def _print_sheet(sheet: dict[str, str], instructor: str, where: Path) -> None:
    width = max(map(len, sheet))
    print(f"\nPasswords (also in {where}, readable by its owner only):\n")
    for name, password in sheet.items():
        role = "  (instructor, admin)" if name == instructor else ""
        print(f"  {name:<{width}}  {password}{role}")


def setup(args: argparse.Namespace) -> None:
    """Install the workshop under the prefix, create the accounts, print the password sheet."""
    layout = Layout(args.prefix.resolve())
    people = _people(args)
    accounts.check_length(args.user_prefix + name for name in people)
    print(f"Installing the workshop in {layout.prefix} (a few minutes the first time) ...")
    python = install.install(layout, args.python)
    print(f"  environment {layout.venv} (from {python})")

    layout.hub.mkdir(mode=0o700, exist_ok=True)
    layout.hub.chmod(0o700)
    for name in people:
        system_user = args.user_prefix + name
        accounts.ensure_system_user(system_user, args.homes.resolve() / system_user)
    sheet = roster.update(layout.accounts, layout.password_sheet, people, args.instructor,
                          lambda name: args.user_prefix + name, args.new_passwords)  # fmt: skip
    for path in (layout.cookie_secret, layout.proxy_token, layout.culler_token):
        ensure_token(path)
    _print_sheet(sheet, args.instructor, layout.password_sheet)
    print(f"\n{len(people) - 1} attendees and 1 instructor. Start the hub with:\n"
          f"  sudo {sys.executable} -m classroom start --prefix {layout.prefix}")  # fmt: skip


def make_roster(args: argparse.Namespace) -> None:
    """Only the roster and the sheet, in ``--out`` (for the Kubernetes setup's hub)."""
    people = _people(args)
    args.out.mkdir(mode=0o700, parents=True, exist_ok=True)
    sheet = roster.update(args.out / "accounts.json", args.out / "passwords.txt", people,
                          args.instructor, lambda name: "", args.new_passwords)  # fmt: skip
    _print_sheet(sheet, args.instructor, args.out / "passwords.txt")


def start(args: argparse.Namespace) -> None:
    """Replace this process with JupyterHub, configured by ``jupyterhub_config.py``."""
    layout = Layout(args.prefix.resolve())
    if not layout.accounts.exists():
        sys.exit(f"no roster in {layout.hub}: run `python -m classroom setup` first")
    if not PROXY.exists():
        sys.exit(f"{PROXY} is missing: run `npm ci --prefix {PROXY.parents[2]}`")
    settings = Settings(
        prefix=str(layout.prefix), ip=args.ip, port=args.port, hub_port=args.hub_port,
        proxy_api_port=args.proxy_api_port, mem_limit=args.mem_limit,
        max_processes=args.max_processes, cull_timeout=args.cull_timeout,
        cull_every=args.cull_every,
    )  # fmt: skip
    if settings.ip not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {settings.ip} without TLS: put a TLS reverse proxy in front "
              "(README)", file=sys.stderr)  # fmt: skip
    env = {**os.environ, ENVIRONMENT_VARIABLE: settings.to_json(), "PYTHONPATH": str(ROOT)}
    os.chdir(layout.hub)
    # Started from a background job, SIGINT may be ignored, and JupyterHub, its culler and the
    # attendees' servers would inherit that, though SIGINT is how JupyterHub stops them first.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    command = [sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG), *args.jupyterhub_args]
    os.execve(sys.executable, command, env)


def teardown(args: argparse.Namespace) -> None:
    """Remove the roster's accounts (processes, homes) and, unless kept, the prefix."""
    layout = Layout(args.prefix.resolve())
    if layout.hub_pid.exists():
        try:
            os.kill(int(layout.hub_pid.read_text()), 0)
            sys.exit(f"the hub is running (pid in {layout.hub_pid}): stop it first")
        except (ProcessLookupError, ValueError):
            pass
    system_users = [account.system_user for account in roster.load(layout.accounts).values()]
    for system_user in accounts.remove_system_users(system_users):
        print(f"removed {system_user} and its home")
    if not args.keep_prefix and layout.prefix.exists():
        shutil.rmtree(layout.prefix)
        print(f"removed {layout.prefix}")


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "roster":
        make_roster(args)
        return
    if os.geteuid() != 0:
        sys.exit("run as root: it creates accounts and runs servers as them (sudo ...)")
    {"setup": setup, "start": start, "teardown": teardown}[args.command](args)


if __name__ == "__main__":
    main()
