# Two entry points for a fresh machine (see README.md):
#   make serve  - install sitegen into .venv, build the demo site and serve it on loopback
#   make test   - install sitegen and its test tools, then run lint, types and every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve test lint demo-content clean

$(BIN)/sitegen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/sitegen

serve: install
	$(BIN)/sitegen serve --host $(HOST) --port $(PORT)

tools/node_modules/vnu-jar/build/dist/vnu.jar: tools/package.json tools/package-lock.json | $(VENV)/.test-deps
	scripts/install-postgres
	npm ci --prefix tools --no-audit --no-fund
	@test -s $@ || { echo "npm ci did not install $@" >&2; exit 1; }
	touch $@  # newer than package-lock.json: not installed again

# System packages (Java, npm, Chromium, nginx, Caddy): again whenever the script changes.
$(VENV)/.test-deps: scripts/install-test-deps $(BIN)/sitegen
	scripts/install-test-deps
	touch $@

lint: install
	$(BIN)/ruff check sitegen tests benchmarks scripts
	$(BIN)/ruff format --check sitegen tests benchmarks scripts
	$(BIN)/mypy

test: install $(VENV)/.test-deps tools/node_modules/vnu-jar/build/dist/vnu.jar lint
	node --test tests/js/
	$(BIN)/pytest

# Regenerate content/facilities from the open data in data/sources with `sitegen import` and
# the mapping files in data/mappings (see docs/import.md). Re-running keeps editors' edits.
# (content/facilities/park/ is written by hand from cited pages: see data/sources/README.md.)
demo-content: install
	$(BIN)/sitegen import data/sources/taipei_2015/taipeiToilet.xml --mapping data/mappings/taipei_toilets.yaml
	$(BIN)/sitegen import data/sources/kaohsiung_toilets.json --mapping data/mappings/kaohsiung_toilets.yaml
	$(BIN)/sitegen import data/sources/taipei_2015/water_big5.csv --mapping data/mappings/taipei_water.yaml
	$(BIN)/sitegen import data/sources/taipei_2015/trash_can*.csv --mapping data/mappings/taipei_bins.yaml
	$(BIN)/sitegen import data/sources/hk_fehd_2023/fehd_facilities_2023-03-14.geojson --mapping data/mappings/hk_fehd_toilets.yaml
	$(BIN)/sitegen import data/sources/hk_epd_2022/wasteless.csv --mapping data/mappings/hk_epd_recycling.yaml

clean:
	rm -rf $(VENV) tools/node_modules public .sitegen-serve
