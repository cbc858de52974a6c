"""The engines' runners, shared by the readers and the writers.

Each module here runs one external engine under bounds (time, memory, sandbox) and takes
and returns bytes only: it knows nothing of vaults, notes or books, so a reader
(``bibliography``) and a writer (``export``) may both use it.
"""
