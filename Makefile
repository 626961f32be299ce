# Colecionador — setup, run and test on Debian/Ubuntu. `make run` and `make test` install what is
# missing (the apt packages below) by themselves.

APT_PACKAGES := pkg-config libopenblas-dev libturbojpeg0-dev libpng-dev
SWIFT ?= swift
SAMPLES := $(wildcard Samples/*.jpg Samples/*.jpeg Samples/*.png)

.PHONY: deps build run test bench clean

# Installs the system libraries when one is missing (as root, or through sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product colecionador

# The main job: classify the bundled sample photos, index them, and show each one's most
# similar photos (the first match is the photo itself, at distance 0).
run: build
	$(SWIFT) run -c release --skip-build colecionador classify $(SAMPLES)
	$(SWIFT) run -c release --skip-build colecionador index build Samples --out .build/samples.index
	$(SWIFT) run -c release --skip-build colecionador search $(SAMPLES) --index .build/samples.index --k 3

# The test suite (build first, so `swift test` does not redo the work).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release --product colecionador-bench

clean:
	rm -rf .build
