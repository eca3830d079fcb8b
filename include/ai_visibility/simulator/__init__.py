"""A local OpenAI-compatible simulator. Its answers are SYNTHETIC: deterministic text made from a
small made-up catalogue, for the demo and the tests. It never calls a real AI engine.

A leaf: it may import the domain package (to answer extraction requests with its rules), and no
production module imports it. Clients reach it through the `simulator` transport, which
`pyproject.toml` registers as an `ai_visibility.transports` entry point, or over HTTP.
"""

from ai_visibility.ai.completion import SYNTHETIC_FINGERPRINT as FINGERPRINT

__all__ = ["FINGERPRINT"]
