# Guth: `make demo` serves the fictional Glenbrae demo; `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := consult
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: demo test venv translations compile-translations system-deps pdf-deps node lint serve clean-demo demo-new-key

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -c constraints.txt -e '.[test]'
	touch $@

venv: $(VENV)/.installed

compile-translations: venv
	$(BIN)/pybabel compile -f -d translations --statistics 2>&1 | tail -n 4

# Extract strings, update every catalogue, compile.
translations: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --project Guth \
	  --copyright-holder "Guth contributors" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(MAKE) compile-translations

# The demo: SQLite in instance/, fictional data, analysis run, served by gunicorn.
# Links in the demo's emails point at GUTH_BASE_URL, never at the Host header a request names. Sessions
# are signed with the instance's own key (instance/secret_key, made on first start; see demo-new-key).
# gunicorn runs with deploy/gunicorn.conf.py, so responses say "Server: Guth" as in production.
DEMO_ENV := GUTH_DEMO=1 GUTH_BASE_URL=http://127.0.0.1:$(PORT)
demo: pdf-deps venv compile-translations
	$(DEMO_ENV) $(BIN)/flask db upgrade
	$(DEMO_ENV) $(BIN)/flask demo
	@echo "Guth demo: http://127.0.0.1:$(PORT)   (Ctrl-C to stop)"
	$(DEMO_ENV) GUNICORN_BIND=127.0.0.1:$(PORT) WEB_CONCURRENCY=1 GUNICORN_THREADS=8 GUNICORN_PRELOAD=0 \
	  GUNICORN_MAX_REQUESTS=0 $(BIN)/gunicorn -c deploy/gunicorn.conf.py --access-logfile - \
	  --access-logformat '%(m)s %(U)s %(s)s %(M)sms' 'consult:create_app()'

clean-demo:
	rm -f instance/guth.db instance/guth.db-wal instance/guth.db-shm

# The demo signs sessions with its own random key, made on first start in instance/secret_key (never
# committed, never printed). This makes a new one: every session and signed link made before stops working.
demo-new-key:
	rm -f instance/secret_key
	$(BIN)/python -c 'from consult.config import instance_secret_key; instance_secret_key("instance")' && \
	  echo "A new key is in instance/secret_key"

# System packages the browser and database tests need (only when root and apt-get exist).
# The evidence pack PDF: WeasyPrint needs Pango and HarfBuzz, and Noto fonts for every script (the demo needs them too).
pdf-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  need=""; \
	  dpkg -s fonts-noto-core >/dev/null 2>&1 || need="$$need fonts-noto-core fonts-dejavu-core"; \
	  for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do \
	    dpkg -s $$pkg >/dev/null 2>&1 || need="$$need $$pkg"; done; \
	  if [ -n "$$need" ]; then echo "Installing:$$need"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$need >/dev/null; fi; \
	else echo "Not root: for the evidence pack PDF install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core"; fi

system-deps: pdf-deps
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  need=""; \
	  command -v chromium >/dev/null || need="$$need chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	  command -v redis-server >/dev/null || need="$$need redis-server"; \
	  if [ -n "$$need" ]; then echo "Installing:$$need"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$need >/dev/null; fi; \
	else echo "Not root: make sure chromium, postgresql and redis-server are installed"; fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-fund --no-audit --loglevel=error
	touch $@

node: node_modules/.installed

test: system-deps venv node compile-translations
	$(BIN)/python scripts/run_tests.py

lint: venv
	$(BIN)/ruff check .

# The long fuzz hunt (issue 7): 10,000 generated inputs per property (1,000 per whole-app property),
# niced for a shared machine: about 45 minutes on 2 cores. CI runs 100 derandomised ones (about 35 s).
# GUTH_FUZZ_DB (default /tmp/guth-fuzz-examples)
# keeps what it finds for the next run; FUZZ_ARGS=-x stops at the first failure.
.PHONY: fuzz-full
fuzz-full: venv compile-translations
	GUTH_FUZZ=full nice -n 19 $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider -q \
	  --hypothesis-show-statistics --durations=0 $(FUZZ_ARGS)
