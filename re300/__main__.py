"""`python -m re300 ...` works like the `re300` command."""
import sys

from re300.cli import main

sys.exit(main())
