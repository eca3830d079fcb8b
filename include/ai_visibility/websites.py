"""A brand's website as users give it (the org file, `ai-visibility extract --website/--competitor`)."""

from __future__ import annotations

from ai_visibility.errors import InputError
from ai_visibility.extraction.domains import registrable_domain


def website_url(given: str) -> str:
    """`hubspot.com` as `https://hubspot.com`, a URL as given. One with no registrable domain is refused:
    extraction would drop it without a word, and no citation would ever count as the brand's own."""
    site = given.strip()
    url = site if "://" in site else f"https://{site}"
    if not site or any(c.isspace() for c in site) or not registrable_domain(url):
        raise InputError(
            f"{site!r} is not a domain or website: write a domain such as hubspot.com (or a URL such as "
            "https://www.zoho.com/crm)"
        )
    return url
