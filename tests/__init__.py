"""The test suite, in tiers: `unit` (the package), `dags` (DAG integrity and policy), `e2e`
(`dag.test()` runs of the real DAG) and `operations` (a real Airflow driven through its REST API)."""
