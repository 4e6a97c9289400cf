# syntax=docker/dockerfile:1
# PACT's one image: web (gunicorn), Celery worker and Celery beat all run it
# (see docker-compose.yml).

# Stage 1: the front end, built from the npm lockfile (GOV.UK Frontend, Leaflet, Sass).
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/ scripts/
COPY static/ static/
RUN node scripts/build-assets.mjs

# Stage 2: the Python application.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PACT_STATE_DIR=/var/lib/pact \
    PACT_STATIC_ROOT=/app/staticfiles \
    PACT_DATA_DIR=/data
WORKDIR /app

# Every runtime wheel (psycopg2-binary, shapely, numpy) is self-contained: no compiler or
# system library is needed.
COPY requirements.txt ./
RUN pip install -r requirements.txt

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin pact \
    && mkdir -p /var/lib/pact /app/staticfiles \
    && chown pact:pact /var/lib/pact /app/staticfiles
COPY --chown=root:root . .
COPY --from=assets --chown=root:root /src/static/build/ static/build/

# The code is owned by root and only read; the process writes only to its state
# directory (a volume) and to the collected static files.
USER pact
EXPOSE 8000
# The access log leaves out the client's address and the query string (a searched postcode).
CMD ["gunicorn", "pact.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", \
     "--access-logformat", "%(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(M)sms"]
