# PACT: the two commands of the quick start are `make run` and `make test`.
# Both set up whatever is missing first (virtualenv, Python and npm packages, front end,
# database, reference data) and are quick the second time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
SCSS := $(wildcard static/scss/*.scss)

-include .env
export

.PHONY: run test setup install assets database data lint clean worker beat bench bench-mixed bench-national bench-weight bench-lighthouse

run: setup ## Set up everything and serve the site on http://127.0.0.1:8000
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: install assets lint ## Set up and run every check and the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

setup: install assets database data

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "PACT needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "PACT needs Node.js 20 or newer with npm to build its front end."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: static/build/.built

static/build/.built: node_modules/.installed scripts/build-assets.mjs $(SCSS)
	node scripts/build-assets.mjs
	touch $@

database: install
	$(PY) manage.py migrate --noinput

data: database
	$(PY) manage.py setup_pact
	$(PY) manage.py create_demo_staff
	$(PY) manage.py create_demo_history
	$(PY) manage.py create_demo_survey
	$(PY) manage.py create_monthly_updates

lint: install
	$(BIN)/pre-commit run --all-files --show-diff-on-failure
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

worker: setup
	$(BIN)/celery -A pact worker --loglevel=INFO

beat: setup
	$(BIN)/celery -A pact beat --loglevel=INFO --schedule .data/celerybeat-schedule

# Floor ratios (bench/run.py), then page weight on a phone (bench/weight.py); fails if either misses.
bench: install assets
	$(PY) bench/run.py; status=$$?; $(PY) -m bench.weight --skip-setup && exit $$status

# The same on the national data set (make it first: .venv/bin/python bench/national.py).
bench-national: install assets
	$(PY) bench/run.py --national

bench-weight: install assets
	$(PY) -m bench.weight

# Lighthouse (mobile, simulated throttling) on the home, search-result and ward pages; the
# script installs Lighthouse into bench/lighthouse/node_modules on first use. Not part of CI.
bench-lighthouse: install assets
	$(PY) -m bench.lighthouse

# Residents' mixed load at fixed rates with Locust (apt-get install -y python3-locust);
# exits 1 when a target of bench/README.md is missed. Not part of CI.
bench-mixed: install assets
	$(PY) -m bench.mixed

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
