# One image for Airflow (api-server, scheduler, dag-processor, triggerer) and for the step containers.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    AIRFLOW_HOME=/opt/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/ai-visibility/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/ai-visibility/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

WORKDIR /opt/ai-visibility
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock README.md ./
COPY include ./include
RUN uv sync --frozen --all-extras --no-dev --no-cache
COPY dags ./dags
COPY plugins ./plugins
COPY airflow_settings.yaml ./

RUN useradd --create-home --uid 50000 airflow && mkdir -p /opt/airflow /opt/airflow/output \
    && chown -R airflow /opt/airflow
USER airflow
