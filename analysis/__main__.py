"""Run the analysis command line: ``python -m analysis theme|trace|screen|evaluate``."""

import sys

from .cli import main

sys.exit(main())
