"""``python -m miena_book``: the command line, as the ``miena-book`` script runs it."""

from .cli import main

main()
