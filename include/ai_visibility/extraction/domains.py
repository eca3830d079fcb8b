"""Registrable domains, from the public suffix list bundled with tldextract (no network)."""

from __future__ import annotations

from functools import cache

import tldextract


@cache
def _extractor() -> tldextract.TLDExtract:
    # An empty URL list makes tldextract use its bundled snapshot instead of downloading one.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def registrable_domain(url_or_host: str) -> str:
    """`https://www.blog.example.co.uk/x` -> `example.co.uk`; empty when there is none."""
    parts = _extractor()(url_or_host.strip().lower())
    return parts.top_domain_under_public_suffix
