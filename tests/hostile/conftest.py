"""Markers of the hostile corpus, and the optional table of what each case produced.

``slow`` marks the load test (a 10,000-note vault); it runs by default and
``-m "not slow"`` leaves it out. With ``MIENA_HOSTILE_TABLE=1`` in the environment, the
end of the run prints one line per case: the exit statuses and diagnostic codes seen.
"""

from __future__ import annotations

import os


def pytest_configure(config):
    # pyproject.toml runs pytest with --strict-markers: every marker must be declared
    config.addinivalue_line("markers", "slow: a load test of several seconds; deselect with -m 'not slow'")


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("MIENA_HOSTILE_TABLE") != "1":
        return
    from .test_hostile import outcome_table

    table = outcome_table()
    if table:
        terminalreporter.section("hostile corpus: case -> outcome")
        terminalreporter.write_line(table)
