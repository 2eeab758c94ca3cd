# Every target creates .venv and installs what it needs: on a fresh machine `make test` alone passes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lint lab bench graphviz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "Installing into $(VENV): impactgrad with its extras dev, notebook, bench and torch (PyTorch 2.13.0, CPU build, about 800 MB)"
	$(BIN)/python -m pip install --quiet -e '.[dev,notebook,bench,torch]'
	rm -f $(VENV)/.installed-*; touch $@

# The system Graphviz binary (`dot`), installed with apt-get or brew where it is missing.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	  elif command -v brew >/dev/null 2>&1; then brew install graphviz; \
	  else echo "Graphviz is missing: install it (apt install graphviz, brew install graphviz or conda install graphviz)"; exit 1; fi; }

demo: $(STAMP) graphviz
	$(BIN)/python -m nn.demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(STAMP) graphviz lint
	$(BIN)/python -m pytest

lab: $(STAMP) graphviz
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
