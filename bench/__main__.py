"""``python -m bench``: the benchmark suite (``./desk bench``); see :mod:`bench.suite`."""

import sys

from bench.suite import main

sys.exit(main())
