# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
PORT ?= 3000
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
LOAD_USERS ?= 32
LOAD_SECONDS ?= 60

export UV_PYTHON_DOWNLOADS := never
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export REFLEX_USE_NPM := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help install run test test-deps lint format services load

help:
	@echo "make run    install, migrate, prepare the demo, serve on http://localhost:$(PORT)"
	@echo "make test   install, start PostgreSQL/Redis/Chromium as needed, run every test"
	@echo "make load   serve the demo app and run Locust on its API (LOAD_USERS, LOAD_SECONDS)"

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --frozen --inexact --quiet
	touch $@

install: $(VENV)/.installed

run: install
	CREDIT_APP_PORT=$(PORT) $(BIN)/credit-app demo prepare
	$(BIN)/credit-app serve --migrate --port $(PORT)

# Locust on the API of the served demo app; CSV results in load-results/ (not in make test).
load: install
	$(BIN)/python benchmarks/run_load.py --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

services:
	scripts/ensure-services.sh

test-deps: install services
	scripts/ensure-chromium.sh $(BIN)/playwright
	scripts/ensure-axe.sh $(BIN)/npm

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: test-deps lint
	TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
		$(BIN)/pytest
