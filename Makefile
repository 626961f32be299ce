# Colecionador — setup, run and test on Debian/Ubuntu. `make run` and `make test` install what is
# missing (the apt packages below) by themselves.

APT_PACKAGES := pkg-config libopenblas-dev libturbojpeg0-dev libpng-dev
SWIFT ?= swift
# The flag that compiles our SIMD kernels for this CPU (x86-64-v4 with AVX-512, v3 with AVX2+FMA,
# none otherwise): Swift has no run-time dispatch, and without it the library runs at baseline
# x86-64. `make run CPU_FLAGS=` builds without; the tests always build without (any machine).
CPU_FLAGS ?= $(shell sh Deploy/cpu-build-flags.sh)
SAMPLES := $(wildcard Samples/*.jpg Samples/*.jpeg Samples/*.png)

.PHONY: deps build run test bench serve venv venv-fixtures clean

# Installs the system libraries when one is missing (as root, or through sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release $(CPU_FLAGS) --product colecionador

# The main job: classify the bundled sample photos, index them, and show each one's most
# similar photos (the first match is the photo itself, at distance 0); then learn the
# categories of Samples/collection (cats, cups, rockets) and classify the samples in them.
run: build
	$(SWIFT) run -c release $(CPU_FLAGS) --skip-build colecionador classify $(SAMPLES)
	$(SWIFT) run -c release $(CPU_FLAGS) --skip-build colecionador index build Samples --out .build/samples.index
	$(SWIFT) run -c release $(CPU_FLAGS) --skip-build colecionador search $(SAMPLES) --index .build/samples.index --k 3
	$(SWIFT) run -c release $(CPU_FLAGS) --skip-build colecionador train Samples/collection --out .build/collection-head.safetensors --folds 3
	$(SWIFT) run -c release $(CPU_FLAGS) --skip-build colecionador classify --head .build/collection-head.safetensors --top 3 $(SAMPLES)

# The test suite (build first, so `swift test` does not redo the work), with a throwaway
# PostgreSQL for the service's PostgreSQL cases when its binaries are installed
# (Tests/with-postgres.sh says clearly when they are not).
test: deps
	$(SWIFT) build --build-tests
	Tests/with-postgres.sh $(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release $(CPU_FLAGS) --product colecionador-bench

# The service, built for this CPU: `make serve ARGS="--postgres URL"`.
serve: build
	$(SWIFT) run -c release $(CPU_FLAGS) --skip-build colecionador serve $(ARGS)

# The Python peers of the benchmarks (ONNX Runtime, OpenVINO, FAISS, hnswlib) in .venv/ inside
# the checkout: `.venv/bin/python Benchmarks/peers/compare_inference.py …`.
venv:
	python3 -m venv .venv
	.venv/bin/pip install -q -r Benchmarks/peers/requirements.txt

# The fixture generators' packages (TensorFlow, scipy, …; Tests/Fixtures/requirements.txt) in the
# same .venv/: `.venv/bin/python Tests/Fixtures/…`.
venv-fixtures: venv
	.venv/bin/pip install -q -r Tests/Fixtures/requirements.txt

clean:
	rm -rf .build
