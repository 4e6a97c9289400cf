"""The settings tests run with: the real ones, read before Django starts, with plain HTTP.

The test client and the browser tests' live server speak plain HTTP, so the HTTPS-only
redirect, cookies and HSTS are turned off here (they must be off before the security
middleware is built); `manage.py check --deploy` checks them with the real defaults.
Other test knobs live in tests/conftest.py.
"""

import os

os.environ["PACT_HTTPS"] = "false"

from pact.settings import *  # noqa: E402, F403
