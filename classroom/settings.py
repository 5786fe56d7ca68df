"""The hub's settings of a workshop day, passed from ``python -m classroom start`` to the config.

``start`` puts them, as JSON, in the ``CLASSROOM_SETTINGS`` environment variable of the hub;
``jupyterhub_config.py`` reads them back (the defaults when it is unset).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from classroom.layout import DEFAULT_PREFIX

ENVIRONMENT_VARIABLE = "CLASSROOM_SETTINGS"


@dataclass(frozen=True)
class Settings:
    """What an instructor may want to change for a workshop day.

    The default memory limit is per process (each server and each kernel): notebook 05 with a
    trained network stays far below it, and a runaway allocation fails with a MemoryError.
    """

    prefix: str = str(DEFAULT_PREFIX)
    ip: str = "127.0.0.1"  # the public address: keep it local, and put TLS in front (README)
    port: int = 8000
    hub_port: int = 8081  # the hub's own API, always on 127.0.0.1
    proxy_api_port: int = 8001  # the proxy's API, always on 127.0.0.1
    mem_limit: str = "2G"
    max_processes: int = 256
    cull_timeout: int = 3600  # seconds idle before a server is stopped (lunch is shorter)
    cull_every: int = 300

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_environment(cls) -> Settings:
        text = os.environ.get(ENVIRONMENT_VARIABLE)
        return cls(**json.loads(text)) if text else cls()
