"""`python -m msmebazaar` is the same as the `msmebazaar` command."""

from msmebazaar.cli import app

app(prog_name="msmebazaar")
