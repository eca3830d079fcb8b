"""DAG integrity and policy: the DAG files parse, wire and configure their tasks as intended."""
