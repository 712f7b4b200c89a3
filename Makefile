# MSMEBazaar — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
LINT_PATHS := src tests scripts $(wildcard bench)

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	@touch $@ $(VENV)/.installed-run

.PHONY: install
install: $(VENV)/.installed-run ## Create .venv and install the app

.PHONY: dev
dev: $(VENV)/.installed-dev ## Create .venv and install the app with the dev tools

.PHONY: run
run: install ## Migrate the embedded SQLite database under var/ and serve every service on :8000
	@mkdir -p var
	$(BIN)/msmebazaar migrate
	@# Local development: the sign-in code comes back in the API (debug_code), so /docs is
	@# enough to sign in. Production refuses AUTH_OTP_ECHO; set it to false here to try SMS.
	AUTH_OTP_ECHO=$${AUTH_OTP_ECHO:-true} $(BIN)/msmebazaar serve

.PHONY: migrate
migrate: install ## Apply database migrations (DATABASE_URL, default var/msmebazaar.db)
	$(BIN)/msmebazaar migrate

.PHONY: lint
lint: dev ## ruff lint and format check
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

.PHONY: format
format: dev ## Format the code and apply safe lint fixes
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

.PHONY: types
types: dev ## mypy (strict)
	$(BIN)/mypy

.PHONY: imports
imports: dev ## Architecture contracts (import-linter)
	$(BIN)/lint-imports

# One pytest-xdist worker per core, at most 4 (each takes its own database and Redis db: see
# tests/conftest.py; which tests share a worker: tests/parallel.py). PYTEST_ARGS=-n0 runs the
# suite in one process.
PYTEST_XDIST ?= -n auto --maxprocesses=4 --dist loadfile

.PHONY: pytest
pytest: dev ## The test suite with the 85% coverage floor, spread over the cores
	$(BIN)/pytest $(PYTEST_XDIST) --cov --cov-report=term --cov-fail-under=85 $(PYTEST_ARGS)

.PHONY: test
test: lint types imports pytest ## Everything CI checks: lint, types, architecture, tests

COMPOSE := docker compose --env-file .env -f devops/docker-compose.yml

.PHONY: up
up: ## Build the image and start the production stack (devops/docker-compose.yml, secrets in .env)
	@test -f .env || { echo "No .env: copy .env.template to .env and set its passwords" >&2; exit 1; }
	$(COMPOSE) up --build --detach
	@echo "Starting: the app on http://localhost:8080 (PROXY_PORT), Grafana on 127.0.0.1:3000;"
	@echo "watch it come up with: $(COMPOSE) ps"

.PHONY: down
down: ## Stop the production stack (its data volumes are kept; `docker compose ... down -v` drops them)
	$(COMPOSE) down

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev,bench]'
	@touch $@

.PHONY: bench
bench: dev $(VENV)/.installed-bench ## Load test: Locust on PostgreSQL + Redis, 2 app processes (BENCH_DATABASE_URL, BENCH_REDIS_URL; BENCH_ARGS="--runs 3 --wrk"); report in bench/results/load/
	$(BIN)/python bench/locust/run.py $(BENCH_ARGS)

BENCH_SCALE_ARGS ?= --runs 3

.PHONY: bench-scale
bench-scale: dev $(VENV)/.installed-bench ## Open-loop load at 100,000 businesses, PostgreSQL + Redis, `serve --workers 2` (BENCH_DATABASE_URL, BENCH_REDIS_URL; BENCH_SCALE_ARGS="--runs 3 --rates 100,200,400,600"); report in bench/results/scale-<businesses>.md
	$(BIN)/python bench/bench_scale.py $(BENCH_SCALE_ARGS)

BENCH_NOTIFICATIONS_ARGS ?= --runs 3 --rates 25,50,100

.PHONY: bench-notifications
bench-notifications: dev $(VENV)/.installed-bench ## Live notification streams: 2,000 SSE streams open in one `notifications` process, then delivery latency at 25, 50 and 100 interests/s through `msmebazaar worker`, PostgreSQL + Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL; BENCH_NOTIFICATIONS_ARGS="--runs 3 --streams 4000"); report in bench/results/notifications.json
	$(BIN)/python bench/bench_notifications.py $(BENCH_NOTIFICATIONS_ARGS)

.PHONY: clean
clean: ## Remove the virtualenv, caches and the embedded database
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
