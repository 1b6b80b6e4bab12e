"""`python -m sim.cli`: the `salesorg` command."""

import sys

from sim.cli import main

sys.exit(main())
