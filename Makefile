# RepairLab: `make run` and `make test` do everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := REPAIRLAB_ENV=$${REPAIRLAB_ENV:-development} $(BIN)/flask --app app
PO := repairlab/translations/fr/LC_MESSAGES/messages.po
MO := repairlab/translations/fr/LC_MESSAGES/messages.mo
PYTEST_WORKERS ?= auto
# The instance folder of this checkout (local settings, the SQLite file, photos); never in git.
INSTANCE ?= instance

.PHONY: run serve test lint format bench translations extract-messages migrate clean help dev-config

help:
	@echo "make run    - install, migrate, load demo data on first run, serve on http://127.0.0.1:5000"
	@echo "make serve  - production: gunicorn (deploy/gunicorn.conf.py), SECRET_KEY and DATABASE_URL from the environment"
	@echo "make test   - install test tools and run the whole suite"
	@echo "make lint   - ruff"
	@echo "make bench  - benchmarks at programme scale"

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

$(MO): $(PO) $(STAMP)
	$(BIN)/pybabel compile --statistics -d repairlab/translations -D messages

translations: $(MO)

# A development checkout says so in its instance config, so that the README's `flask --app app …` commands work
# in a new shell. Production never has this file: there REPAIRLAB_ENV defaults to production (SECRET_KEY required).
$(INSTANCE)/config.py:
	mkdir -p $(INSTANCE)
	printf '%s\n' '"""This checkout'"'"'s own settings (written by `make run`; not in git)."""' '' \
	  '# A local trial: the development key in instance/secret_key, the SQLite file in instance/.' \
	  'REPAIRLAB_ENV = "development"' > $@

dev-config: $(INSTANCE)/config.py

run: $(STAMP) $(MO) $(INSTANCE)/config.py
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo ""
	@echo "RepairLab is served on http://127.0.0.1:5000  (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production: gunicorn with deploy/gunicorn.conf.py (workers from the CPU count, JSON logs), in production mode unless
# REPAIRLAB_ENV says otherwise; SECRET_KEY, DATABASE_URL and the rest come from the environment (README, "Production").
serve: $(STAMP) $(MO)
	REPAIRLAB_ENV=$${REPAIRLAB_ENV:-production} $(BIN)/flask --app app db upgrade
	REPAIRLAB_ENV=$${REPAIRLAB_ENV:-production} exec $(BIN)/gunicorn -c deploy/gunicorn.conf.py

test: $(STAMP) $(MO)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the catalogue after adding strings, then translate the new entries in $(PO).
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext --ignore-dirs='.* __pycache__' -o repairlab/translations/messages.pot --no-location --sort-output repairlab templates
	$(BIN)/pybabel update -i repairlab/translations/messages.pot -d repairlab/translations -D messages --no-fuzzy-matching --ignore-obsolete --width 120

migrate: $(STAMP)
	$(FLASK) db upgrade

bench: $(STAMP) $(MO)
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
