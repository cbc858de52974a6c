"""Hostile-input corpus: tiny vaults built to break, confine or fool miena-book.

A package rather than a plain folder, so that pytest imports this folder's ``conftest.py``
as ``hostile.conftest`` and it never takes the place of ``tests/conftest.py``, which the
other test modules import as ``conftest``.
"""
