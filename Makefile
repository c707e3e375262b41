# Kith — everyday commands. See docs/DEVELOPMENT.md.
.PHONY: build test test-postgres e2e fuzz crash soak bench run demo format lint ci

build:
	swift build --build-tests

test: build
	swift test --skip-build

test-postgres: build
	scripts/with-test-postgres.sh swift test --skip-build

e2e:
	swift build --product kith
	python3 -m venv .venv && .venv/bin/pip install -q -r Tests/e2e/requirements.txt
	KITH_BIN=$(PWD)/.build/debug/kith .venv/bin/python -m pytest -q Tests/e2e

fuzz:
	swift build --product kith
	scripts/fuzz-api.sh 200

crash:
	swift build --product kith
	python3 Tests/crash/crash_safety.py .build/debug/kith 20
	python3 Tests/crash/backup_restore.py .build/debug/kith 3
	KITH_PG_DURABLE=1 scripts/with-test-postgres.sh bash -c \
	    'KITH_CRASH_DATABASE_URL="$$KITH_TEST_POSTGRES_URL" python3 Tests/crash/crash_safety.py .build/debug/kith 5'

soak:
	scripts/soak.sh 600 100000

bench:
	swift run -c release KithBench directory --members 100000 --json

run:
	swift run kith serve --demo

format:
	swift format format --parallel --in-place --recursive Sources Tests Package.swift

lint:
	swift format lint --strict --recursive Sources Tests Package.swift
	scripts/check-architecture.sh

ci:
	bash .ci/run
