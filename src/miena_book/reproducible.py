"""Reproducible builds: one date for everything a build stamps, so the same vault gives the same bytes.

The date is ``SOURCE_DATE_EPOCH`` (seconds since 1970, the convention of reproducible-builds.org)
when it is set; otherwise, when the vault is in a git repository, the time of the last
commit that touched the vault; otherwise the start of the build's day (midnight UTC), so
that builds of the same vault on the same day give the same bytes, not a new PDF and EPUB
every second. The build sets ``SOURCE_DATE_EPOCH`` for its own duration, which is what
pandoc (EPUB dates, zip entries) and WeasyPrint (PDF dates and identifier) read; the title
page's default date is the same day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess


def source_date_epoch(vault_dir: str) -> int:
    """The build's date as a Unix time."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    try:
        done = subprocess.run(["git", "-C", vault_dir, "log", "-1", "--format=%ct", "--", "."],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return start_of_today()
    stamp = done.stdout.strip()
    return int(stamp) if done.returncode == 0 and stamp.isdigit() else start_of_today()


def start_of_today() -> int:
    """Midnight UTC of the current day, as a Unix time."""
    now = dt.datetime.now(dt.timezone.utc)
    return int(dt.datetime(now.year, now.month, now.day, tzinfo=dt.timezone.utc).timestamp())


def build_day(epoch: int | None) -> str:
    """The date printed on the title page when the config gives none (YYYY-MM-DD, UTC)."""
    utc = dt.timezone.utc
    moment = dt.datetime.fromtimestamp(epoch, utc) if epoch is not None else dt.datetime.now(utc)
    return moment.date().isoformat()


@contextlib.contextmanager
def fixed_date(epoch: int | None):
    """``SOURCE_DATE_EPOCH`` set to ``epoch`` while the block runs, then put back as it was."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
