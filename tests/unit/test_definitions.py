"""Org definitions and run conf: bad input is refused with the field and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.errors import InputError
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
        (("key: sonar", "key: gpt-4o"), "models: duplicate keys \\['gpt-4o'\\]"),
        (("    location_method: prompt", "    location_method: native"), "gemini .* has no native location parameter"),
        (
            ("conn_id: ai_simulator\n    web_search", "conn_id: ai_simulator\n    temperature: 3\n    web_search"),
            "models.0.temperature",
        ),
        (("provider: gemini", "provider: bard"), "models.2.provider"),
    ],
)
def test_a_broken_org_definition_names_the_field(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    broken = tmp_path / "org.yaml"
    broken.write_text(DEMO_ORG_FILE.read_text().replace(*change, 1))
    with pytest.raises(InputError, match=message):
        read_org_file(broken)


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
