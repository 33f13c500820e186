"""Development on a laptop: debug on unless DEBUG says otherwise, embedded SQLite unless DATABASE_URL says otherwise."""

import os

os.environ.setdefault("DEBUG", "1")

from clinic.settings.base import *  # noqa: F403
