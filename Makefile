# Two commands on a fresh machine: `make demo` and `make test`.
# torch==2.13.0 is installed first: it is the CPU build on this machine's disk,
# and any looser spec resolved by a dependency would pull a multi-GB CUDA build.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test bench venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev]"
	$(PY) -m pip install -q --no-deps ricxappframe==3.2.2 ricsdl==3.1.3  # see pyproject's osc extra
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/ranpilot demo

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/network_step.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
