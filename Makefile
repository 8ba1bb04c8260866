# gcmap developer commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev

.PHONY: demo test lint unit bench clean ui
UI_VENDOR := src/gcmap/api/static/vendor/cytoscape.min.js

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,postgres]' 2>&1 | grep -v '^WARNING: Location' || true
	@$(PY) -c "import gcmap, gcsim, PureCloudPlatformClientV2" || (echo "install failed: rerun 'make test' with network access to PyPI" && exit 1)
	@touch $(STAMP)

demo: $(STAMP) ui
	$(VENV)/bin/gcmap demo

# The graph view's and the API docs' third-party code comes from npm, never from the
# repository (and never from a CDN at run time).
ui: $(UI_VENDOR)

$(UI_VENDOR): ui/package.json
	@cd ui && npm install --no-audit --no-fund --silent
	@mkdir -p $(dir $(UI_VENDOR))
	@cp ui/node_modules/cytoscape-dagre/dist/cytoscape-dagre.js \
	    ui/node_modules/swagger-ui-dist/swagger-ui-bundle.js ui/node_modules/swagger-ui-dist/swagger-ui.css \
	    $(dir $(UI_VENDOR))
	@cp ui/node_modules/cytoscape/dist/cytoscape.min.js $(UI_VENDOR)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: lint ui
	$(PY) -m pytest -n 2 --dist loadgroup

unit: $(STAMP)
	$(PY) -m pytest tests/unit

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
