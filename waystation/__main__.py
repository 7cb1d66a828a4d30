"""`python -m waystation`: the same command line as `waystation`."""

from waystation.cli import app

app()
