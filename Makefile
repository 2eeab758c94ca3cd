# Every target creates .venv (a virtual environment) and installs what it needs: on a fresh machine
# `make demo` alone runs the demo, and `make test` alone passes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUM    := $(shell cksum pyproject.toml | cut -d' ' -f1)
comma  := ,

# What each target installs (extras of pyproject.toml, joined by +): the demo only what it imports.
DEMO  := explore
LAB   := notebook+data+torch
BENCH := bench+torch+data
DOCS  := docs
TEST  := dev+notebook+data+browser+torch+bench+docs
installed = $(VENV)/.installed-$(1)-$(SUM)

.PHONY: demo test lint lab bench docs graphviz chromium npm clean

# One stamp per set of extras and version of pyproject.toml; then `import nn` says if another package
# named autograd (HIPS autograd) shadows impactgrad's.
$(VENV)/.installed-%-$(SUM): pyproject.toml
	@echo "Installing impactgrad with the extras [$(subst +,$(comma),$*)] into $(VENV), a virtual environment: a minute or a few the first time."
	test -x $(BIN)/python || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --upgrade pip; }
	$(BIN)/python -m pip install --quiet -e '.[$(subst +,$(comma),$*)]'
	$(BIN)/python -c 'import nn'
	rm -f $(VENV)/.installed-$*-*; touch $@

# $(call system,PROGRAM,APT PACKAGE,BREW PACKAGE,MESSAGE): install a system program where it is missing, with
# apt-get or brew, saying what and why first.
system = @command -v $(1) >/dev/null 2>&1 || { \
	  echo "$(4)"; \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(2) >/dev/null; \
	  elif command -v brew >/dev/null 2>&1; then brew install $(3); \
	  else echo "$(1) is missing: install it (apt install $(2) or brew install $(3))"; exit 1; fi; }

graphviz:
	$(call system,dot,graphviz,graphviz,Installing Graphviz (the system program 'dot'): the pictures of graphs are rendered with it.)

# Chromium for the browser tests (Playwright drives it; it cannot download its own browser here):
# Debian's `chromium` with apt-get where missing; elsewhere $$CHROMIUM or `playwright install chromium`.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$CHROMIUM" ] || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests (apt-get install chromium)"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	  else echo "No chromium on the PATH: set CHROMIUM=/path/to/chrome or run $(BIN)/playwright install chromium"; fi; }

npm:
	$(call system,npm,npm,node,Installing npm: it fetches MathJax from the npm registry for the offline documentation site.)

demo: $(call installed,$(DEMO)) graphviz
	$(BIN)/python -m nn.demo

lint: $(call installed,$(TEST))
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(call installed,$(TEST)) graphviz chromium lint docs
	$(BIN)/python -m pytest

# JupyterLab refuses to start as root unless told: containers often run as root, so tell it (and say so).
lab: $(call installed,$(LAB)) graphviz
	@if [ "$$(id -u)" = 0 ]; then echo "Running as root: starting JupyterLab with --allow-root."; fi
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# A quick run (about 2.5 minutes on a quiet 2-CPU machine) by default; `make bench FULL=1` for the full one
# (about 22 minutes there). A loaded machine stretches both: the progress lines show where the time goes.
bench: $(call installed,$(BENCH))
	$(BIN)/python bench/run.py $(if $(FULL),,--quick)

# The documentation site, into site/ (open site/index.html from disk): docs/build_site.py says how.
docs: $(call installed,$(DOCS)) graphviz npm
	$(BIN)/python docs/build_site.py site

clean:
	rm -rf $(VENV) out build site .pytest_cache .mypy_cache .ruff_cache .hypothesis
