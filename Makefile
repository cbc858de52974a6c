# Developer entry points. `make example` builds the example handbook, `make test` runs the
# test suite; both first install what they need (scripts/bootstrap) into .venv.

VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.bootstrapped
EXAMPLE := examples/miena-vault

.PHONY: example test bench clean

$(STAMP): pyproject.toml scripts/bootstrap
	bash scripts/bootstrap $(VENV)
	touch $(STAMP)

example: $(STAMP)
	$(VENV)/bin/miena-book check $(EXAMPLE)
	$(VENV)/bin/miena-book tree $(EXAMPLE)
	$(VENV)/bin/miena-book build $(EXAMPLE) -o build

test: $(STAMP)
	bash scripts/run-tests $(PYTHON)

bench: $(STAMP)
	$(PYTHON) scripts/bench_check.py
	$(PYTHON) scripts/bench_build.py

clean:
	rm -rf $(VENV) build/*.pdf build/*.epub build/*.html
