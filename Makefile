# Every target creates .venv and installs what it needs: on a fresh machine `make test` alone passes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lint lab bench graphviz chromium clean

$(STAMP): pyproject.toml
	@echo "Installing impactgrad and its extras (dev, notebook, bench, data: scikit-learn's digits, browser: Playwright, torch: PyTorch 2.13.0, CPU build, about 800 MB) into $(VENV): a few minutes the first time."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,notebook,bench,data,browser,torch]'
	rm -f $(VENV)/.installed-*; touch $@

# The system Graphviz binary (`dot`), installed with apt-get or brew where it is missing.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Installing Graphviz (the system program 'dot'): the pictures of graphs are rendered with it."; \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	  elif command -v brew >/dev/null 2>&1; then brew install graphviz; \
	  else echo "Graphviz is missing: install it (apt install graphviz, brew install graphviz or conda install graphviz)"; exit 1; fi; }

# Chromium for the browser tests (Playwright drives it; it cannot download its own browser here):
# Debian's `chromium` with apt-get where missing; elsewhere $$CHROMIUM or `playwright install chromium`.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$CHROMIUM" ] || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests (apt-get install chromium)"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	  else echo "No chromium on the PATH: set CHROMIUM=/path/to/chrome or run $(BIN)/playwright install chromium"; fi; }

demo: $(STAMP) graphviz
	$(BIN)/python -m nn.demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(STAMP) graphviz chromium lint
	$(BIN)/python -m pytest

# JupyterLab refuses to start as root unless told: containers often run as root, so tell it (and say so).
lab: $(STAMP) graphviz
	@if [ "$$(id -u)" = 0 ]; then echo "Running as root: starting JupyterLab with --allow-root."; fi
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# A quick run (about 45 s) by default; `make bench FULL=1` for the full one (about eight and a half minutes).
bench: $(STAMP)
	$(BIN)/python bench/run.py $(if $(FULL),,--quick)

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
