"""`python -m dashboard.register ...`: see dashboard/register/cli.py."""

import sys

from dashboard.register.cli import main

sys.exit(main())
