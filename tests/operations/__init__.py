"""A real Airflow (scheduler, api-server, dag-processor, triggerer) driven as users drive it."""
