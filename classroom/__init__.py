"""The workshop on JupyterHub for a room of attendees: accounts, a shared install, the hub.

As root, from the repository's root (see the README, "Classroom server (JupyterHub)")::

    python -m classroom setup --count 30    # accounts, passwords, the workshop in /srv/workshop
    python -m classroom start               # JupyterHub and its proxy on 127.0.0.1:8000
    python -m classroom teardown            # after the event: accounts, homes and prefix removed

One module per job: ``layout`` (where things live), ``accounts`` (system accounts), ``roster``
(who may log in) and ``passwords``, ``credentials`` (0600 secret files), ``install`` (the shared
prefix), ``first_login`` (an attendee's home, run as the attendee), ``spawner`` and ``auth`` (what
JupyterHub loads), ``settings`` and ``jupyterhub_config.py`` (the hub's configuration).
``kubernetes/`` holds the Zero to JupyterHub version (untested here: see the README).
"""
