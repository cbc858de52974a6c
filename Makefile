# Developer entry points. `make example` builds the example handbook, `make test` runs the
# test suite; both first install what they need (scripts/bootstrap) into .venv.

VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.bootstrapped
EXAMPLE := examples/miena-vault

.PHONY: example test bench bench-memory fuzz clean

$(STAMP): pyproject.toml scripts/bootstrap tests/accessibility/package-lock.json
	bash scripts/bootstrap $(VENV)
	touch $(STAMP)

example: $(STAMP)
	$(VENV)/bin/miena-book check $(EXAMPLE)
	$(VENV)/bin/miena-book tree $(EXAMPLE)
	$(VENV)/bin/miena-book build $(EXAMPLE) -o build

test: $(STAMP)
	bash scripts/run-tests $(PYTHON)

bench: $(STAMP)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(PYTHON) scripts/bench_check.py
	$(PYTHON) scripts/bench_build.py

# The memory of an HTML build of 10,000 notes, cold and after an edit (about half an hour)
bench-memory: $(STAMP)
	$(PYTHON) scripts/bench_build.py --html-memory 10000

# The long fuzz run: VAULTS generated vaults or MINUTES of them, whichever comes first,
# JOBS at a time, up to NOTES notes each besides the root. The run prints the SEED=…
# JOBS=… VAULTS=… NOTES=… that draw the same vaults again; shrunk failures go to
# build/fuzz-failures/.
VAULTS  ?= 2000
MINUTES ?= 60
JOBS    ?= 2
NOTES   ?= 8
SEED    ?= $(shell date +%s)
fuzz: $(STAMP)
	cd tests && $(abspath $(PYTHON)) -m fuzz --vaults $(VAULTS) --minutes $(MINUTES) --jobs $(JOBS) \
		--notes $(NOTES) --seed $(SEED) --failures $(abspath build/fuzz-failures)

clean:
	rm -rf $(VENV) build/*.pdf build/*.epub build/*.html
