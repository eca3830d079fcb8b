"""Airflow adapters of ai-visibility: connections, the cell steps as worker tasks or ECS tasks, the
failure alert, what the org DAGs share (`dag_defaults`), the cluster policy that puts each AI call
in its provider's pool, and the local Airflow launcher with its supervisor.

May import: Airflow (the Task SDK in what runs in tasks; Airflow's core only in the cluster policy
and the local tooling) and the domain package `ai_visibility`, which never imports this one.
"""
