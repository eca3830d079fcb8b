# Two commands on a fresh clone: `make demo` (the main job on the embedded default) and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
RUN := $(UV) run --frozen --no-sync

export AIRFLOW_HOME ?= $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES := False
# The DAG rows `make demo`'s `airflow dags test` creates are the ones `make airflow` finds: created
# paused (Airflow's default), a run triggered on them would stay queued. As in airflow_env().
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION := False
export AIRFLOW__LOGGING__LOGGING_LEVEL ?= WARNING

DEMO_DB := $(CURDIR)/.data/ai_visibility.db
DEMO_ENV := AIRFLOW_CONN_AI_VISIBILITY_DB='{"conn_type": "sqlite", "host": "$(DEMO_DB)"}' \
	AIRFLOW_CONN_AI_SIMULATOR='{"conn_type": "openai", "host": "http://simulator.local/v1", "password": "synthetic-no-key", "extra": {"simulator": {}}}' \
	AI_VISIBILITY_PUSH_TO='$(CURDIR)/output'

.PHONY: demo test test-fast lint install airflow airflow-stop bench

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-extras --quiet
	touch $@

install: .venv/.synced

demo: .venv/.synced
	@mkdir -p .data output
	@$(DEMO_ENV) $(RUN) ai-visibility db-upgrade
	@$(DEMO_ENV) $(RUN) ai-visibility demo-seed
	@$(RUN) airflow db migrate > .data/airflow-db-migrate.log 2>&1 || (cat .data/airflow-db-migrate.log; exit 1)
	@$(RUN) python -m ai_visibility_airflow.local_settings airflow_settings.yaml > /dev/null
	@echo "Running process_org with Airflow's own runner (airflow dags test); log in .data/demo-run.log"
	@$(DEMO_ENV) $(RUN) airflow dags test process_org --conf '{"org_id": "brightpath"}' > .data/demo-run.log 2>&1 \
		|| (tail -40 .data/demo-run.log; echo "process_org failed: see .data/demo-run.log"; exit 1)
	@echo
	@$(DEMO_ENV) $(RUN) ai-visibility summary brightpath

lint: .venv/.synced
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

test: lint
	$(RUN) pytest

# The inner loop: lint, then the unit and DAG tiers only (no dag.test() runs, no real Airflow).
test-fast: lint
	$(RUN) pytest tests/unit tests/dags

# A real local Airflow (api-server, scheduler, dag-processor, triggerer) with the demo org; Ctrl-C stops it.
# EXECUTOR=celery: the CeleryExecutor, with two Celery workers on the local Redis (needs AIRFLOW_DATABASE_URL).
EXECUTOR ?= local
airflow: .venv/.synced
	@mkdir -p .data output
	@$(DEMO_ENV) $(RUN) ai-visibility db-upgrade
	@$(DEMO_ENV) $(RUN) ai-visibility demo-seed
	@AI_VISIBILITY_PUSH_TO='$(CURDIR)/output' EXECUTOR='$(EXECUTOR)' $(RUN) python -m ai_visibility_airflow.local_airflow

airflow-stop:
	@$(RUN) python -m ai_visibility_airflow.local_airflow stop

# A real local Airflow on PostgreSQL running process_org and a bare DAG of the same shape; prints the
# figures (bench/airflow_bench.py). SCENARIOS=45x2,45x10 picks some; EXECUTOR=celery; AIRFLOW_LOCK
# is taken so that at most one real Airflow runs on the machine at a time.
AIRFLOW_LOCK ?= /tmp/ai-visibility-airflow.lock
bench: .venv/.synced
	flock $(AIRFLOW_LOCK) $(RUN) python bench/airflow_bench.py $(if $(SCENARIOS),--scenarios $(SCENARIOS)) \
		$(if $(EXECUTOR),--executor $(EXECUTOR)) --json .data/bench/latest.json
