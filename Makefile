# Opstap developer tasks. `make test` is the test command CI runs.
GO ?= go
export OPSTAP_TEST_DATABASE_URL ?=

.PHONY: run test lint bench demo node_modules

run:
	$(GO) run ./cmd/opstap serve --demo

demo: run

# Browser tests need axe-core from npm and Debian's chromium; without them
# they skip locally and fail in CI (CI=true).
node_modules: package-lock.json
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund

test: node_modules
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...

lint:
	@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) mod tidy -diff

bench:
	$(GO) test -run '^$$' -bench . -benchtime 2000x -count 5 ./internal/store/ ./internal/auth/
