import pytest

from ai_visibility.extraction.citations import extract_citations
from ai_visibility.extraction.urls import find_urls, normalize_url
from tests.helpers import answer, demo_org_view, raw_response

ORG = demo_org_view()


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("https://WWW.HubSpot.com/products/crm/?utm_source=openai", "https://hubspot.com/products/crm"),
        ("HTTP://www.g2.com/products/pipedrive/reviews#reviews", "http://g2.com/products/pipedrive/reviews"),
        (
            "https://close.com/pricing?utm_source=perplexity&plan=team&utm_medium=ai",
            "https://close.com/pricing?plan=team",
        ),
        ("https://brightpathcrm.com/", "https://brightpathcrm.com"),
        ("brightpathcrm.com/pricing", None),
        ("mailto:sales@brightpathcrm.com", None),
    ],
)
def test_urls_are_normalised_once_the_same_way(raw: str, normal: str | None) -> None:
    assert normalize_url(raw) == normal


def test_inline_links_skip_images_and_trailing_punctuation() -> None:
    urls = [f.url for f in find_urls(answer("openai_search_table")) + find_urls(answer("gemini_prose_traps"))]
    assert not any(u.endswith(".png") for u in urls)
    assert "https://www.capterra.com/customer-relationship-management-software/" in urls


def test_openai_annotations_and_inline_links_dedupe_to_one_ranked_set() -> None:
    found = extract_citations(answer("openai_search_table"), raw_response("openai_search_table"), ORG)
    assert [(c.rank, c.url, c.origin, c.classification) for c in found] == [
        (1, "https://forbes.com/advisor/business/software/best-crm-small-business", "annotation", "third_party"),
        (2, "https://brightpathcrm.com/pricing", "annotation", "owned"),
        (3, "https://hubspot.com/products/crm", "annotation", "competitor"),
    ]
    assert found[1].title == "Pricing | Brightpath CRM"
    assert found[2].competitor_key == "hubspot"


def test_perplexity_citations_are_provider_native_and_classed_by_registrable_domain() -> None:
    found = extract_citations(answer("perplexity_list"), raw_response("perplexity_list"), ORG)
    assert len(found) == 6
    assert {c.origin for c in found} == {"annotation"}
    classes = {c.domain: c.classification for c in found}
    assert classes == {
        "pipedrive.com": "competitor",
        "g2.com": "third_party",
        "zoho.com": "competitor",
        "salesforce.com": "competitor",
        "close.com": "third_party",
        "brightpathcrm.com": "owned",
    }


def test_in_text_urls_need_a_scheme() -> None:
    found = extract_citations("Pricing is on brightpathcrm.com/pricing and https://www.g2.com/crm.", {}, ORG)
    assert [(c.url, c.origin) for c in found] == [("https://g2.com/crm", "inline")]
