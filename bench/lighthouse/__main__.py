import sys

from bench.lighthouse import main

sys.exit(main())
