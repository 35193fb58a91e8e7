# The README's commands: `make lab` and `make test`; for teachers `make slides NB=04`, `make student` and
# `make handout`; for authors `make notebooks` and `make gallery`.
# Each creates .venv on first use and reinstalls only when pyproject.toml changes
# (the package is installed editable, so edits to lecturekit/ need no reinstall).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LAB_ARGS ?=
LAB_ROOT ?= notebooks
# JupyterLab refuses to run as root unless told; classroom laptops are not root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# JupyterLab reads overrides.json here: it turns on "save widget state automatically".
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: lab test notebooks gallery bench clean slides student handout

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-lab $(VENV)/.installed-classroom

$(VENV)/.installed-classroom: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[classroom]'
	touch $@ $(VENV)/.installed-lab

$(LAB_SETTINGS): tools/lab-overrides.json | $(BIN)/python
	mkdir -p $(dir $@)
	cp $< $@

lab: $(VENV)/.installed-lab $(LAB_SETTINGS)
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) $(ROOT_FLAG) $(LAB_ARGS)

test: $(VENV)/.installed-test $(LAB_SETTINGS)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-lab $(VENV)/.installed-classroom

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run.py

notebooks: $(VENV)/.installed-test
	$(BIN)/python tools/execute_notebooks.py

# Every explorer at its defaults, slider extremes and dropdown values, and every notebook figure:
# build/gallery/index.html.
gallery: $(VENV)/.installed-lab
	$(BIN)/python tools/gallery.py

# The notebook NB (a number: make slides NB=04) as reveal.js slides with live sliders, served by Voilà
# at http://localhost:8866/ (SLIDES_ARGS="--port 8870 --no-browser" to change).
NB ?=
SLIDES_ARGS ?=
slides: $(VENV)/.installed-classroom
	$(BIN)/python tools/slides.py $(NB) $(SLIDES_ARGS)

# The student edition: solutions removed, each exercise a TODO (build/student/).
student: $(VENV)/.installed-lab
	$(BIN)/python tools/student.py

# One static page per notebook, readable offline from file:// (build/handout/index.html).
handout: $(VENV)/.installed-classroom
	$(BIN)/python tools/handout.py

clean:
	rm -rf $(VENV)
