"""The micro-steps of one cell, one module and one public function each: `step(db, cell_key, context)`.

Each reads its inputs from the app database by cell key, writes its outputs in one transaction,
and can run in an Airflow worker or as `ai-visibility step NAME --cell KEY` in a container.
`registry` names them in order; `cell_status` tracks a cell while they run; `context` is what they
receive besides the database; `billing` writes the usage ledger, `llm_extraction` runs the `llm`
mode, `provider_breaker` fails a dead provider's remaining calls fast; `groups` runs a step over a
group of cells, which share what they read alike (`group_reads`).

May import: the rest of the domain package (`ai`, `db`, `extraction`, `org_store`, `queue`,
`settings`, `errors`); never Airflow.
"""
