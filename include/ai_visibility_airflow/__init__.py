"""Airflow adapters of ai-visibility: connections, and the cell steps as worker tasks or ECS tasks.

The domain package `ai_visibility` never imports Airflow; this one is the thin layer in between.
"""
