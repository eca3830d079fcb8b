"""Plain tests of the domain package, no Airflow: steps, extraction, AI client, CLI, imports."""
