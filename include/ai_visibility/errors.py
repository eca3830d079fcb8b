"""Errors a caller can act on. `InputError`s will not heal on retry: the orchestrator fails fast."""


class InputError(ValueError):
    """Bad input (conf, org data, configuration); the message names the field and the fix."""


class AnswerError(RuntimeError):
    """The AI answered, but not with something usable (empty or malformed); retrying may help."""


class PermanentAIError(InputError):
    """The AI endpoint rejected the request itself (bad model, bad key, bad request)."""
