"""ai-visibility: how AI assistants talk about an organization.

The domain package: everything the pipeline does, as plain typed functions over the app database,
with no Airflow in it (the `ai_visibility_airflow` package and `dags/` adapt it to Airflow).
Modules at this level are the pipeline's steps outside a cell (`load_org`, `queue`,
`latest_flags`, `analytics`, `push`, `finalize`), re-extraction over history (`reprocess`,
`reprocess_conf`) and what they share (`keys`, `settings`, `errors`, `stats`, `env_connections`,
`run_conf`, `org_spec`, `org_store`, `reports`, `summary`, `alerts`, `scheduling`, the `cli`).
It may import its own subpackages and third-party libraries; never `airflow` or
`ai_visibility_airflow`, and nothing outside `simulator` imports `simulator`.
"""
