# glmlesson — the two commands are `make lab` and `make test`.
# Setup is implicit: every target that needs the environment depends on a
# stamp file, so a second run installs nothing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp-dev
LAB_STAMP := $(VENV)/.stamp-lab
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg

.PHONY: lab test execute student test-student html html-student slides present bench grade lint clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(LAB_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	touch $@

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(LAB_STAMP)

# JupyterLab refuses to run as root without --allow-root (containers, CI boxes).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/

# ruff; unit, exercise, classroom and browser tests; the wheel installed in a
# fresh venv outside the checkout, running lesson 05 and Binder's postBuild
# (tools/test_wheel.py; pip needs the package index or its cache); every lesson
# under strict nbval; then the student copies (no solutions, no outputs) under
# --nbval-lax.
test: $(STAMP)
	$(BIN)/ruff check glmlesson tests tools
	$(BIN)/python -m pytest tests -q
	$(BIN)/python tools/test_wheel.py
	$(BIN)/python -m pytest $(NBVAL) notebooks -q
	$(MAKE) --no-print-directory test-student

execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

student: $(STAMP)
	$(BIN)/python tools/classroom.py student $(NOTEBOOKS)

test-student: student
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env build/student -q

# Instructor site (solutions folded) in build/html, student site (no solutions)
# in build/html-student.
html: $(STAMP)
	$(BIN)/python tools/classroom.py html $(NOTEBOOKS)
	$(BIN)/python tools/classroom.py html-student $(NOTEBOOKS)

html-student: $(STAMP)
	$(BIN)/python tools/classroom.py html-student $(NOTEBOOKS)

slides: $(STAMP)
	$(BIN)/python tools/classroom.py slides $(NOTEBOOKS)

# Live slides with working sliders: copies for jupyterlab-slideshow's deck mode
# in build/present, opened in JupyterLab.
present: $(LAB_STAMP)
	$(BIN)/python tools/classroom.py present $(NOTEBOOKS)
	$(BIN)/jupyter lab $(ALLOW_ROOT) build/present/

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks

# Grade a folder of submitted notebooks: make grade SUBMISSIONS=dir [GRADES=build/grades]
# [LESSON=04]; writes $(GRADES)/grades.csv and $(GRADES)/index.html.
GRADES ?= build/grades
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [GRADES=build/grades] [LESSON=04]" >&2; exit 2; }
	$(BIN)/python -m glmlesson.grade "$(SUBMISSIONS)" --out "$(GRADES)" $(if $(LESSON),--lesson $(LESSON))

lint: $(STAMP)
	$(BIN)/ruff check glmlesson tests tools

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
