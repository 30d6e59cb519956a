# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: run dev test lint format bench migrate demo clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.x).")'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

migrate: $(STAMP)
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo

run: demo
	@echo ""
	@echo "  Canvas is running at http://$(HOST):$(PORT)/"
	@echo "  Demo login: demo / demo"
	@echo ""
	$(BIN)/uvicorn canvas_site.asgi:application --host $(HOST) --port $(PORT) \
		--timeout-graceful-shutdown 5 --lifespan off --no-access-log

# Like run, with DEBUG on and reloading when a file changes.
dev: demo
	DEBUG=true $(BIN)/uvicorn canvas_site.asgi:application --host $(HOST) --port $(PORT) \
		--timeout-graceful-shutdown 5 --lifespan off --reload

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/canvas_page.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/live.py
	$(BIN)/python bench/overload.py
	$(BIN)/python bench/room.py

clean:
	rm -rf $(VENV) var/*.sqlite3*
