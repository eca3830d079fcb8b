"""Find URLs in answer text and normalise them once, the same way everywhere."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".ico", ".avif")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
MARKDOWN_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
BARE_URL = re.compile(r"https?://[^\s<>\"'`\])]+", re.I)
TRAILING_PUNCTUATION = ".,;:!?*_"


@dataclass(frozen=True)
class FoundUrl:
    url: str
    start: int
    end: int
    title: str | None = None


def normalize_url(url: str) -> str | None:
    """Lower-case scheme and host, no `www.`, no `utm_*`, no fragment, no trailing slash.

    Returns None for anything that is not an absolute http(s) URL.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host or "." not in host:
        return None
    host = host.removeprefix("www.")
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    )
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, query, ""))


def is_image_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(IMAGE_EXTENSIONS)


def find_urls(text: str) -> list[FoundUrl]:
    """Every link target in `text`, in order: markdown links and bare URLs; images are skipped."""
    found: list[FoundUrl] = []
    images = [(m.start(), m.end()) for m in MARKDOWN_IMAGE.finditer(text)]
    links: list[tuple[int, int]] = []
    for m in MARKDOWN_LINK.finditer(text):
        if not _inside(m.start(), images):
            found.append(FoundUrl(m.group("url"), m.start(), m.end(), m.group("text") or None))
            links.append((m.start(), m.end()))
    taken = sorted(images + links)
    for m in BARE_URL.finditer(text):
        if _inside(m.start(), taken):
            continue
        url = m.group(0).rstrip(TRAILING_PUNCTUATION)
        found.append(FoundUrl(url, m.start(), m.start() + len(url)))
    found = [f for f in found if not is_image_url(f.url)]
    return sorted(found, key=lambda f: f.start)


def url_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of link targets (and images), where a brand name is not a mention."""
    spans = [(m.start("url"), m.end("url")) for m in MARKDOWN_LINK.finditer(text)]
    spans += [(m.start(), m.end()) for m in MARKDOWN_IMAGE.finditer(text)]
    spans += [(m.start(), m.end()) for m in BARE_URL.finditer(text)]
    return spans


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `offset` lies in one of `spans` (sorted by start, not overlapping)."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]
