"""Keep personal data and secret links out of the logs.

Code logs ids, never personal data, but a library's message or a traceback may still carry
an email address (an SMTP refusal names its recipient) or a resident's postcode (a search),
and Django's warnings and gunicorn's access log carry the path of each request, where the
private links of incident logs and subscriptions keep their secret token. This filter, on
every handler of Django's logging and of gunicorn's (core.gunicorn_logging), masks all three
before a line is written.
"""

import logging
import re

EMAIL = re.compile(r"[^\s<>()\[\]'\",;:/=?&]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A full UK postcode: the outward code is kept (a district, not a person's address).
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)(?:\s|\+|%20)*([0-9][A-Z]{2})\b", re.IGNORECASE)


# A secret token such as the private links carry (secrets.token_urlsafe(32): 43 URL-safe
# characters), or any like it: a run of 32 or more with both small and capital letters, which a
# random token has all but certainly and slugs, hex digests, task ids and ward codes never do.
TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]{32,}(?![\w-])", re.ASCII)


def mask(text: str) -> str:
    return POSTCODE.sub(r"\1 ***", EMAIL.sub("<email>", TOKEN.sub("[token]", text)))


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True
