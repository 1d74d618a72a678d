"""``python -m lstm_outputs``: the same as the ``lstm-outputs`` command."""

import sys

from lstm_outputs.cli import main

sys.exit(main())
