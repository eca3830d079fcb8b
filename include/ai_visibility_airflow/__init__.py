"""Airflow adapters of ai-visibility: connections, the cell steps as worker tasks or ECS tasks, and
the cluster policy that puts each AI call in its provider's pool.

The domain package `ai_visibility` never imports Airflow; this one is the thin layer in between.
"""
