from ai_visibility.extraction.citations import numbered_sources
from ai_visibility.extraction.claims import extract_claims
from tests.helpers import answer, demo_org_view, raw_response

ORG = demo_org_view()


def test_claims_are_verbatim_in_order_and_carry_their_citations() -> None:
    text = answer("openai_search_table")
    claims = extract_claims(text, ORG)
    assert [c.position for c in claims] == list(range(1, len(claims) + 1))
    assert all(c.text in text for c in claims)
    recommendation = next(c for c in claims if c.text.startswith("**My recommendation:**"))
    assert recommendation.names_target
    assert recommendation.sentiment_label == "positive"
    assert recommendation.citation_urls == ("https://brightpathcrm.com/pricing",)


def test_headers_absence_statements_and_images_are_not_claims() -> None:
    texts = [c.text for c in extract_claims(answer("openai_search_table"), ORG)]
    assert not any(t.startswith("| CRM |") for t in texts)
    assert not any("couldn't find" in t for t in texts)
    assert not any(t.startswith("![") for t in texts)


def test_numbered_markers_resolve_to_the_providers_source_list() -> None:
    raw = raw_response("perplexity_list")
    claims = extract_claims(answer("perplexity_list"), ORG, numbered_sources(raw))
    pipedrive = claims[0]
    assert pipedrive.text.startswith("1. **Pipedrive**")
    assert pipedrive.citation_urls == ("https://pipedrive.com/en/pricing", "https://g2.com/products/pipedrive/reviews")
    target = [c for c in claims if c.names_target]
    assert len(target) == 1 and target[0].citation_urls == ("https://brightpathcrm.com/features",)
