"""The error page every unhandled failure ends on (pact.urls.handler500).

A database that cannot be reached (stopped, restarting, out of connections) is an outage, not
a fault of the page: it is answered 503 with Retry-After, so browsers, proxies and monitors
know to try again, rather than 500. Either way the visitor gets the same plain page, which
renders without the database, the request or the URL resolver, and no detail of the error.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Errors of a database that cannot be reached now but may be soon (Django wraps the driver's).
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its handler of the exception, so the exception is the current one.
    outage = is_outage(sys.exc_info()[1])
    response = HttpResponse(loader.get_template("500.html").render(), status=503 if outage else 500)
    if outage:
        response["Retry-After"] = str(settings.PACT_RETRY_AFTER_SECONDS)
    return response
