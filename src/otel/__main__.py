"""``python -m otel ...`` is the ``otel`` command."""

import sys

from otel.cli import main

sys.exit(main())
