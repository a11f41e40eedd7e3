# Opstap developer tasks. `make test` is the test command CI runs.
GO ?= go
export OPSTAP_TEST_DATABASE_URL ?=

.PHONY: run test lint bench demo node_modules fuzz race

run:
	$(GO) run ./cmd/opstap serve --demo

demo: run

# Browser tests need axe-core from npm and Debian's chromium; without them
# they skip locally and fail in CI (CI=true). The OpenAPI lint needs Spectral.
node_modules: package-lock.json
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund

# Every test runs under the race detector (issue 14): one pass, so CI does
# not run the suite twice. Two families of third-party packages are compiled
# without its instrumentation; the race runtime still checks every access
# of ours and of the other libraries:
# - modernc.org's SQLite, transpiled from C: its locking is SQLite's own,
#   and instrumenting it made the store's tests five times slower;
# - pb33f's OpenAPI library, used only by the tests' contract check: its
#   parallel model build races upstream (pb33f/libopenapi#299, #333);
# - go-json-experiment/json, used only by chromedp in the browser tests:
#   its lazily built decoders were reported racing on first use (session 8).
RACE = -race -gcflags='modernc.org/...=-race=false' -gcflags='github.com/pb33f/...=-race=false' \
	-gcflags='github.com/go-json-experiment/...=-race=false'
test: node_modules
	$(GO) vet ./...
	$(GO) test $(RACE) -count=1 -timeout 40m ./...

# The OpenAPI document is linted as served (merged from the fragments, with
# the rules of internal/api/openapi_complete.go applied) by Spectral's OAS
# ruleset; any result fails, warnings and hints included.
lint: node_modules
	@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) mod tidy -diff
	@doc=$$(mktemp --suffix=.json) && trap 'rm -f "$$doc"' EXIT && \
	  $(GO) run ./cmd/opstap openapi > "$$doc" && \
	  node_modules/.bin/spectral lint --quiet --fail-severity hint --ruleset .spectral.yaml "$$doc" && \
	  echo "openapi: spectral:oas, no results"

# Every Go fuzz target runs briefly (FUZZTIME each) on top of its seed
# corpus, which `make test` already runs as ordinary tests. The targets are
# found in the sources, not with `go test -list`, which would build and run
# every package's test binary once more. The budget is a number of inputs,
# not a duration: Go 1.26's fuzzer can report a spurious "context deadline
# exceeded" when a duration runs out under load (golang/go#75804, fixed in
# Go 1.27).
FUZZTIME ?= 500x
fuzz:
	@set -e; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v '^./node_modules/' | sort); do \
	  dir=$$(dirname $$file); \
	  for f in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
	    echo "fuzz $$dir $$f"; out=$$($(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$dir 2>&1) || { echo "$$out"; exit 1; }; \
	  done; \
	done

# `make test` runs under the race detector; `race` stays as its old name.
race: test

bench:
	$(GO) test -run '^$$' -bench . -benchtime 2000x -count 5 ./internal/store/ ./internal/auth/
