"""Compose a deterministic, realistic-looking answer for one prompt and model (SYNTHETIC)."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from typing import Any

from ai_visibility.simulator.catalogue import Category, KnownBrand, category_for

MODEL_REACH = {"gpt": 1.0, "sonar": 0.85, "gemini": 0.7, "claude": 0.8}


@dataclass
class Draft:
    """Text under construction, with the sources each part cites."""

    style: str  # openai | perplexity | plain
    parts: list[str] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)  # (url, title) in citation order

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, text: str) -> None:
        self.parts.append(text)

    def cite(self, url: str, title: str) -> None:
        """Attach a source to what was just written, the way this engine shows it."""
        if self.style == "perplexity":
            if url not in [u for u, _ in self.sources]:
                self.sources.append((url, title))
            self.add(f"[{[u for u, _ in self.sources].index(url) + 1}]")
        elif self.style == "openai":
            domain = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
            start = len(self.text) + 2
            link = f"[{domain}]({url}?utm_source=openai)"
            self.add(f" ({link})")
            self.annotations.append(
                {
                    "type": "url_citation",
                    "url_citation": {
                        "start_index": start,
                        "end_index": start + len(link),
                        "url": f"{url}?utm_source=openai",
                        "title": title,
                    },
                }
            )
        else:
            self.add(f" ([{title}]({url}))")


def seed(prompt: str, model: str, sample: int = 1) -> bytes:
    """What an answer is drawn from: another sample of the same prompt draws another answer, the way a
    real engine answers the same question differently from one call to the next. Sample 1 draws what
    the simulator answered before it knew samples, so earlier demo runs stay comparable."""
    parts = [model, prompt] + ([str(sample)] if sample != 1 else [])
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


def compose(prompt: str, model: str, place: str | None = None, sample: int = 1) -> tuple[str, dict[str, Any]]:
    """Return the answer text and the provider fields (`annotations`, `citations`, `search_results`).

    `place` is the location the engine was given natively; without it, a prompt prefix is read.
    """
    rng = random.Random(seed(prompt, model, sample))
    category = category_for(prompt)
    style = "perplexity" if "sonar" in model else "openai" if model.startswith(("gpt", "o1", "o3", "o4")) else "plain"
    draft = Draft(style)
    named = [b for b in category.brands if b.name.lower() in prompt.lower()]
    reach = next((v for k, v in MODEL_REACH.items() if k in model), 0.75)
    picked = [b for b in category.brands if b not in named and rng.random() < b.prominence * reach]
    rng.shuffle(picked)
    place = _the(place) if place else _place(prompt)
    if named:
        _branded(draft, rng, category, named[0], picked[:3], place)
    else:
        layout = rng.choice(("list", "list", "table", "prose"))
        {"list": _listing, "table": _table, "prose": _prose}[layout](draft, rng, category, picked[:5], place)
    fields: dict[str, Any] = {"annotations": draft.annotations}
    if style == "perplexity":
        fields["citations"] = [u for u, _ in draft.sources]
        fields["search_results"] = [{"title": t, "url": u, "date": "2026-10-02"} for u, t in draft.sources]
    return draft.text, fields


def _place(prompt: str) -> str:
    match = re.search(r"I am located in ([^.]+)\.", prompt)
    if not match:
        return ""
    return _the(match.group(1).split(", ")[0])


def _the(place: str) -> str:
    return f"the {place}" if place in ("United States", "United Kingdom", "Netherlands") else place


def _page(rng: random.Random, brand: KnownBrand) -> tuple[str, str]:
    path = rng.choice(brand.pages)
    return f"https://www.{brand.domain}{path}", f"{brand.name} – {path.strip('/').split('/')[-1].replace('-', ' ')}"


def _review(rng: random.Random, category: Category) -> tuple[str, str]:
    domain, path = rng.choice(category.reviewers)
    return f"https://www.{domain}{path}", f"Best {category.name} software ({domain})"


def _intro(draft: Draft, rng: random.Random, category: Category, place: str) -> None:
    where = f" for teams in {place}" if place else ""
    draft.add(
        rng.choice(
            (
                f"Choosing a {category.name}{where} depends on team size, budget and how much customization you need.",
                f"Here are the {category.name} tools that come up most often{where}, "
                "based on recent reviews and pricing pages.",
                f"There is no single best {category.name}{where}, but a few options consistently stand out.",
            )
        )
    )
    url, title = _review(rng, category)
    draft.cite(url, title)
    draft.add("\n\n")


def _describe(rng: random.Random, brand: KnownBrand) -> str:
    text = f"offers {rng.choice(brand.strengths)}"
    if rng.random() < 0.55:
        text += f", although {rng.choice(brand.weaknesses)}"
    return text + "."


def _listing(draft: Draft, rng: random.Random, category: Category, brands: list[KnownBrand], place: str) -> None:
    _intro(draft, rng, category, place)
    for n, brand in enumerate(brands, 1):
        draft.add(f"{n}. **{brand.name}** – {_describe(rng, brand)} Pricing: {brand.price}.")
        if rng.random() < 0.7:
            draft.cite(*_page(rng, brand))
        draft.add("\n")
    if brands:
        draft.add(
            f"\n**Bottom line:** {brands[0].name} is the safest all-round pick; "
            f"{brands[-1].name} is worth a look if budget matters most."
        )


def _table(draft: Draft, rng: random.Random, category: Category, brands: list[KnownBrand], place: str) -> None:
    _intro(draft, rng, category, place)
    draft.add(f"| {category.name} | Best for | Starting price |\n|---|---|---|\n")
    for brand in brands:
        best_for = rng.choice(("startups", "growing sales teams", "enterprises", "small businesses"))
        draft.add(f"| {brand.name} | {best_for} | {brand.price} |\n")
    if brands:
        lead = brands[0]
        draft.add(f"\n{lead.name} {_describe(rng, lead)}")
        draft.cite(*_page(rng, lead))
        draft.add("\n")


def _prose(draft: Draft, rng: random.Random, category: Category, brands: list[KnownBrand], place: str) -> None:
    _intro(draft, rng, category, place)
    for brand in brands:
        draft.add(f"{brand.name} {_describe(rng, brand)} ")
        if rng.random() < 0.5:
            draft.cite(*_page(rng, brand))
            draft.add(" ")
    draft.parts[-1] = draft.parts[-1].rstrip()
    draft.add("\n\nI recommend shortlisting two of these and running a free trial with your own pipeline data.")


def _branded(
    draft: Draft, rng: random.Random, category: Category, brand: KnownBrand, others: list[KnownBrand], place: str
) -> None:
    if rng.random() < 0.12:
        draft.add(
            f"I couldn't find reliable, up-to-date information about {brand.name}, so I can't say how it "
            f"compares. Well-documented alternatives include {', '.join(o.name for o in others) or 'the major suites'}."
        )
        return
    draft.add(f"**{brand.name}** {_describe(rng, brand)}")
    draft.cite(*_page(rng, brand))
    draft.add(
        f"\n\n### Pros\n- {brand.strengths[0].capitalize()}\n- Pricing is clear: {brand.price}\n\n"
        f"### Cons\n- {brand.weaknesses[0].capitalize()}\n\n"
    )
    if others:
        draft.add("### Alternatives to consider\n")
        for other in others:
            draft.add(f"- **{other.name}**: {_describe(rng, other)}\n")
    verdict = rng.choice(("a good choice", "worth a trial", "a solid option"))
    draft.add(f"\nOverall, {brand.name} is {verdict} for a small team that values simplicity.")
    url, title = _review(rng, category)
    draft.cite(url, title)
