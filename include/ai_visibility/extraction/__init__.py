"""Pure extraction functions over one answer (mentions, claims, citations, per-run metrics) and the
brands they match (`brands`), the passages share of voice counts (`passages`), the size cut
(`limits`) and the version stamped on what it wrote (`version`): no database, no network, except the
extraction model of `llm` mode.

May import: `ai_visibility.ai` (the extraction model's calls) and `ai_visibility.errors`; never
`ai_visibility.db` or anything that does.
"""
