# Thin wrapper over CMake/CTest. The two commands a newcomer needs:
#   make demo   install what is missing, build Release, ingest real PDFs, run example queries
#   make test   install what is missing, build, run the whole test suite
BUILD_DIR ?= build
BUILD_TYPE ?= Release
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)
CTEST_FLAGS ?=

.PHONY: all deps configure build test demo clean asan

all: build

deps:
	@.ci/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

demo: build
	@resources/demo/run-demo $(BUILD_DIR)

# AddressSanitizer + UndefinedBehaviorSanitizer build and test run, in its own folder.
asan:
	@$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo CMAKE_FLAGS="-DPATCHWISE_SANITIZE=ON -DPATCHWISE_BUILD_GUI=OFF"

clean:
	rm -rf $(BUILD_DIR)
