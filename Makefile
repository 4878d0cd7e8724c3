# The two commands: `make run` serves the product on this box, `make test` runs every suite.
# Each sets up what it needs itself (virtual environment, demo model, database migrations).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 3000
DATA_DIR ?= data

export BENTOML_DO_NOT_TRACK := true
export HF_HUB_OFFLINE := 1
export PYTHONUNBUFFERED := 1

# The review tools (hadolint, checkov, python-hcl2) live in their own virtual environment: checkov
# pins many packages that must not disturb the product's .venv.
TOOLS_VENV := .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.installed

WEB := frontend
E2E := frontend/e2e
WEB_DEPS := $(WEB)/node_modules/.installed
# The Figma plugin (docs/figma-plugin.md): its own packages, built into figma-plugin/dist.
PLUGIN := figma-plugin
PLUGIN_DEPS := $(PLUGIN)/node_modules/.installed
E2E_DEPS := $(E2E)/node_modules/.installed
# The Azure Blob Storage emulator the storage tests run against (scripts/azurite.py starts it).
AZURITE := tools/azurite
AZURITE_DEPS := $(AZURITE)/node_modules/.installed

.PHONY: tools-venv azurite migrate run test test-python test-web test-plugin test-browser web plugin chromium haproxy screenshots venv demo-model openapi client check-client bench gpu-wheels fuzz soak image test-image lint clean

venv: $(STAMP)

# torch is pinned to the CPU build on disk here; an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

tools-venv: $(TOOLS_STAMP)

# python-hcl2 goes to its own folder (tools/hcl-requirements.txt says why).
$(TOOLS_STAMP): tools/lint-requirements.txt tools/hcl-requirements.txt
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install -q --upgrade pip
	$(TOOLS_VENV)/bin/pip install -q -r tools/lint-requirements.txt
	rm -rf $(TOOLS_VENV)/python-hcl2
	$(TOOLS_VENV)/bin/pip install -q --target $(TOOLS_VENV)/python-hcl2 -r tools/hcl-requirements.txt
	touch $@

# The migrate step of a deployment with several API replicas (docs/scaling.md): brings
# BAG_DATABASE_URL to this version's schema once; replicas then start with BAG_MIGRATE_ON_START=false.
# One box (`make run`) migrates at start and needs none of this.
migrate: venv
	$(BIN)/python -m jobs.migrate

# The demo model and two sample brand styles for it (loras/samples.py), each made once; and a local
# TEST certificate chain that signs the images' content credentials (provenance/testchain.py).
demo-model: venv
	$(BIN)/python -m models.demo $(DATA_DIR)
	$(BIN)/python -m loras.samples $(DATA_DIR)
	$(BIN)/python -m provenance.testchain $(DATA_DIR) >/dev/null

# The web app's packages, installed exactly from the lock files (again whenever they change).
$(WEB_DEPS): $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $@

$(PLUGIN_DEPS): $(PLUGIN)/package-lock.json
	cd $(PLUGIN) && npm ci --no-audit --no-fund
	touch $@

$(E2E_DEPS): $(E2E)/package-lock.json
	cd $(E2E) && npm ci --no-audit --no-fund
	touch $@

$(AZURITE_DEPS): $(AZURITE)/package-lock.json
	cd $(AZURITE) && npm ci --no-audit --no-fund
	touch $@

azurite: $(AZURITE_DEPS)

# The built web app, served by the product under /app/.
web: $(WEB_DEPS)
	cd $(WEB) && npm run build

# The Figma plugin as Figma loads it: dist/code.js and one self-contained dist/ui.html.
plugin: $(PLUGIN_DEPS)
	cd $(PLUGIN) && npm run build

chromium:
	scripts/ensure_chromium.sh

# The scale-out test (tests/e2e/test_scale_out.py) puts haproxy in front of runners and API replicas.
haproxy:
	scripts/ensure_haproxy.sh

run: venv demo-model web
	@echo ""
	@echo "  brand-asset-generator (demo model, development sign-in, SQLite, local disk)"
	@echo "  Open http://$(HOST):$(PORT)/app/  and sign in with your name (docs/sign-in.md says which names work)."
	@echo "  API docs: http://$(HOST):$(PORT)/docs (Authorize with the token 'dev:<your name>')"
	@echo "  Images are signed with a local TEST certificate ($(DATA_DIR)/c2pa-test), trusted by this server only."
	@echo ""
	BAG_DEV_AUTH=1 BAG_DATA_DIR=$(DATA_DIR) \
	BAG_C2PA_CERT_CHAIN=$${BAG_C2PA_CERT_CHAIN:-$(DATA_DIR)/c2pa-test/chain.pem} \
	BAG_C2PA_PRIVATE_KEY=$${BAG_C2PA_PRIVATE_KEY:-$(DATA_DIR)/c2pa-test/key.pem} \
	BAG_C2PA_TRUST_ANCHORS=$${BAG_C2PA_TRUST_ANCHORS:-$(DATA_DIR)/c2pa-test/ca.pem} \
	$(BIN)/bentoml serve service:Api --host $(HOST) --port $(PORT)

# Every suite: the web app's unit tests (with the generated-client check, the build and the
# bundle budget), the Figma plugin's (client check, type check, unit tests, build), the Python tests
# (the Bento build packs the built web app), then the browser tests against the real product in
# Debian's Chromium (the web app's and the plugin's).
test: test-web test-plugin test-python test-browser

# The suites share the build in frontend/dist and the machine's two cores: one thing at a time,
# even under make -j.
.NOTPARALLEL:

test-python: venv tools-venv haproxy $(AZURITE_DEPS)
	$(BIN)/python -m pytest

test-web: $(WEB_DEPS) web
	cd $(WEB) && npm run client:check && npm run test && npm run size

# The browser test's host page (figma-plugin/e2e) is type-checked here too: it is bundled at test time, unchecked.
test-plugin: $(PLUGIN_DEPS)
	cd $(PLUGIN) && npm run client:check && npm run typecheck && npx tsc -p e2e/tsconfig.json && npm test && npm run build

test-browser: venv web plugin $(E2E_DEPS) chromium
	cd $(E2E) && PYTHON=$(CURDIR)/$(BIN)/python npx playwright test

# Refresh the screenshots kept in docs/ (the browser tests take them on every run, into frontend/e2e/output).
screenshots: venv web plugin $(E2E_DEPS) chromium
	cd $(E2E) && PYTHON=$(CURDIR)/$(BIN)/python SCREENSHOT_DIR=$(CURDIR)/docs/screenshots npx playwright test screens brand-controls library figma-plugin

openapi: venv
	$(BIN)/python scripts/export_openapi.py clients/openapi.json

client: openapi $(WEB_DEPS) $(PLUGIN_DEPS)
	$(BIN)/python scripts/generate_client.py
	cd $(WEB) && npm run client
	cd $(PLUGIN) && npm run client

check-client: venv
	$(BIN)/python scripts/generate_client.py --check

# The benchmarks of docs/benchmarks.md (each compares two things in one run; wrk and haproxy from
# Debian, Azurite for bench/scale.py).
bench: venv haproxy $(AZURITE_DEPS)
	scripts/ensure_wrk.sh
	$(BIN)/python bench/serving.py
	$(BIN)/python bench/styles.py
	$(BIN)/python bench/scale.py

# The wheels the GPU check needs on a GPU machine that has only torch, transformers, accelerate and
# peft (docs/gpu-check.md): pinned, for Linux x86_64 and Python 3.12, into .whl/ (ignored by git).
gpu-wheels:
	bash bench/fetch_wheels.sh

# The deeper fuzzing run for a release: Schemathesis over every operation of the real product with
# many more examples and time than the bounded run inside `make test` (tests/contract/test_fuzz.py).
FUZZ_EXAMPLES ?= 300
FUZZ_SECONDS ?= 1800
fuzz: venv
	BAG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) BAG_FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/python -m pytest tests/contract/test_fuzz.py -p no:cacheprovider --timeout=0

# A long durability run: the real product SIGKILLed SOAK_KILLS times at random moments while
# SOAK_USERS users submit, on SQLite and PostgreSQL (make test runs 4 kills; docs/operations.md).
SOAK_KILLS ?= 40
SOAK_USERS ?= 3
soak: venv
	BAG_SOAK_KILLS=$(SOAK_KILLS) BAG_SOAK_USERS=$(SOAK_USERS) $(BIN)/python -m pytest tests/e2e/test_durability.py -s -p no:cacheprovider -n 0 --timeout=0

# The container image: one image for both roles (docs/deploy.md). `make image` builds the Bento and
# containerizes it with IMAGE_BACKEND, tagged brand-asset-generator:<version>.
# BASE=pull: the backend pulls python:3.11-slim from Docker Hub; BASE=debian: the base is made from
# Debian's packages first (scripts/make_base_image.sh), for machines that reach no registry.
# TORCH_INDEX: the index uv asks first for torch; empty: PyPI's CUDA torch (GPU hosts); the CPU
# index (https://download.pytorch.org/whl/cpu) for a test image (2.3 GB; CUDA torch adds GBs).
IMAGE_NAME ?= brand-asset-generator
IMAGE_VERSION ?= $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
IMAGE_BACKEND ?= buildah
BASE ?= pull
TORCH_INDEX ?=
# vfs storage and chroot isolation work on any host, inside an unprivileged CI container too (Debian
# 12's buildah 1.28 and podman 4.3 both read these); set STORAGE_DRIVER=overlay where it works.
image test-image: export STORAGE_DRIVER ?= vfs
image test-image: export BUILDAH_ISOLATION ?= chroot

image: venv web
	if [ "$(BASE)" = debian ]; then scripts/make_base_image.sh; fi
	tag=$$($(BIN)/bentoml build -o tag | sed -n 's/^__tag__://p') && \
	$(BIN)/bentoml containerize "$$tag" --backend $(IMAGE_BACKEND) -t $(IMAGE_NAME):$(IMAGE_VERSION) \
	  $(if $(TORCH_INDEX),--opt build-arg=UV_EXTRA_INDEX_URL=$(TORCH_INDEX))

# Opt-in, slow, not part of `make test`: builds the image (CPU torch), runs it with the demo model,
# both as one box and as the runner and API roles apart, and submits a job to each (tests/image).
test-image: venv web
	BAG_TEST_IMAGE=1 $(BIN)/python -m pytest tests/image -p no:cacheprovider -n 0 --timeout=0 -s

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(TOOLS_VENV) .pytest_cache $(WEB)/node_modules $(WEB)/dist $(E2E)/node_modules $(E2E)/output $(AZURITE)/node_modules \
	  $(PLUGIN)/node_modules $(PLUGIN)/dist
