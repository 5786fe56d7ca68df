"""Prepare an attendee's home before their server starts; runs as the attendee, never as root.

Usage (the spawner runs it from ``<prefix>/first_login.py``, with the environment's Python)::

    python first_login.py <prefix>/workshop <prefix>/matplotlib

- ``~/notebooks``: the attendee's own copy of the exercise notebooks, made when there is none
  (deleting the folder gets a fresh copy at the next start);
- ``~/solutions``: a link to the shared, read-only solutions;
- ``~/.cache/matplotlib``: the prebuilt font list, so the first plot does not rebuild it.

Standard library only: it runs before anything else of the attendee's.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def prepare_home(workshop: Path, font_cache: Path, home: Path) -> list[str]:
    """Create what is missing in ``home``; what was done, for the log."""
    done = []
    notebooks = home / "notebooks"
    if not os.path.lexists(notebooks):
        shutil.copytree(
            workshop / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
        done.append(f"copied {workshop / 'notebooks'} to {notebooks}")
    solutions = home / "solutions"
    if not os.path.lexists(solutions):
        solutions.symlink_to(workshop / "solutions", target_is_directory=True)
        done.append(f"linked {solutions} to {workshop / 'solutions'}")
    cache = home / ".cache" / "matplotlib"
    if font_cache.is_dir() and not os.path.lexists(cache):
        shutil.copytree(font_cache, cache)
        done.append(f"copied matplotlib's font list to {cache}")
    return done


if __name__ == "__main__":
    if os.geteuid() == 0:
        sys.exit("first_login.py runs as the attendee, not as root")
    for line in prepare_home(Path(sys.argv[1]), Path(sys.argv[2]), Path.home()):
        print(line)
