"""The code's version, carried in every cache key.

A rolling deploy runs two versions of the code against one shared cache for a while. Django pickles cached objects
(computed clinical reads, template fragments, finished PDFs), and an object pickled by one version may not unpickle,
or may mean something else, in another. So every key carries the version of the code that wrote it (the cache's
KEY_PREFIX): each version reads only what it wrote itself.

The version is CODE_VERSION from the environment when the deploy sets one (a release tag or commit id), else a digest
of the application's source: its Python modules, templates and catalog data, so any change of code gives new keys
with nothing to remember.
"""

import hashlib
import os
from pathlib import Path

_SOURCE_SUFFIXES = {".py", ".html", ".json", ".txt"}
_SKIPPED_DIRS = {".venv", "var", "tests", "bench", "docs", "node_modules", "__pycache__", ".git", "static"}


def source_digest(root: Path) -> str:
    """A short digest of the application's source files under `root` (their paths and contents, in sorted order)."""
    digest = hashlib.blake2b(digest_size=6)
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(name for name in subdirs if name not in _SKIPPED_DIRS and not name.startswith("."))
        for name in sorted(files):
            path = Path(directory, name)
            if path.suffix in _SOURCE_SUFFIXES:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def code_version(root: Path) -> str:
    return os.environ.get("CODE_VERSION", "").strip() or source_digest(root)
