"""The micro-steps of one cell, one module and one public function each.

Each reads its inputs from the app database by cell key, writes its outputs in one transaction,
and can run in an Airflow worker or as `ai-visibility step NAME --cell KEY` in a container.
"""
