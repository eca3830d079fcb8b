"""The host a task instance says it ran on (Airflow's `[core] hostname_callable`): the machine's name,
unless the worker was given one of its own. `make airflow EXECUTOR=celery` runs both Celery workers on
this machine, where the machine's name would not tell them apart in the grid's Hostname column."""

from __future__ import annotations

import os
import socket

WORKER_HOSTNAME_ENV = "AI_VISIBILITY_WORKER_HOSTNAME"
HOSTNAME_CALLABLE = "ai_visibility_airflow.worker_hostname.hostname"


def hostname() -> str:
    return os.environ.get(WORKER_HOSTNAME_ENV) or socket.getfqdn()
