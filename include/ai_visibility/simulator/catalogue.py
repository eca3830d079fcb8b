"""The simulator's made-up world: the brands it knows per category, with what it says about them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownBrand:
    name: str
    domain: str
    pages: tuple[str, ...]
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    price: str
    prominence: float  # how likely an assistant is to name it unprompted


@dataclass(frozen=True)
class Category:
    name: str
    keywords: tuple[str, ...]
    brands: tuple[KnownBrand, ...]
    reviewers: tuple[tuple[str, str], ...]  # third-party sites: (domain, path)


CRM = Category(
    name="CRM",
    keywords=("crm", "sales pipeline", "customer relationship", "lead management", "sales team"),
    brands=(
        KnownBrand(
            "HubSpot",
            "hubspot.com",
            ("/products/crm", "/pricing/crm"),
            ("a generous free plan and an intuitive interface", "strong marketing automation built in"),
            ("paid tiers get expensive quickly as contacts grow",),
            "free; paid plans from $20/seat/month",
            0.95,
        ),
        KnownBrand(
            "Salesforce",
            "salesforce.com",
            ("/crm", "/sales/pricing"),
            ("the most powerful and customizable platform", "a huge ecosystem of integrations"),
            ("a steep learning curve and complex setup", "costly for small teams"),
            "from $25/user/month",
            0.9,
        ),
        KnownBrand(
            "Brightpath CRM",
            "brightpathcrm.com",
            ("/features", "/pricing", "/blog/startup-crm-guide"),
            (
                "a clean, easy pipeline view that small teams pick up in a day",
                "transparent pricing and responsive support",
            ),
            ("a smaller integration marketplace than the big suites",),
            "from $15/user/month",
            0.7,
        ),
        KnownBrand(
            "Pipedrive",
            "pipedrive.com",
            ("/en/features", "/en/pricing"),
            ("a visual, deal-focused pipeline that salespeople like", "easy to set up"),
            ("limited marketing features",),
            "from $14/user/month",
            0.8,
        ),
        KnownBrand(
            "Zoho CRM",
            "zoho.com",
            ("/crm", "/crm/zohocrm-pricing.html"),
            ("strong value for money", "flexible customization"),
            ("an interface that can feel cluttered",),
            "from $14/user/month",
            0.75,
        ),
        KnownBrand(
            "Freshsales",
            "freshworks.com",
            ("/crm/sales",),
            ("built-in phone and email with AI lead scoring",),
            ("reporting is limited on lower tiers",),
            "from $9/user/month",
            0.5,
        ),
        KnownBrand(
            "Copper",
            "copper.com",
            ("/pricing",),
            ("a tight Google Workspace integration",),
            ("fewer advanced automation options",),
            "from $9/user/month",
            0.35,
        ),
    ),
    reviewers=(
        ("g2.com", "/categories/crm"),
        ("capterra.com", "/customer-relationship-management-software"),
        ("forbes.com", "/advisor/business/software/best-crm-small-business"),
        ("techradar.com", "/best/best-crm-software"),
        ("reddit.com", "/r/sales/comments/crm_for_startups"),
    ),
)

CATEGORIES = (CRM,)


def category_for(prompt: str) -> Category:
    text = prompt.lower()
    for category in CATEGORIES:
        if any(k in text for k in category.keywords) or any(b.name.lower() in text for b in category.brands):
            return category
    return CRM
