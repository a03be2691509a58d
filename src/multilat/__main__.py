"""``python -m multilat`` runs the command line."""

from .cli import main

main()
