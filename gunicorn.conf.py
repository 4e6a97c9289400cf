"""gunicorn's settings for PACT, read from the directory it is started in (the image's /app,
the project's root for `make`, the benchmarks and the fault tests).

The command lines (Dockerfile, docker-compose.yml) give the address, the workers and the
access log's format; this file what must hold wherever gunicorn runs PACT.
"""

# Masks secret tokens, email addresses and postcodes in gunicorn's own logs, as in Django's.
logger_class = "core.gunicorn_logging.PactGunicornLogger"
