"""The real DAG end to end in-process (`dag.test()`), on SQLite and PostgreSQL app databases."""
