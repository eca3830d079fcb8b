"""Org definitions and run conf: bad input is refused with the field and the fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ai_visibility.ai.endpoint import Endpoint, EndpointResolver
from ai_visibility.db import Database
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.errors import InputError
from ai_visibility.load_org import load_org
from ai_visibility.org_spec import read_org_file
from ai_visibility.run_conf import parse_run_conf


def test_the_demo_org_is_the_45_cell_matrix() -> None:
    spec = read_org_file(DEMO_ORG_FILE)
    assert (len(spec.questions), len(spec.models), len(spec.locations)) == (5, 3, 3)
    assert spec.synthetic


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("country: GB", "country: UK"), "use the ISO-3166 code GB"),
        (("key: sonar", "key: gpt-4o"), "models.1: duplicate key 'gpt-4o' \\(also models.0\\)"),
        (("    location_method: prompt", "    location_method: native"), "gemini .* has no native location parameter"),
        (
            ("conn_id: ai_simulator\n    web_search", "conn_id: ai_simulator\n    temperature: 3\n    web_search"),
            "models.0.temperature",
        ),
        (("provider: gemini", "provider: bard"), "models.2.provider"),
        (
            ("api_model: sonar", "api_model: sonar-ultra"),
            "models.1.api_model: model 'sonar': 'sonar-ultra' is not in the price table \\(2026-11-01\\), so a run "
            "of it cannot be costed: did you mean 'sonar-pro' or 'sonar'.*give the model both input_usd_per_mtok",
        ),
        (
            # Half a price: the table's whole price would be used, silently, for a listed model.
            ("    api_model: sonar\n", "    api_model: sonar\n    input_usd_per_mtok: 0.5\n"),
            "models.1.output_usd_per_mtok: model 'sonar': input_usd_per_mtok without output_usd_per_mtok: "
            ".*give both, or neither",
        ),
        (
            ("    api_model: sonar\n", "    api_model: sonar-ultra\n    output_usd_per_mtok: 8\n"),
            "models.1.input_usd_per_mtok: model 'sonar': output_usd_per_mtok without input_usd_per_mtok",
        ),
        (
            ("websites: [https://www.brightpathcrm.com]", "websites: [brightpathcrm.com, not a domain]"),
            "websites.1: 'not a domain' is not a domain or website: write a domain such as hubspot.com",
        ),
        (
            ("websites: [https://www.pipedrive.com]", "websites: [https://www.pipedrive.com, localhost]"),
            "competitors.2.websites.1: 'localhost' is not a domain or website",
        ),
        (("country: GB", "country: GBR"), "locations.1.country: .*'GBR' is not an ISO-3166 alpha-2 country code"),
        (("country: GB", "country: G1"), "locations.1.country: .*is not an ISO-3166 alpha-2 country code"),
        (('text: "Which CRM is best for startups?"', 'text: "  "'), "questions.0.text: .*a question needs its text"),
        (
            ('text: "Which CRM is best for startups?"', f'text: "{("Which CRM is best? " * 527)[:9_999]}?"'),
            "questions.0.text: .*at most 2000 characters \\(got 10000\\); shorten it or split it",
        ),
        (
            ("aliases: [Brightpath, BrightPath CRM]", "aliases: [Brightpath, hubspot]"),
            "aliases: 'hubspot' of the org is the name of competitor 'hubspot'; remove it from the org's aliases",
        ),
        (
            ("aliases: [Zoho]", "aliases: [Zoho, Brightpath CRM]"),
            "competitors.3.aliases: 'Brightpath CRM' of competitor 'zoho' is the name of the org",
        ),
    ],
)
def test_a_broken_org_definition_names_the_field(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    broken = tmp_path / "org.yaml"
    broken.write_text(DEMO_ORG_FILE.read_text().replace(*change, 1))
    with pytest.raises(InputError, match=message):
        read_org_file(broken)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("{key: zoho,", "{key: hubspot,"),
            "competitors.3: duplicate key 'hubspot' (also competitors.0); every key in competitors must be unique: "
            "rename or remove one",
        ),
        (
            ("id: brightpath", "sample: 3\nid: brightpath"),
            "sample: Extra inputs are not permitted; did you mean 'samples'?",
        ),
        (
            ("    conn_id: ai_simulator\n", "    conn: ai_simulator\n    conn_id: ai_simulator\n"),
            "models.0.conn: Extra inputs are not permitted; did you mean 'conn_id'?",
        ),
        (
            ("id: brightpath", "colour: blue\nid: brightpath"),
            "colour: Extra inputs are not permitted; the fields here are id, name, websites,",
        ),
    ],
)
def test_an_org_file_error_points_at_the_field_to_change(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    broken = tmp_path / "org.yaml"
    broken.write_text(DEMO_ORG_FILE.read_text().replace(*change, 1))
    with pytest.raises(InputError) as refused:
        read_org_file(broken)
    assert str(refused.value).startswith(f"{broken}: {message}")
    assert "Value error" not in str(refused.value)


@pytest.mark.parametrize(
    "priced",
    [
        "    input_usd_per_mtok: 2.0\n    output_usd_per_mtok: 8.0\n",  # a negotiated or unlisted model's own rates
        "    input_usd_per_mtok: 2.0\n    output_usd_per_mtok: 8.0\n    search_usd_per_call: 0.01\n",
    ],
)
def test_a_model_the_price_table_does_not_list_applies_with_its_own_prices(tmp_path: Path, priced: str) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(
        DEMO_ORG_FILE.read_text().replace("    api_model: sonar\n", f"    api_model: sonar-ultra\n{priced}", 1)
    )
    assert read_org_file(org).models[1].api_model == "sonar-ultra"
    local = tmp_path / "local.yaml"
    local.write_text(
        DEMO_ORG_FILE.read_text().replace(
            "provider: gemini\n    api_model: gemini-2.5-flash", "provider: local\n    api_model: llama3", 1
        )
    )
    assert read_org_file(local).models[2].provider == "local"  # a local server costs nothing


def test_a_yaml_syntax_error_names_the_file_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "org.yaml"
    broken.write_text(DEMO_ORG_FILE.read_text().replace("aliases: [Zoho]}", "aliases: [Zoho}", 1))
    with pytest.raises(InputError) as refused:
        read_org_file(broken)
    message = str(refused.value)
    assert f'in "{broken}", line 14' in message and "<unicode string>" not in message


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ({}, "org_id: Field required"),
        ({"org_id": "brightpath", "questions": "best-crm-startups"}, "questions: Input should be a valid list"),
        ({"org_id": "brightpath", "model": ["gpt-4o"]}, "model: Extra inputs are not permitted"),
    ],
)
def test_malformed_conf_names_the_field_and_the_expected_shape(conf: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message) as failure:
        parse_run_conf(conf)
    assert '"org_id"' in str(failure.value)


def test_generated_aliases_cover_legal_suffixes_camel_case_and_the_domain_root() -> None:
    from ai_visibility.extraction.brands import generated_aliases

    assert generated_aliases("BrightSpark Electric, Inc.", ["https://www.brightsparkelectric.com"]) == [
        "Bright Spark",
        "Bright Spark Electric",
        "BrightSpark",
        "BrightSpark Electric",
        "brightsparkelectric",
    ]
    assert generated_aliases("Acme", ["https://acme.co.uk"]) == []  # a root shorter than 5 letters is too ambiguous


@pytest.fixture
def loading(demo_db: Database) -> Callable[[EndpointResolver], dict[str, object]]:
    """`load_org` of the demo org (every model on the `ai_simulator` connection) with a given resolver."""
    return lambda resolve: load_org(demo_db, parse_run_conf({"org_id": "brightpath"}), "manual__1", resolve)


def test_a_model_whose_connection_is_missing_is_refused_before_anything_is_queued(
    loading: Callable[[EndpointResolver], dict[str, object]],
) -> None:
    def missing(conn_id: str) -> Endpoint:
        raise InputError(f"connection {conn_id!r} is not defined: add it")

    with pytest.raises(
        InputError, match=r"model 'gemini-flash' uses connection 'ai_simulator', which cannot be used: .*add it"
    ):
        loading(missing)


@pytest.mark.parametrize("password", [None, "", "   "])
def test_a_hosted_model_whose_connection_has_no_key_is_refused_naming_the_fix(
    loading: Callable[[EndpointResolver], dict[str, object]], password: str | None
) -> None:
    def keyless(conn_id: str) -> Endpoint:
        return Endpoint.from_connection(conn_id, "https://api.openai.com/v1", password, {})

    with pytest.raises(
        InputError, match="model 'gemini-flash' uses connection 'ai_simulator', which has no key: set the gemini"
    ):
        loading(keyless)


def test_a_simulator_connection_needs_no_key(loading: Callable[[EndpointResolver], dict[str, object]]) -> None:
    def simulator(conn_id: str) -> Endpoint:
        return Endpoint.from_connection(conn_id, "http://simulator.local/v1", None, {"simulator": {}})

    assert loading(simulator)["models"] == 3


def test_bytes_that_are_not_utf8_in_an_org_file_are_refused_naming_the_field_and_place(tmp_path: Path) -> None:
    broken = tmp_path / "org.yaml"
    # Latin-1 "ü" in a competitor's name, as an editor saving in the wrong encoding writes it.
    broken.write_bytes(DEMO_ORG_FILE.read_bytes().replace(b"name: HubSpot", b"name: H\xfcbSpot", 1))
    with pytest.raises(InputError) as refused:
        read_org_file(broken)
    line, column = next(
        (i, text.index(b"\xfc") + 1) for i, text in enumerate(broken.read_bytes().splitlines(), 1) if b"\xfc" in text
    )
    assert str(refused.value).endswith(
        f"competitors.0.name: not valid UTF-8 (byte 0xfc at line {line}, column {column}); save the file as UTF-8"
    )


def test_an_empty_org_file_or_one_that_is_a_list_is_refused_saying_what_a_definition_is(tmp_path: Path) -> None:
    for name, text, problem in (("empty.yaml", "", "the file is empty"), ("list.json", "[1, 2]", "not a mapping")):
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(InputError) as refused:
            read_org_file(path)
        message = str(refused.value)
        assert problem in message and "a mapping with id, name" in message and "brightpath.yaml" in message
        assert "OrgSpec" not in message


def test_a_lone_surrogate_in_a_json_org_file_is_refused_naming_the_field(tmp_path: Path) -> None:
    import json

    import yaml

    spec = yaml.safe_load(DEMO_ORG_FILE.read_text())
    spec["questions"][1]["text"] = "Which CRM is best for a sales team in M\udcfcnchen?"
    broken = tmp_path / "org.json"
    broken.write_text(json.dumps(spec))  # valid JSON: the surrogate is written as the escape \udcfc
    with pytest.raises(InputError, match=r"questions\.1\.text: not valid Unicode text: '\\udcfc'"):
        read_org_file(broken)
