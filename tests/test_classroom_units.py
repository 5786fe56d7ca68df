"""The classroom package's parts that need no root, no hub and no network (fast, everywhere).

The classroom server itself, with real accounts and proxy, is tested in test_classroom.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
from pathlib import Path

import pytest
import yaml

from classroom import credentials, passwords, roster
from classroom.auth import AttendeePasswordAuthenticator
from classroom.first_login import prepare_home
from classroom.settings import ENVIRONMENT_VARIABLE, Settings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the classroom server runs on Linux")

ROOT = Path(__file__).resolve().parent.parent
KUBERNETES = ROOT / "classroom" / "kubernetes"


def test_passwords_are_random_readable_and_stored_as_salted_hashes():
    first, second = passwords.new_password(), passwords.new_password()
    assert first != second
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", first)
    assert not set(first) & set("01ilo")
    stored, again = passwords.hash_password(first), passwords.hash_password(first)
    assert first not in stored and stored != again, "salted: the same password, other hashes"
    assert passwords.verify_password(first, stored)
    assert not passwords.verify_password(second, stored)
    assert not passwords.verify_password(first, "scrypt$malformed")
    assert not passwords.verify_password(first, "plain$" + first)


def test_names():
    assert roster.numbered_names(3) == ["attendee01", "attendee02", "attendee03"]
    assert roster.numbered_names(100)[-1] == "attendee100"
    roster.check_names(["alice", "bob-2"])
    for bad in (["Alice"], ["root;rm"], ["9lives"], ["ok", "ok"], [""]):
        with pytest.raises(ValueError):
            roster.check_names(bad)
    with pytest.raises(ValueError):
        roster.numbered_names(0)


def test_names_from_a_file(tmp_path: Path):
    listing = tmp_path / "names.txt"
    listing.write_text("alice\n\n# a comment\nbob  # late\n")
    assert roster.names_from_file(listing) == ["alice", "bob"]


def test_roster_keeps_passwords_on_a_rerun_and_files_are_private(tmp_path: Path):
    files = tmp_path / "accounts.json", tmp_path / "passwords.txt"
    first = roster.update(*files, ["a1", "a2", "teacher"], "teacher", lambda n: "jupyter-" + n)
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
    again = roster.update(*files, ["a2", "a3", "teacher"], "teacher", lambda n: "jupyter-" + n)
    assert again["a2"] == first["a2"] and again["a1"] == first["a1"], "kept"
    assert set(again) == {"a1", "a2", "a3", "teacher"}
    accounts = roster.load(files[0])
    assert accounts["teacher"].admin and not accounts["a3"].admin
    assert accounts["a3"].system_user == "jupyter-a3"
    assert passwords.verify_password(again["a3"], accounts["a3"].password_hash)
    assert again["a1"] not in files[0].read_text(), "the hub's roster holds hashes only"
    renewed = roster.update(*files, ["a1"], "teacher", lambda n: "jupyter-" + n, True)
    assert renewed["a1"] != first["a1"]


def test_secret_files_are_0600_and_refused_when_readable_by_others(tmp_path: Path):
    token_file = tmp_path / "token"
    token = credentials.ensure_token(token_file)
    assert len(token) == 64 and credentials.ensure_token(token_file) == token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token_file.chmod(0o644)
    with pytest.raises(credentials.InsecureFileError):
        credentials.read_private(token_file)


def test_the_authenticator_checks_the_roster(tmp_path: Path):
    files = tmp_path / "accounts.json", tmp_path / "passwords.txt"
    sheet = roster.update(*files, ["alice", "bob", "teacher"], "teacher", lambda n: n)
    authenticator = AttendeePasswordAuthenticator(roster_file=str(files[0]))

    def log_in(name: str, password: str) -> object:
        return asyncio.run(authenticator.authenticate(None, {"username": name,
                                                             "password": password}))  # fmt: skip

    assert log_in("alice", sheet["alice"]) == {"name": "alice", "admin": False}
    assert log_in("teacher", sheet["teacher"]) == {"name": "teacher", "admin": True}
    assert log_in("alice", sheet["bob"]) is None, "another attendee's password"
    assert log_in("alice", "") is None
    assert log_in("mallory", sheet["alice"]) is None, "not on the roster"


def test_first_login_copies_once_and_links_solutions(tmp_path: Path):
    workshop, cache, home = tmp_path / "workshop", tmp_path / "mpl", tmp_path / "home"
    (workshop / "notebooks").mkdir(parents=True)
    (workshop / "solutions").mkdir()
    (workshop / "notebooks" / "01.ipynb").write_text("{}")
    cache.mkdir()
    (cache / "fontlist.json").write_text("[]")
    home.mkdir()
    assert len(prepare_home(workshop, cache, home)) == 3
    assert (home / "notebooks" / "01.ipynb").read_text() == "{}"
    assert (home / "solutions").resolve() == (workshop / "solutions").resolve()
    assert (home / ".cache" / "matplotlib" / "fontlist.json").exists()
    (home / "notebooks" / "01.ipynb").write_text('{"mine": 1}')
    assert prepare_home(workshop, cache, home) == [], "a second start changes nothing"
    assert (home / "notebooks" / "01.ipynb").read_text() == '{"mine": 1}'


def test_settings_travel_through_the_environment(monkeypatch: pytest.MonkeyPatch):
    settings = Settings(prefix="/srv/x", port=9000, cull_timeout=60)
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, settings.to_json())
    assert Settings.from_environment() == settings
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    assert Settings.from_environment() == Settings()
    assert Settings().ip == "127.0.0.1", "bound to loopback by default"


def test_no_default_credentials_and_nothing_disabled_in_the_configuration():
    config = (ROOT / "classroom" / "jupyterhub_config.py").read_text()
    for weakening in ("token = ''", 'token = ""', "disable_check_xsrf", "password =",
                      "DummyAuthenticator", "allow_all = True", "0.0.0.0"):  # fmt: skip
        assert weakening not in config
    tracked = [path for path in (ROOT / "classroom").rglob("*")
               if path.is_file() and "node_modules" not in path.parts]  # fmt: skip
    assert not any(path.name in ("accounts.json", "passwords.txt", "cookie_secret",
                                 "proxy_token", "culler_token") for path in tracked)  # fmt: skip


def test_kubernetes_values_use_the_same_choices():
    values = yaml.safe_load((KUBERNETES / "values.yaml").read_text())
    authenticator = values["hub"]["config"]["JupyterHub"]["authenticator_class"]
    assert authenticator == f"classroom.auth.{AttendeePasswordAuthenticator.__name__}"
    user = values["singleuser"]
    assert values["cull"]["enabled"] and user["storage"]["type"] == "dynamic"
    assert user["memory"]["limit"] and user["cpu"]["limit"]
    assert "notebooks" in " ".join(user["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert "secretToken" not in values.get("proxy", {}) and "cookieSecret" not in values["hub"]
    for name, entry in values["hub"]["extraFiles"].items():
        module = entry["mountPath"].rsplit("/classroom/", 1)[-1]
        if entry["mountPath"].endswith(".py"):
            assert (ROOT / "classroom" / module).exists(), f"{name}: no classroom/{module}"


def test_kubernetes_image_is_built_from_environment_yml():
    dockerfile = (KUBERNETES / "Dockerfile").read_text()
    assert "--file environment.yml" in dockerfile
    for source in re.findall(r"^COPY (?:--\S+ )*(.+) \S+$", dockerfile, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), f"the Dockerfile copies {path}, which is missing"


def test_jupyterlab_settings_are_json():
    for name in ("jupyter_lab_config.json", "overrides.json"):
        assert json.loads((ROOT / "classroom" / "jupyterlab" / name).read_text())
