# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
# The newest Python 3.11 or later on the PATH (a name may be there but not run, like a pyenv shim
# for a version not selected); or name one: make PYTHON=/usr/bin/python3.12 run
PYTHONS := python3.13 python3.12 python3.11 python3
NEW_ENOUGH := import sys; sys.exit(sys.version_info < (3, 11))
PYTHON ?= $(shell for python in $(PYTHONS); do \
	$$python -c '$(NEW_ENOUGH)' >/dev/null 2>&1 && { echo $$python; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export SURGERY_CONFIG ?= development

.PHONY: run test test-other-days install install-test chromium html-checker database postcodes lint bench bench-web wrk clean

run: install postcodes database ## Serve the site with demo data on http://127.0.0.1:5000
	$(BIN)/flask demo load
	$(BIN)/flask serve --host 127.0.0.1 --port 5000

test: install-test chromium html-checker postcodes ## Lint, then run the whole suite (unit, services, web, browser)
	$(BIN)/ruff check .
	$(BIN)/pytest

# The suite at two more instants (see "Tests" in the README): the night the UK's clocks next go
# back, and a year from now. The browser tests are left out; they add nothing to the dates.
test-other-days: install-test postcodes ## The non-browser tests again, on other days
	@for instant in $$($(BIN)/python -m tests.instants clocks-back) \
			$$($(BIN)/python -m tests.instants a-year-ahead); do \
		echo "The suite at $$instant:"; \
		SURGERY_TEST_NOW=$$instant $(BIN)/pytest -q -m "not e2e" || exit 1; \
	done

$(BIN)/python:
	@'$(PYTHON)' -c '$(NEW_ENOUGH)' >/dev/null 2>&1 || { \
		echo "Surgery needs Python 3.11 or later: 3.11, 3.12 and 3.13 work."; \
		echo "$(if $(PYTHON),$(PYTHON) is older or does not run,None was found on the PATH (tried $(PYTHONS)))."; \
		echo "Install one, or name it: make PYTHON=/path/to/python3.12"; exit 1; } >&2
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

chromium: ## Debian's Chromium for the browser tests, installed only if missing
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# The Nu HTML Checker, which the browser tests run on the signed-in pages: npm's vnu-jar, at the
# version package-lock.json pins, under node_modules/. It runs on Java 17 or later (Debian's, not
# the one its install script would download, hence --ignore-scripts).
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar
html-checker: $(VNU_JAR) ## The Nu HTML Checker for the browser tests, installed only if missing
$(VNU_JAR): package.json package-lock.json
	@{ command -v java && command -v npm; } >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless npm; }
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

postcodes: install ## Build the offline postcode index once (about half a minute)
	$(BIN)/flask geo build-index

database: install ## Create or upgrade the database to the newest migration
	mkdir -p instance
	$(BIN)/flask db upgrade

lint: install-test
	$(BIN)/ruff check .

bench: install-test ## Benchmarks: each prints its figures, then one JSON line
	$(BIN)/python bench/postcodes.py
	$(BIN)/python bench/matcher.py --scale medium
	$(BIN)/python bench/notify.py

# The pages under load (see "Benchmarks" in the README): needs PostgreSQL on 127.0.0.1:5432 (user
# postgres, trust) and wrk; takes about 12 minutes.
bench-web: install-test postcodes wrk ## Benchmark the pages under load, national data and demo
	$(BIN)/python bench/web.py

wrk: ## Debian's wrk for bench-web, installed only if missing
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }

clean:
	rm -rf $(VENV) instance .cache .pytest_cache .ruff_cache node_modules
