# MASH front door. Two commands matter: `make run` and `make test` (README).
SHELL := /bin/bash
GO ?= go
FUNCTIONS := $(notdir $(patsubst %/main.go,%,$(wildcard functions/*/main.go)))
GOFLAGS_LAMBDA := -tags lambda.norpc -ldflags='-s -w' -trimpath

.PHONY: run test tools lint build mash unit bench bench-init clean

## run: the whole suite locally (embedded store, sample contacts flowing end to end)
run:
	$(GO) run ./cmd/mash demo --authority hackney

## tools: install the pinned external components the tests use, under .tools/ (idempotent)
tools:
	scripts/tools.sh

## lint: gofmt, go vet, and go.mod/go.sum tidy (no module the code no longer uses)
lint:
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod/go.sum are not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }
	@unformatted=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## test: everything, installing what it needs first; then a short fuzz of the email parser.
## The fuzz budget is a count, not a duration: Go 1.26's fuzz coordinator can report a spurious
## "context deadline exceeded" when a -fuzztime duration expires on a loaded machine (golang/go#75804,
## fixed in Go 1.27). A count has no deadline to race; a real slow input still shows as a test timeout.
test: tools lint
	$(GO) test -count=1 ./...
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime=40000x -fuzzminimizetime=1s -timeout=5m ./shared/intake/email

## bench: the benchmarks whose figures the README reports
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## bench-init: each function's init (exec → first Runtime API /next) beside a hello-world, in the same run
bench-init:
	$(GO) test -run '^$$' -bench BenchmarkInit -benchtime 15x ./functions

## build: one arm64 bootstrap per function under bin/<function>/bootstrap
build:
	@for f in $(FUNCTIONS); do \
	  GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build $(GOFLAGS_LAMBDA) -o bin/$$f/bootstrap ./functions/$$f || exit 1; \
	  printf '%-20s %s\n' "$$f" "$$(du -h bin/$$f/bootstrap | cut -f1)"; \
	done

## mash: the command line as bin/mash, stamped with the commit and build date (`mash version`)
mash:
	$(GO) build -ldflags "-X main.buildCommit=$$(git rev-parse HEAD 2>/dev/null) -X main.buildDate=$$(date -u +%Y-%m-%dT%H:%M:%SZ)" -o bin/mash ./cmd/mash

clean:
	rm -rf bin .aws-sam
