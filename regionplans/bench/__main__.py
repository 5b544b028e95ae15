"""Child-process entry: ``python -m regionplans.bench PART '{json kwargs}'``."""

import sys

from regionplans.bench.common import child_main

child_main(sys.argv[1:])
