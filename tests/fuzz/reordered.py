"""``miena-book`` with every folder listed in reverse order: the build must not care.

Run as ``python reordered.py build …``: os.scandir and os.listdir return their entries
reversed (a file system lists a folder in whatever order it likes), then the command
line runs as usual. The fuzz run compares this build's bytes with a plain one's.
"""

import os
import sys

_scandir, _listdir = os.scandir, os.listdir


class _Reversed:
    """An iterator, as os.scandir's is (os.walk calls next() on it)."""

    def __init__(self, entries):
        self._entries = iter(list(entries)[::-1])

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        pass


def _reversed_scandir(path="."):
    with _scandir(path) as entries:
        return _Reversed(entries)


os.scandir = _reversed_scandir
os.listdir = lambda path=".": _listdir(path)[::-1]

if __name__ == "__main__":
    from miena_book.cli import main

    sys.argv[0] = "miena-book"
    main()
