"""``python -m classroom setup|start|teardown``: the classroom server's commands (run as root).

See the README, "Classroom server (JupyterHub)", and ``python -m classroom COMMAND --help``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from classroom import accounts, install
from classroom.credentials import ensure_token, read_private, write_private
from classroom.layout import DEFAULT_PREFIX, HUB_CONFIG, PROXY, ROOT, Layout
from classroom.passwords import hash_password, new_password
from classroom.settings import ENVIRONMENT_VARIABLE, Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m classroom", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    setup = commands.add_parser("setup", help="accounts, passwords, secrets, the shared install")
    who = setup.add_mutually_exclusive_group(required=True)
    who.add_argument("--count", type=int, help="attendees attendee01 ... attendeeNN")
    who.add_argument("--names", type=Path, help="a file with one attendee name a line")
    setup.add_argument("--instructor", default="instructor", help="the admin's name")
    setup.add_argument("--user-prefix", default="jupyter-", help="system account = this + name")
    setup.add_argument("--homes", type=Path, default=Path("/home"), help="where homes are made")
    setup.add_argument("--python", type=Path, help="interpreter for the attendees' environment")
    setup.add_argument("--new-passwords", action="store_true", help="replace every password")

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
    return parser


def setup(args: argparse.Namespace) -> None:
    """Install the workshop under the prefix, create the accounts, print the password sheet."""
    layout = Layout(args.prefix.resolve())
    names = accounts.numbered_names(args.count) if args.count else accounts.names_from_file(
        args.names
    )
    people = [*names, args.instructor]
    accounts.check_names(people, args.user_prefix)
    print(f"Installing the workshop in {layout.prefix} (a few minutes the first time) ...")
    python = install.install(layout, args.python)
    print(f"  environment {layout.venv} (from {python})")

    layout.hub.mkdir(mode=0o700, exist_ok=True)
    layout.hub.chmod(0o700)
    roster = accounts.load_roster(layout.accounts)
    sheet = _read_sheet(layout.password_sheet)
    for name in people:
        system_user = args.user_prefix + name
        accounts.ensure_system_user(system_user, args.homes.resolve() / system_user)
        known = roster.get(name)
        if args.new_passwords or known is None or name not in sheet:
            sheet[name] = new_password()
            password_hash = hash_password(sheet[name])
        else:
            password_hash = known.password_hash
        roster[name] = accounts.Account(name, system_user, name == args.instructor, password_hash)
    accounts.save_roster(layout.accounts, roster)
    write_private(layout.password_sheet, "".join(f"{n}\t{p}\n" for n, p in sheet.items()))
    for path in (layout.cookie_secret, layout.proxy_token, layout.culler_token):
        ensure_token(path)

    width = max(map(len, sheet))
    print(f"\nPasswords (also in {layout.password_sheet}, root only):\n")
    for name, password in sheet.items():
        role = "  (instructor, admin)" if roster[name].admin else ""
        print(f"  {name:<{width}}  {password}{role}")
    print(f"\n{len(names)} attendees and 1 instructor. Start the hub with:\n"
          f"  sudo {sys.executable} -m classroom start --prefix {layout.prefix}")  # fmt: skip


def _read_sheet(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lines = read_private(path).splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


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
    for account in accounts.load_roster(layout.accounts).values():
        if accounts.remove_system_user(account.system_user):
            print(f"removed {account.system_user} and its home")
    if not args.keep_prefix and layout.prefix.exists():
        shutil.rmtree(layout.prefix)
        print(f"removed {layout.prefix}")


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("run as root: it creates accounts and runs servers as them (sudo ...)")
    {"setup": setup, "start": start, "teardown": teardown}[args.command](args)


if __name__ == "__main__":
    main()
