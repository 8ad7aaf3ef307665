# The README's verbs. `make run` and `make test` work on a fresh Debian 12.
BUILD     ?= build
JOBS      ?= $(shell nproc)
DB        ?= sqlite:./var/zhuanban.db
LISTEN    ?= 127.0.0.1:8080
CMAKE_ARGS ?=

.PHONY: run test build web deps bench clean serve

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

web:
	cd web && npm run build --silent

run: deps build web
	@mkdir -p var
	@# init is idempotent: a database that has its root unit is left as it is.
	$(BUILD)/zhuanban init --db $(DB) --demo
	@echo "zhuanban: serving on http://$(LISTEN)"
	$(BUILD)/zhuanban serve --db $(DB) --listen $(LISTEN) --web-root web/dist

test: deps build web
	cd $(BUILD) && ctest --output-on-failure --no-tests=error

bench: deps build
	bench/run

clean:
	rm -rf $(BUILD) web/dist
