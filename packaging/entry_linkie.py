"""Entry of the bundled `linkie` command line."""

import sys

sys.dont_write_bytecode = True  # see entry_linkie_desktop.py

from linkie_desktop.cli import main  # noqa: E402

main()
