"""Settings for the load benchmark: PACT's own, with the bare view of bench/urls.py.

Used only by bench/run.py (DJANGO_SETTINGS_MODULE=bench.settings, PACT_BENCH=1).
"""

from pact.env import env_bool
from pact.settings import *  # noqa: F403

PACT_BENCH = env_bool("PACT_BENCH", False)
if PACT_BENCH:
    ROOT_URLCONF = "bench.urls"
