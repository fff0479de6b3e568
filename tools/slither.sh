#!/usr/bin/env bash
# Static analysis gate: slither through forge; fails on untriaged high/medium findings.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python tools/slither_gate.py
