"""Errors a caller can act on. Those in `FAIL_FAST` will not heal on retry: the orchestrator fails fast."""


class InputError(ValueError):
    """Bad input (conf, org data, configuration); the message names the field and the fix."""


class AnswerError(RuntimeError):
    """The AI answered, but not with something usable (empty or malformed); retrying may help."""


class UnreadableAnswer(AnswerError):
    """The provider answered HTTP 200 with a body that is not a response (not JSON, or not an object):
    it may have billed the call, so the usage ledger keeps it as possibly billed."""


class PermanentAIError(InputError):
    """The AI endpoint rejected the request itself (bad model, bad key, bad request)."""


class ProviderCallFailed(ConnectionError):
    """An AI call that exhausted its retries within its deadline; `kind` ("HTTP 500", "timeout",
    "unreachable") tells like failures apart, so only a repeated one trips the provider's breaker."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class ProviderTimedOut(ProviderCallFailed, TimeoutError):
    """The provider did not answer within the deadline."""


class ProviderUnavailable(RuntimeError):
    """The provider failed this run's calls repeatedly, so the call was not made. Retrying the task
    at once would fail the same way: clear the cell once the provider is back."""


FAIL_FAST = (InputError, ProviderUnavailable)
# What `ai-visibility step` exits with on a `FAIL_FAST` error, so that a container's orchestrator
# can tell a failure a retry cannot fix from one it may (any other non-zero code).
PERMANENT_EXIT_CODE = 2
