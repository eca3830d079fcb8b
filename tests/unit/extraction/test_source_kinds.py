"""Cited domains classed by source kind, from the shipped table and a user's file merged over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.errors import InputError
from ai_visibility.extraction.source_kinds import load_source_kinds
from tests.analytics_rows import store_rows
from tests.helpers import stored_document


@pytest.mark.parametrize(
    ("domain", "kind"),
    [
        ("reuters.com", "news"),
        ("abcnews.go.com", "news"),  # a listed subdomain, though go.com is not listed
        ("reddit.com", "forum"),
        ("g2.com", "review"),
        ("www.trustpilot.com", "review"),
        ("en.wikipedia.org", "reference"),
        ("youtube.com", "social"),
        ("irs.gov", "government_education"),
        ("ox.ac.uk", "government_education"),
        ("stanford.edu", "government_education"),
        ("gov.uk", "government_education"),  # www.gov.uk, whose registrable domain is the suffix itself
        ("hmrc.gov.uk", "government_education"),
        ("acme-payroll.io", "vendor_other"),  # nothing matches: a vendor or anything else
    ],
)
def test_the_shipped_table_classes_well_known_domains(domain: str, kind: str) -> None:
    assert load_source_kinds().kind_of(domain) == kind


def test_a_user_file_adds_and_overrides_entries(tmp_path: Path) -> None:
    mine = tmp_path / "kinds.yaml"
    mine.write_text("domains:\n  news: [nerdwallet.com, moneyweek.com]\nsuffixes:\n  government_education: [gov.ie]\n")
    kinds = load_source_kinds(mine)
    assert (kinds.kind_of("nerdwallet.com"), kinds.kind_of("moneyweek.com")) == ("news", "news")
    assert kinds.kind_of("revenue.gov.ie") == "government_education"
    assert kinds.kind_of("reddit.com") == "forum"  # the shipped entries stay


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("domains:\n  blogs: [example.com]\n", r"domains.blogs: unknown source kind; use one of \['news'"),
        ("domains:\n  news: example.com\n", "domains.news: give a list of domain names"),
        ("sites:\n  news: [example.com]\n", "expected a mapping with `domains` and/or `suffixes`"),
    ],
)
def test_a_broken_user_file_names_the_file_and_the_entry(tmp_path: Path, text: str, message: str) -> None:
    mine = tmp_path / "kinds.yaml"
    mine.write_text(text)
    with pytest.raises(InputError, match=message) as failure:
        load_source_kinds(mine)
    assert str(mine) in str(failure.value)


def test_a_missing_user_file_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist: fix AI_VISIBILITY_SOURCE_KINDS_FILE"):
        load_source_kinds(tmp_path / "absent.yaml")


def test_the_analytics_use_the_users_kinds(sqlite_url: str, tmp_path: Path) -> None:
    mine = tmp_path / "kinds.yaml"
    mine.write_text("domains:\n  news: [nerdwallet.com]\n")
    db = Database(sqlite_url)
    store_rows(db)
    generate_analytics(db, "q_now", load_source_kinds(mine))
    citations = stored_document(db, "q_now")["citations"]
    assert citations["by_kind"]["news"] == {"count": 4, "share": 0.2857}  # nerdwallet.com's 4 of 14
    assert citations["by_kind"]["review"] == {"count": 1, "share": 0.0714}  # bankrate.com
    assert [d["kind"] for d in citations["top_domains"] if d["domain"] == "nerdwallet.com"] == ["news"]
