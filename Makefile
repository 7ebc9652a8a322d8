# Two commands set everything up on a fresh machine with Python 3.11+:
#   make run    create .venv, install, migrate, load regions and demo data, serve on :8000 (PORT=…)
#   make test   create .venv if missing, run the whole suite (SQLite, or DATABASE_URL)
# make lint runs ruff and mypy, as CI does.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run serve loadtest test lint bench bench-ingest corpus-report venv messages static-vendor clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

# make run PORT=8001 serves on another port (runserver, loopback only).
PORT ?= 8000

run: export DEBUG ?= 1
run: $(STAMP)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_regions
	$(MANAGE) load_seeds
	$(MANAGE) create_demo_accounts
	@echo "Admin: http://127.0.0.1:$(PORT)/admin/   API docs: http://127.0.0.1:$(PORT)/api/docs/"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# make serve: the production server. gunicorn with DEBUG off and static files served by
# WhiteNoise (collected first into the git-ignored staticfiles/). SECRET_KEY is required;
# PORT, HOST, WEB_CONCURRENCY (worker processes) and GUNICORN_THREADS (per worker) from the
# environment. Migrations are a separate deploy step (manage.py migrate), run once, not per server.
# The request line may be gunicorn's largest bounded 8190 bytes (its default 4094 answered a query
# string of ~4 KB with an HTML 414): a query string over 4,096 bytes on /api/ reaches Django, which
# answers a JSON 400 naming it (tracker.middleware); only a request line over 8190 bytes still gets
# gunicorn's 414. 0 would be unbounded: a line of any size read into memory whole.
HOST ?= 127.0.0.1
WEB_CONCURRENCY ?= 2
GUNICORN_THREADS ?= 4
serve: export DEBUG = 0
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: $(STAMP)
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY is required to serve (export SECRET_KEY=...)" >&2; exit 1; }
	$(MANAGE) collectstatic --no-input --verbosity 0
	exec $(BIN)/gunicorn tracker.wsgi:application --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--threads $(GUNICORN_THREADS) --access-logfile - --graceful-timeout 10 --limit-request-line 8190

# make loadtest: the bounded loopback load tests of bench/loadtest.py (lost updates under 50
# concurrent editors on PostgreSQL and SQLite; make serve against runserver); figures to stdout.
loadtest: $(STAMP)
	$(BIN)/python -m bench.loadtest

# The suite runs with development settings; production settings have tests of their own.
# It runs on every core (pytest-xdist; PYTEST_WORKERS=0 runs it in one process), a class or
# module per worker so that class-scoped seeds load once; each worker has its own test database.
PYTEST_WORKERS ?= auto
test: export DEBUG ?= 1
test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# make lint: the checks CI runs on the code: ruff (rules in pyproject.toml), then mypy with the
# Django and DRF stubs on the packages pyproject.toml names.
lint: $(STAMP)
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/mypy

# make corpus-report: run the ingest evaluation and write its per-article table into docs/ingest.md.
corpus-report: export DEBUG ?= 1
corpus-report: $(STAMP)
	CORPUS_REPORT_DOC=docs/ingest.md $(BIN)/python -m pytest -n 0 -p no:cacheprovider -q \
		tests/ingest/test_corpus.py -k test_every_article_meets_the_targets

# make bench [AGREEMENTS="N ..."] [BENCH_ARGS=...]: time the API against the raw-SQL floor at each
# size on the PostgreSQL at 127.0.0.1:5432 (user postgres), each request side by side across the
# sizes; builds tracker_bench_N first where it is missing.
AGREEMENTS ?= 20000 200000 1000000
bench: $(STAMP)
	$(BIN)/python -m bench --agreements $(AGREEMENTS) $(BENCH_ARGS)

# make bench-ingest: time the ingest engine (one 3,000-character article; a folder of 1,000 articles).
bench-ingest: $(STAMP)
	$(BIN)/python -m bench.ingest

# Maintainers only: refresh the catalogues after changing strings (needs GNU gettext).
# The compiled .mo files are committed, so a fresh machine needs no gettext.
messages: $(STAMP)
	DEBUG=1 $(MANAGE) makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=tests --ignore=bench --ignore=node_modules --ignore=dashboard/static
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv

# Maintainers only: the workspace's browser libraries (package.json, pinned in package-lock.json)
# installed from the npm registry and their built files copied into dashboard/static/dashboard/vendor/,
# which is committed: make run needs no Node, and no page loads anything from a CDN.
VENDOR := dashboard/static/dashboard/vendor
static-vendor:
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	cp node_modules/echarts/LICENSE $(VENDOR)/echarts.LICENSE
	cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape.min.js
	cp node_modules/cytoscape/LICENSE $(VENDOR)/cytoscape.LICENSE
	node -e 'const l=require("./package-lock.json").packages;for(const n of ["echarts","cytoscape"])console.log(n+" "+l["node_modules/"+n].version)' > $(VENDOR)/VERSIONS

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
