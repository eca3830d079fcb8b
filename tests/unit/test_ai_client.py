"""The real `openai` client code path against the simulator served over HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ai_visibility.ai.client import ask
from ai_visibility.ai.completion import parse_answer
from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.ai.location import apply_location
from ai_visibility.ai.request import AIRequest, build_request
from ai_visibility.db.models import AIModel, Location
from ai_visibility.errors import AnswerError, PermanentAIError
from ai_visibility.extraction.citations import extract_citations, provider_citations
from ai_visibility.simulator.server import SimulatorServer, serve_in_thread
from tests.helpers import demo_org_view

KEY = "sk-live-DO-NOT-LEAK-4242"
QUESTION = "Which CRM is best for startups?"
LONDON = Location(
    org_id="o", key="GB-london", country="GB", city="London", region=None, language="en", timezone="Europe/London"
)


def model(**fields: Any) -> AIModel:
    base: dict[str, Any] = {
        "org_id": "o",
        "key": "m",
        "label": "m",
        "provider": "openai",
        "conn_id": "ai_test",
        "api_model": "gpt-4o-search-preview",
        "api_style": "chat_completions",
        "web_search": True,
        "location_method": "native",
        "temperature": None,
        "max_output_tokens": None,
        "expected_output_tokens": 800,
    }
    return AIModel(**(base | fields))


def request_for(m: AIModel, location: Location = LONDON) -> AIRequest:
    return build_request(m, QUESTION, apply_location(m, location))


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[SimulatorServer] = []

    def start(**config: Any) -> Endpoint:
        server, url = serve_in_thread(config)
        servers.append(server)
        return Endpoint.from_connection("ai_test", url, KEY, {})

    start.servers = servers  # type: ignore[attr-defined]
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def requests_seen(serve: Any) -> int:
    return int(serve.servers[-1].simulator.requests)


def test_openai_chat_search_applies_the_location_natively_and_keeps_annotations(serve: Any) -> None:
    request = request_for(model())
    assert request.params["web_search_options"] == {
        "user_location": {
            "type": "approximate",
            "approximate": {"country": "GB", "city": "London", "timezone": "Europe/London"},
        }
    }
    assert "London" not in request.params["messages"][0]["content"]  # native: no prompt prefix
    exchange = ask(serve(), request, 10)
    message = exchange.raw_response["choices"][0]["message"]
    for note in message["annotations"]:
        cited = note["url_citation"]
        assert message["content"][cited["start_index"] : cited["end_index"]].startswith("[")
    answer = parse_answer(exchange.raw_response, "gpt-4o-search-preview", web_search=True)
    assert answer.synthetic and answer.input_tokens > 0 and answer.output_tokens > 0 and answer.search_calls == 1
    assert answer.served_model == "gpt-4o-search-preview"
    assert "London" in answer.text  # the engine received the place


def test_responses_api_uses_the_web_search_tool_location_and_keeps_its_sources(serve: Any) -> None:
    request = request_for(model(api_model="gpt-4.1", api_style="responses", temperature=0.2))
    assert request.params["tools"] == [
        {
            "type": "web_search",
            "user_location": {"type": "approximate", "country": "GB", "city": "London", "timezone": "Europe/London"},
        }
    ]
    assert request.params["temperature"] == 0.2
    exchange = ask(serve(), request, 10)
    answer = parse_answer(exchange.raw_response, "gpt-4.1")
    assert answer.search_calls == 1 and "London" in answer.text
    origins = {origin for _, _, origin in provider_citations(exchange.raw_response)}
    assert origins == {"annotation", "search_source"}
    cited = extract_citations(answer.text, exchange.raw_response, demo_org_view())
    assert cited[-1].origin == "search_source" and cited[-1].domain == "wikipedia.org"
    assert all(c.origin != "search_source" for c in cited[:-1])


def test_responses_api_without_native_location_does_not_default_to_the_us() -> None:
    request = request_for(model(api_model="gpt-4.1", api_style="responses", location_method="prompt"))
    assert request.params["tools"][0]["user_location"] == {"type": "approximate"}
    assert request.params["input"].startswith("I am located in London, United Kingdom.")


def test_perplexity_gets_its_own_location_shape_and_returns_citations(serve: Any) -> None:
    request = request_for(model(provider="perplexity", api_model="sonar"))
    assert request.extra_body == {"web_search_options": {"user_location": {"country": "GB", "city": "London"}}}
    exchange = ask(serve(), request, 10)
    raw = exchange.raw_response
    assert raw["citations"] and {r["url"] for r in raw["search_results"]} == set(raw["citations"])
    assert "[1]" in raw["choices"][0]["message"]["content"]
    assert exchange.request["web_search_options"]["user_location"]["city"] == "London"


@pytest.mark.parametrize(
    ("provider", "api_model"),
    [
        ("gemini", "gemini-2.5-flash"),
        ("anthropic", "claude-sonnet-4-5"),
        ("openrouter", "openai/gpt-4o"),
        ("local", "llama3.1:8b"),
    ],
)
def test_engines_without_native_location_get_a_prompt_prefix(serve: Any, provider: str, api_model: str) -> None:
    m = model(
        provider=provider,
        api_model=api_model,
        web_search=False,
        location_method="prompt",
        temperature=0.3,
        max_output_tokens=900,
    )
    request = request_for(m)
    assert request.params["messages"][0]["content"].startswith("I am located in London, United Kingdom.")
    assert "web_search_options" not in request.params and request.extra_body == {}
    assert request.params["max_tokens"] == 900 and request.params["temperature"] == 0.3
    answer = parse_answer(ask(serve(), request, 10).raw_response, api_model)
    assert "London" in answer.text and answer.search_calls == 0


def test_reasoning_models_are_not_sent_temperature(serve: Any) -> None:
    m = model(api_model="gpt-5", web_search=False, location_method="prompt", temperature=0.7, max_output_tokens=2000)
    request = request_for(m)
    assert "temperature" not in request.params and request.params["max_completion_tokens"] == 2000
    assert parse_answer(ask(serve(), request, 10).raw_response, "gpt-5").text
    with_temperature = AIRequest("chat_completions", "gpt-5", {**request.params, "temperature": 0.7})
    with pytest.raises(PermanentAIError, match="Unsupported parameter: 'temperature'"):
        ask(serve(), with_temperature, 10)


def test_answers_are_deterministic(serve: Any) -> None:
    endpoint, request = serve(), request_for(model())
    assert ask(endpoint, request, 10).raw_response == ask(endpoint, request, 10).raw_response


def test_a_rejected_key_fails_fast_naming_model_connection_and_fix_without_the_key(
    serve: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PermanentAIError) as failure:
        ask(serve(fail="http_401"), request_for(model()), 10)
    message = str(failure.value)
    assert "'gpt-4o-search-preview'" in message and "'ai_test'" in message and "HTTP 401" in message
    assert "password" in message
    assert requests_seen(serve) == 1  # no retry
    assert KEY not in message and KEY not in caplog.text


def test_a_rate_limit_waits_for_retry_after_then_succeeds(serve: Any) -> None:
    started = time.monotonic()
    exchange = ask(serve(fail="http_429", fail_first=1, retry_after_s=1), request_for(model()), 10)
    assert time.monotonic() - started >= 1.0
    assert exchange.attempts == 2 and requests_seen(serve) == 2


def test_server_errors_heal_within_the_deadline(serve: Any) -> None:
    exchange = ask(serve(fail="http_500", fail_first=2), request_for(model()), 20)
    assert exchange.attempts == 3


def test_persistent_server_errors_fail_within_the_deadline(serve: Any) -> None:
    started = time.monotonic()
    with pytest.raises(ConnectionError, match=r"HTTP 500 after \d+ attempts within 3s"):
        ask(serve(fail="http_500"), request_for(model()), 3)
    assert time.monotonic() - started < 3.5
    assert requests_seen(serve) >= 2


def test_a_slow_engine_fails_at_the_deadline(serve: Any) -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"did not answer within 1s"):
        ask(serve(latency_ms=3000), request_for(model()), 1)
    assert time.monotonic() - started < 1.8


def test_a_dropped_connection_is_retried_then_reported(serve: Any) -> None:
    with pytest.raises(ConnectionError, match="could not reach"):
        ask(serve(fail="drop"), request_for(model()), 2)
    assert ask(serve(fail="drop", fail_first=1), request_for(model()), 10).attempts == 2


def test_invalid_json_and_empty_answers_are_not_answers(serve: Any) -> None:
    with pytest.raises(AnswerError, match="not a response"):
        ask(serve(fail="malformed"), request_for(model()), 10)
    with pytest.raises(AnswerError, match=r"not a response \(a text/html page, not JSON\)"):
        ask(serve(fail="html"), request_for(model()), 10)
    empty = ask(serve(fail="empty"), request_for(model()), 10)
    with pytest.raises(AnswerError, match="empty answer"):
        parse_answer(empty.raw_response, "gpt-4o-search-preview")
    empty_response = ask(serve(fail="empty"), request_for(model(api_model="gpt-4.1", api_style="responses")), 10)
    with pytest.raises(AnswerError, match="empty answer"):
        parse_answer(empty_response.raw_response, "gpt-4.1")


def test_a_deadline_reached_between_server_errors_reports_the_errors_not_a_silence(
    serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine answered HTTP 500 each time; the deadline then ran out between tries. What failed is
    the 500s, not an engine that never answered (the breaker counts failures by that kind)."""
    from ai_visibility.ai import client as client_module

    now = [0.0]

    def sleep(_seconds: float) -> None:
        now[0] += 5.0  # the wait overran, as on a loaded machine

    monkeypatch.setattr(client_module, "_backoff", lambda exc, attempt: 0.1)
    with pytest.raises(ConnectionError, match=r"HTTP 500 after 2 attempts within 6s"):
        ask(serve(fail="http_500"), request_for(model()), 6, sleep=sleep, clock=lambda: now[0])
