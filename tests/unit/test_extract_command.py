"""`ai-visibility extract`: users debug their alias lists on one answer."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from ai_visibility.cli import main
from tests.helpers import ANSWERS


def test_extract_prints_mentions_citations_claims_and_metrics_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "extract",
            str(ANSWERS / "perplexity_list.md"),
            "--org-name",
            "Brightpath CRM",
            "--website",
            "https://www.brightpathcrm.com",
            "--competitor",
            "Salesforce=salesforce.com",
            "--competitor",
            "Zoho CRM=zoho.com",
            "--raw-response",
            str(ANSWERS / "perplexity_list.json"),
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    target = result["mentions"][0]
    # Pipedrive, Zoho CRM, Salesforce and Close (discovered) come first; HubSpot is not tracked here.
    assert target["brand_name"] == "Brightpath CRM" and target["mentioned"] and target["rank"] == 5
    assert result["metrics"]["owned_citations"] == 1 and result["metrics"]["total_citations"] == 6
    assert {c["classification"] for c in result["citations"]} == {"owned", "competitor", "third_party"}
    assert "brightpathcrm" in result["aliases"]["Brightpath CRM"]  # the generated domain-root alias
    # The passages behind each brand's figures, so a user can see why its share of voice is what it is.
    passages = result["passages"]["Brightpath CRM"]
    assert [p["kind"] for p in passages] == ["sentence"]
    assert passages[0]["text"].startswith("Brightpath CRM is also worth a look")
    assert result["passages"]["Salesforce"][0]["text"].startswith("3. **Salesforce Sales Cloud**")


def test_extract_reads_stdin_and_an_alias_makes_the_difference(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = "For field sales, **BPC** (the mobile app) is the one reviewers single out."
    for aliases in ([], ["--alias", "BPC"]):
        monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
        assert main(["extract", "-", "--org-name", "Brightpath CRM", *aliases]) == 0
        mentioned = json.loads(capsys.readouterr().out)["metrics"]["target_mentioned"]
        assert mentioned is bool(aliases)


def test_extract_refuses_what_it_cannot_read_naming_the_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = str(ANSWERS / "perplexity_list.md")
    not_json = tmp_path / "response.json"
    not_json.write_text("<html>502 Bad Gateway</html>")
    refused = {
        "FILE": ["extract", str(tmp_path / "nope.md"), "--org-name", "Brightpath CRM"],
        "--raw-response": ["extract", answer, "--org-name", "Brightpath CRM", "--raw-response", str(not_json)],
        "--org-name is blank": ["extract", answer, "--org-name", " "],
        "--competitor '=hubspot.com' has no name": [
            "extract",
            answer,
            "--org-name",
            "Brightpath CRM",
            "--competitor",
            "=hubspot.com",
        ],
        "--competitor 'Y=not a domain': 'not a domain' is not a domain or website: write a domain such as": [
            "extract",
            answer,
            "--org-name",
            "Brightpath CRM",
            "--competitor",
            "Y=not a domain",
        ],
        "--competitor 'Y=y.com,localhost': 'localhost' is not a domain": [
            "extract",
            answer,
            "--org-name",
            "Brightpath CRM",
            "--competitor",
            "Y=y.com,localhost",
        ],
        "--website 'brightpath': 'brightpath' is not a domain": [
            "extract",
            answer,
            "--org-name",
            "Brightpath CRM",
            "--website",
            "brightpath",
        ],
    }
    for named, argv in refused.items():
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert named in err
        # Several domains, comma-separated, is a competitor's syntax: a bad --website is not told it.
        if "is not a domain" in named:
            assert ("NAME=DOMAIN,DOMAIN" in err) == named.startswith("--competitor"), err
