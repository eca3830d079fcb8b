"""The real `openai` client code path against the simulator served over HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from ai_visibility.ai.client import ask
from ai_visibility.ai.completion import parse_answer
from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.errors import AnswerError, PermanentAIError
from ai_visibility.simulator.server import serve_in_thread

KEY = "sk-live-DO-NOT-LEAK-4242"
PROMPT = "I am located in London, United Kingdom.\n\nWhich CRM is best for startups?"


@pytest.fixture
def serve() -> Iterator[Any]:
    servers = []

    def start(**config: Any) -> Endpoint:
        server, url = serve_in_thread(config)
        servers.append(server)
        return Endpoint.from_connection("ai_test", url, KEY, {})

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_openai_shape_carries_url_citation_annotations_and_usage(serve: Any) -> None:
    exchange = ask(serve(), "gpt-4o-search-preview", PROMPT, {}, 10)
    message = exchange.raw_response["choices"][0]["message"]
    assert message["annotations"] and message["annotations"][0]["type"] == "url_citation"
    for note in message["annotations"]:
        cited = note["url_citation"]
        assert message["content"][cited["start_index"] : cited["end_index"]].startswith("[")
    answer = parse_answer(exchange.raw_response, "gpt-4o-search-preview")
    assert answer.synthetic and answer.input_tokens > 0 and answer.output_tokens > 0
    assert "the United Kingdom" in answer.text or "London" in answer.text or "|" in answer.text


def test_perplexity_shape_keeps_citations_and_search_results(serve: Any) -> None:
    location = {"web_search_options": {"user_location": {"country": "GB", "city": "London"}}}
    exchange = ask(serve(), "sonar", "What are the best alternatives to HubSpot?", location, 10)
    assert exchange.request["web_search_options"] == location["web_search_options"]
    raw = exchange.raw_response
    assert raw["citations"] and {r["url"] for r in raw["search_results"]} == set(raw["citations"])
    assert "[1]" in raw["choices"][0]["message"]["content"]


def test_answers_are_deterministic(serve: Any) -> None:
    endpoint = serve()
    first = ask(endpoint, "gemini-2.5-flash", PROMPT, {}, 10).raw_response
    second = ask(endpoint, "gemini-2.5-flash", PROMPT, {}, 10).raw_response
    assert first == second


def test_a_rejected_key_fails_fast_naming_model_connection_and_fix_without_the_key(
    serve: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PermanentAIError) as failure:
        ask(serve(fail="http_401"), "gpt-4o", PROMPT, {}, 10)
    message = str(failure.value)
    assert "'gpt-4o'" in message and "'ai_test'" in message and "HTTP 401" in message and "password" in message
    assert KEY not in message and KEY not in caplog.text


def test_server_errors_are_retried_then_reported(serve: Any) -> None:
    with pytest.raises(ConnectionError, match="HTTP 500"):
        ask(serve(fail="http_500"), "gpt-4o", PROMPT, {}, 10)


def test_rate_limits_are_reported_after_honouring_retry_after(serve: Any) -> None:
    with pytest.raises(ConnectionError, match="HTTP 429"):
        ask(serve(fail="http_429", retry_after_s=0), "gpt-4o", PROMPT, {}, 10)


def test_a_slow_engine_hits_the_timeout(serve: Any) -> None:
    with pytest.raises(TimeoutError, match=r"did not answer within 0\.3s"):
        ask(serve(latency_ms=1500), "gpt-4o", PROMPT, {}, 0.3)


def test_a_dropped_connection_is_a_connection_error(serve: Any) -> None:
    with pytest.raises(ConnectionError, match="could not reach"):
        ask(serve(fail="drop"), "gpt-4o", PROMPT, {}, 10)


def test_invalid_json_and_empty_answers_are_not_answers(serve: Any) -> None:
    with pytest.raises(AnswerError):
        ask(serve(fail="malformed"), "gpt-4o", PROMPT, {}, 10)
    empty = ask(serve(fail="empty"), "gpt-4o", PROMPT, {}, 10)
    with pytest.raises(AnswerError, match="empty answer"):
        parse_answer(empty.raw_response, "gpt-4o")


def test_failures_can_target_one_model_only(serve: Any) -> None:
    endpoint = serve(fail="http_500", fail_models=["sonar"])
    assert ask(endpoint, "gpt-4o", PROMPT, {}, 10).raw_response["choices"]
    with pytest.raises(ConnectionError):
        ask(endpoint, "sonar", PROMPT, {}, 10)
