# Coopetition: `make run` starts the whole platform locally, `make test` runs every test.
# Both set up what they need first (tools/setup.sh is idempotent).
SHELL := /bin/bash
ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
export PATH := $(ROOT)/.tools/bin:$(ROOT)/node_modules/.bin:$(VENV)/bin:$(PATH)
export SOLCX_BINARY_PATH := $(ROOT)/.tools/bin
export COOP_KUBO_BIN := $(ROOT)/.tools/bin/ipfs

.PHONY: setup test lint test-python test-forge test-brownie slither bench run demo clean help

help:
	@echo "make run    - start anvil, deploy, seed a demo challenge, oracles and the web app"
	@echo "make test   - set up and run every test (lint, forge, brownie, python, kubo)"
	@echo "make demo   - a whole challenge life in a few minutes, ending in a passing audit"
	@echo "make bench  - run the benchmarks; writes bench/report.json and docs/gas.md"
	@echo "make setup  - install everything (venv, npm ci, solc shim, kubo, apt packages)"

setup:
	@bash tools/setup.sh

test: setup lint test-forge slither test-brownie test-python

lint:
	ruff check .
	ruff format --check .
	mypy
	lint-imports
	forge fmt --check
	biome ci --colors=off

test-forge:
	forge test

# brownie's plugin is disabled for plain pytest (pyproject addopts); `brownie test` needs it.
test-brownie:
	brownie test tests/brownie -o addopts="-p no:cacheprovider -W ignore::FutureWarning -W ignore::DeprecationWarning"

slither:
	bash tools/slither.sh

test-python:
	"$(PY)" -m pytest -q

bench: setup
	"$(PY)" -m bench

# Ctrl-C stops everything `coop up` started (anvil, the API, three oracles).
run: setup
	"$(PY)" -m oracle.cli up

demo: setup
	"$(PY)" -m oracle.cli demo

clean:
	rm -rf build reports .pytest_cache
