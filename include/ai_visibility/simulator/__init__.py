"""A local OpenAI-compatible simulator. Its answers are SYNTHETIC: deterministic text made from a
small made-up catalogue, for the demo and the tests. It never calls a real AI engine."""

FINGERPRINT = "ai-visibility-simulator"
