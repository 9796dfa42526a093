# SsoOperator: `make run` runs the whole stack locally, `make test` runs every test.
SHELL := /bin/bash
DOTNET ?= dotnet

.PHONY: all build setup test-assets test run manifests bench clean

all: build

## setup: install the Debian packages the build, tests and `make run` need (idempotent)
setup:
	@hack/setup.sh

## test-assets: build (once, cached) kube-apiserver from Debian's source and link etcd
test-assets: setup
	@hack/test-assets.sh >/dev/null

build:
	$(DOTNET) build SsoOperator.sln -nologo -v:q -clp:ErrorsOnly

## test: install what is missing, build, run all tests, print "N passed, N failed"
test: setup
	@KUBEBUILDER_ASSETS="$${KUBEBUILDER_ASSETS:-$$(hack/test-assets.sh)}" hack/run-tests.sh

## run: the whole stack on loopback with the quickstart configuration
run: setup
	@KUBEBUILDER_ASSETS="$${KUBEBUILDER_ASSETS:-$$(hack/test-assets.sh)}" hack/run.sh

## manifests: regenerate config/crd from the C# types in src/Crds
manifests:
	$(DOTNET) run --project src/Crds.Generator -- config/crd

## bench: benchmarks, each run side by side with its peers (BENCH_ARGS="--filter '*Secret*'" picks some)
bench:
	$(DOTNET) run -c Release --project bench/SsoOperator.Bench -- $(BENCH_ARGS)

clean:
	$(DOTNET) clean SsoOperator.sln -nologo -v:q
	rm -rf TestResults .run
