# NTSecurity: `make demo` and `make test` are the two set-up commands (see README.md).
SHELL := /bin/bash
SWIFT ?= swift
FUZZ_SMOKE_SECONDS ?= 20

.PHONY: deps build test docs demo bench fuzz fuzz-smoke format lint clean

deps:
	scripts/install-deps

build: deps
	$(SWIFT) build

## Builds everything and the documentation (scripts/build-docs), runs every suite: unit, property
## and Windows conformance tests, then a short run of each fuzz target.
test: deps
	FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) scripts/run-tests

## Builds the DocC catalogs (articles, snippets, symbol docs) with warnings as errors; the archives
## land in .build/plugins/Swift-DocC/outputs/.
docs: deps
	scripts/build-docs

## Builds the CLI and runs the guided tour on the embedded defaults.
demo: deps
	$(SWIFT) build --product ntsec
	$$($(SWIFT) build --show-bin-path)/ntsec tour

## Benchmarks (ordo-one/benchmark) and the side-by-side comparison with Samba.
bench: deps
	cd Benchmarks && $(SWIFT) package benchmark
	scripts/bench-compare

## Longer fuzzing runs (FUZZ_SECONDS per target, default 300).
fuzz: deps
	scripts/fuzz

fuzz-smoke: deps
	FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) scripts/fuzz

format:
	$(SWIFT) format -i -r Sources Tests Snippets Fuzz/Sources Fuzz/Package.swift Package.swift $(wildcard Benchmarks/Benchmarks) $(wildcard Benchmarks/Package.swift)

## The swift-format lint `make test` runs first.
lint:
	$(SWIFT) format lint --strict -r Sources Tests Snippets Fuzz/Sources Fuzz/Package.swift Package.swift $(wildcard Benchmarks/Benchmarks) $(wildcard Benchmarks/Package.swift)

clean:
	rm -rf .build .build-* Fuzz/.build* Benchmarks/.build*
