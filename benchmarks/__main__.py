"""``python -m benchmarks``: run the workshop benchmarks."""

import sys

from benchmarks.run import main

sys.exit(main())
