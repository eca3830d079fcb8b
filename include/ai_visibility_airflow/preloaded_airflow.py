"""An Airflow command (`python -m ai_visibility_airflow.preloaded_airflow scheduler`, `... celery
worker`) with what the micro-steps import already loaded, for the processes that start task processes.

Every task process is a fork of the process that runs such a command: the LocalExecutor's workers are
forked from the scheduler and each task from a worker; a Celery worker forks its prefork pool
(billiard forks on Linux), and the pool process that takes a task becomes its supervisor and forks
the task (the provider's `execute_workload` → `BaseExecutor.run_workload` → `supervise_task`).
Modules loaded here are there in every task for free, while a module the task imports itself is
imported again by every task (`openai` alone is ~0.8 CPU-s per AI call, the extraction rules' word
lists and suffix list ~0.35 CPU-s per extraction step), and so is the configuration of the app
database's ORM mappers (~0.6 CPU-s on the first query of every step). Nothing else is done before
the fork: no engine, client, connection or thread.
"""

from __future__ import annotations

import sys
from importlib import import_module

from ai_visibility.steps.registry import STEP_NAMES

# The steps' modules, and what the `openai` client imports when it is made (its HTTP stack).
PRELOADED = [
    *(f"ai_visibility.steps.{name}" for name in STEP_NAMES),
    "ai_visibility.db.urls",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    "openai",
    "httpx2",
    "httpcore2",
    "h11",
    "anyio",
    "truststore",
]


def preload() -> None:
    for module in PRELOADED:
        import_module(module)
    from ai_visibility.db.models import Base
    from ai_visibility.extraction import domains, sentiment, words

    Base.registry.configure()
    # The first call of each builds its table once (the sentiment lexicon, the public suffix list, the
    # word list: ~0.1 CPU-s per extraction step otherwise); they are cached for the process's life.
    sentiment.score("A good start.")
    domains.registrable_domain("https://www.example.com/")
    words.is_everyday_word("start")


def main() -> None:
    preload()
    from airflow.__main__ import main as airflow_main

    sys.argv = ["airflow", *sys.argv[1:]]
    airflow_main()  # type: ignore[no-untyped-call]  # Airflow's CLI entry point


if __name__ == "__main__":
    main()
