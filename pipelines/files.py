"""All-or-nothing folder writes: assemble in a staging folder beside the target, then swap."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_folder(dest: Path, *, prefix: str) -> Iterator[Path]:
    """Yield an empty staging folder beside ``dest``; on a clean exit it replaces ``dest``.

    If the body raises, ``dest`` is left exactly as it was and the staging folder is removed.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=dest.parent))
    try:
        yield staging
        swap_folder(staging, dest)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def swap_folder(staging: Path, dest: Path) -> None:
    """Replace ``dest`` by ``staging`` with two renames (the old folder is removed afterwards)."""
    old = dest.with_name(dest.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if dest.exists():
        dest.rename(old)
    staging.rename(dest)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
