# The entry point for building, testing and running the bot. `make help`
# lists the targets. Tools are installed into a cache outside the
# repository (override with CACHE_DIR) so a fresh clone only needs Go.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO            ?= go
CACHE_DIR     ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/prowbot
TOOLS_BIN     := $(CACHE_DIR)/bin
BIN_DIR       := bin
VERSION       ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS       := -X github.com/prowbot/prow/prow/version.version=$(VERSION)
GOTEST_FLAGS  ?= -race -count=1
FUZZTIME      ?= 2m

GOLANGCI_LINT_VERSION  := v2.15.0
CONTROLLER_GEN_VERSION := v0.23.0
OCTOKIT_OPENAPI_VERSION := 23.0.2
OCTOKIT_OPENAPI_DIR     := $(CACHE_DIR)/npm/octokit-openapi-$(OCTOKIT_OPENAPI_VERSION)/node_modules/@octokit/openapi
OCTOKIT_GRAPHQL_SCHEMA_VERSION := 15.26.1
OCTOKIT_GRAPHQL_SCHEMA_DIR     := $(CACHE_DIR)/npm/octokit-graphql-schema-$(OCTOKIT_GRAPHQL_SCHEMA_VERSION)/node_modules/@octokit/graphql-schema
GOLANGCI_LINT  := $(TOOLS_BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
CONTROLLER_GEN := $(TOOLS_BIN)/controller-gen-$(CONTROLLER_GEN_VERSION)
# etcd, kube-apiserver, kube-scheduler, kubectl and kwok for test/kubeenv,
# cached by version (hack/kube-testenv/build.sh holds the versions).
KUBE_TESTENV_BIN := $(shell CACHE_DIR='$(CACHE_DIR)' hack/kube-testenv/build.sh --print-bin)

# The example configuration `make run` uses.
EXAMPLE_DIR := deploy/example

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build bin/prow (the lean front: checkconfig, version) and bin/prow-components (every component)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN_DIR)/prow-components ./cmd/prow
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN_DIR)/prow ./cmd/prow-front

.PHONY: run
run: build sandbox-tools ## Run the bot on the bundled example: the sandbox GitHub and hook on 127.0.0.1
	$(BIN_DIR)/prow checkconfig --config-path $(EXAMPLE_DIR)/config.yaml \
		--job-config-path $(EXAMPLE_DIR)/jobs --plugin-config $(EXAMPLE_DIR)/plugins.yaml
	hack/run.sh

.PHONY: test
test: verify-crd $(OCTOKIT_OPENAPI_DIR) $(OCTOKIT_GRAPHQL_SCHEMA_DIR) browser sandbox-tools container-tools kube-binaries ## Run every test (with -race)
	OCTOKIT_OPENAPI_DIR=$(OCTOKIT_OPENAPI_DIR) OCTOKIT_GRAPHQL_SCHEMA_DIR=$(OCTOKIT_GRAPHQL_SCHEMA_DIR) KUBE_TESTENV_BIN=$(KUBE_TESTENV_BIN) $(GO) test $(GOTEST_FLAGS) ./...

.PHONY: kube-binaries
kube-binaries: ## Build the test control plane (etcd, kube-apiserver, kube-scheduler, kwok) into the cache, once
	CACHE_DIR='$(CACHE_DIR)' hack/kube-testenv/build.sh

.PHONY: browser
browser: ## Install Debian's chromium for deck's browser tests, when missing
	@command -v chromium >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y chromium; else sudo apt-get update -qq && sudo apt-get install -y chromium; fi; }

.PHONY: sandbox-tools
sandbox-tools: ## Install Debian's bubblewrap for the sandbox runner and its tests, when missing
	@command -v bwrap >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y bubblewrap; else sudo apt-get update -qq && sudo apt-get install -y bubblewrap; fi; }

.PHONY: container-tools
container-tools: ## Install Debian's podman, runc and busybox-static for the container runner and its tests, when missing
	@{ command -v podman && command -v runc && command -v busybox; } >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y podman runc busybox-static; else sudo apt-get update -qq && sudo apt-get install -y podman runc busybox-static; fi; }

.PHONY: lint
lint: $(GOLANGCI_LINT) ## Run golangci-lint
	$(GOLANGCI_LINT) run ./...

.PHONY: fmt
fmt: $(GOLANGCI_LINT) ## Format the code
	$(GOLANGCI_LINT) fmt ./...

.PHONY: bench
bench: kube-binaries ## Run the benchmarks and print a table of the figures against their targets
	@mkdir -p $(CACHE_DIR)
	export KUBE_TESTENV_BIN=$(KUBE_TESTENV_BIN); { $(GO) test -run '^$$' -bench . -benchmem -benchtime 5x ./config/... && \
	  $(GO) test -run '^$$' -bench . -benchmem -benchtime 20000x ./hook/... && \
	  $(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./test/lifecycle/... && \
	  $(GO) test -run '^$$' -bench . -benchmem ./jobs/sqlite/... && \
	  $(GO) test -run '^$$' -bench . -benchtime 1x ./jobs/local/... && \
	  $(GO) test -run '^$$' -bench . -benchmem -benchtime 20x ./deck/... && \
	  $(GO) test -run '^$$' -bench 'TriggerToPod|APIWritesPerJob' -benchtime 1x ./jobs/kube/ && \
	  $(GO) test -run '^$$' -bench ControllerAtScale -benchtime 1x -timeout 15m ./cmd/prow/ && \
	  $(GO) test -run '^$$' -bench 'Sync1000PRs|GreenToMerge' -benchtime 1x ./tide/ && \
	  $(GO) test -run '^$$' -bench SearchPullRequests1000 -benchtime 1x ./prow/github/ && \
	  $(GO) test -run '^$$' -bench InRepoTrigger -benchtime 20x ./plugins/trigger/ && \
	  $(GO) test -run '^$$' -bench GitHubCallsPerJob -benchtime 20x ./jobs/report/ ; } | tee $(CACHE_DIR)/bench.txt | $(GO) run ./hack/benchtable

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZTIME each (default 2m)
	@for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

.PHONY: update-crd
update-crd: $(CONTROLLER_GEN) ## Regenerate deep-copy code and the ProwJob CRD from the Go types
	CONTROLLER_GEN=$(CONTROLLER_GEN) hack/update-crd.sh

.PHONY: verify-crd
verify-crd: $(CONTROLLER_GEN) ## Fail when the generated code or CRD is stale
	CONTROLLER_GEN=$(CONTROLLER_GEN) hack/verify-crd.sh

.PHONY: tools
tools: $(GOLANGCI_LINT) $(CONTROLLER_GEN) $(OCTOKIT_OPENAPI_DIR) $(OCTOKIT_GRAPHQL_SCHEMA_DIR) ## Install the pinned tools into the cache

# GitHub's published OpenAPI description, which the sandbox's responses are
# checked against. npm comes from Debian when the machine lacks it.
$(OCTOKIT_OPENAPI_DIR):
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	mkdir -p $(CACHE_DIR)/npm/octokit-openapi-$(OCTOKIT_OPENAPI_VERSION)
	npm install --no-audit --no-fund --silent --prefix $(CACHE_DIR)/npm/octokit-openapi-$(OCTOKIT_OPENAPI_VERSION) @octokit/openapi@$(OCTOKIT_OPENAPI_VERSION)

.PHONY: graphql-schema
graphql-schema: $(OCTOKIT_GRAPHQL_SCHEMA_DIR) ## Install GitHub's GraphQL schema into the cache and print OCTOKIT_GRAPHQL_SCHEMA_DIR for its test
	@echo OCTOKIT_GRAPHQL_SCHEMA_DIR=$(OCTOKIT_GRAPHQL_SCHEMA_DIR)

# GitHub's public GraphQL schema (schema.graphql), which the sandbox's
# GraphQL schema is checked against.
$(OCTOKIT_GRAPHQL_SCHEMA_DIR):
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	mkdir -p $(CACHE_DIR)/npm/octokit-graphql-schema-$(OCTOKIT_GRAPHQL_SCHEMA_VERSION)
	npm install --no-audit --no-fund --silent --prefix $(CACHE_DIR)/npm/octokit-graphql-schema-$(OCTOKIT_GRAPHQL_SCHEMA_VERSION) @octokit/graphql-schema@$(OCTOKIT_GRAPHQL_SCHEMA_VERSION)

$(GOLANGCI_LINT):
	@mkdir -p $(TOOLS_BIN)
	cd /tmp && GOBIN=$(TOOLS_BIN) GOFLAGS= $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(TOOLS_BIN)/golangci-lint $@

$(CONTROLLER_GEN):
	@mkdir -p $(TOOLS_BIN)
	cd /tmp && GOBIN=$(TOOLS_BIN) GOFLAGS= $(GO) install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_GEN_VERSION)
	mv $(TOOLS_BIN)/controller-gen $@

.PHONY: clean
clean: ## Remove build output
	rm -rf $(BIN_DIR)
