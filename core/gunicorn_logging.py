"""gunicorn's logger for PACT (gunicorn.conf.py): its access and error logs masked like Django's.

gunicorn writes its own logs, outside Django's LOGGING: the access log has the path of every
request, where private links keep their secret token, and an error names the request that
failed. Every handler gets core.log_filters.MaskPersonalData.
"""

from gunicorn.glogging import Logger

from core.log_filters import MaskPersonalData


class PactGunicornLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(MaskPersonalData())
