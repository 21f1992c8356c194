# The ISP platform's everyday commands. Every target installs uv (with pip) when it is missing
# and syncs the workspace first, so a fresh clone needs nothing but Python 3.11+.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH; after `pip install uv` into a Python whose bin/ is not on PATH, through python3.
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PYTEST_ARGS ?=
# The coverage gate ([tool.coverage] in pyproject.toml); `make test COVERAGE=0` runs without it.
COVERAGE ?= 1
COV_ARGS = $(if $(filter 1,$(COVERAGE)),--cov --cov-report=term --cov-fail-under=85,)
# Strict typing: the shared library, the tools, and every service's domain.
MYPY_TARGETS = libs/common/src/isp_common $(wildcard tools/*/src/*) $(wildcard services/*/src/*/domain) $(wildcard bench/*.py)

.PHONY: help uv sync up test check lint format migrate events-doc bench

help:
	@echo "make up          run the whole platform locally (Postgres + RabbitMQ must be running)"
	@echo "make test        every test (libs, services, tools, tests) on real Postgres and RabbitMQ"
	@echo "make check       lint, then test"
	@echo "make lint        ruff, ruff format --check, mypy --strict, import-linter contracts"
	@echo "make format      ruff --fix and ruff format"
	@echo "make migrate     run every installed service's migrations (isp migrate)"
	@echo "make events-doc  regenerate docs/events.md and docs/asyncapi.json from the contracts"
	@echo "make bench       run the benchmarks; writes bench/results.json and docs/performance.md"

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet uv

sync: uv
	@$(UV) sync --all-packages --quiet

up: sync
	$(UV) run isp up

test: sync
	$(UV) run pytest $(COV_ARGS) $(PYTEST_ARGS)

check: lint test

# Every check runs, even after one fails, so a single run shows everything to fix.
lint: sync
	@status=0; \
	echo "== ruff check"; $(UV) run ruff check . || status=1; \
	echo "== ruff format --check"; $(UV) run ruff format --check . || status=1; \
	echo "== mypy (strict) $(MYPY_TARGETS)"; $(UV) run mypy $(MYPY_TARGETS) || status=1; \
	echo "== lint-imports"; $(UV) run lint-imports || status=1; \
	exit $$status

format: sync
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

migrate: sync
	$(UV) run isp migrate

events-doc: sync
	$(UV) run isp events-doc

bench: sync
	$(UV) run python bench/run.py
