"""What kind of source a cited third-party domain is: news, forum, review site, reference, social,
government / education, or vendor / other, from `source_kinds.yaml` and an optional user file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ai_visibility.errors import InputError

SHIPPED = Path(__file__).with_name("source_kinds.yaml")
THIRD_PARTY_KINDS = ("news", "forum", "review", "reference", "social", "government_education", "vendor_other")
UNMATCHED = "vendor_other"


@dataclass(frozen=True)
class SourceKinds:
    """Domains (each with its subdomains) and domain suffixes, each mapped to a third-party kind."""

    domains: dict[str, str]
    suffixes: dict[str, str]

    def kind_of(self, domain: str) -> str:
        host = domain.lower().removeprefix("www.").rstrip(".")
        labels = host.split(".")
        for i in range(len(labels) - 1):
            kind = self.domains.get(".".join(labels[i:]))
            if kind:
                return kind
        # The longest suffix wins, so `.ac.uk` is not taken for a plain `.uk` rule a user adds.
        for suffix in sorted(self.suffixes, key=len, reverse=True):
            if host.endswith(suffix) or host == suffix[1:]:  # www.gov.uk's registrable domain is gov.uk
                return self.suffixes[suffix]
        return UNMATCHED


def load_source_kinds(user_file: str | Path | None = None) -> SourceKinds:
    """The shipped table, with the user's file (same format) merged over it: an entry there wins."""
    domains: dict[str, str] = {}
    suffixes: dict[str, str] = {}
    for path in (SHIPPED, *([Path(user_file)] if user_file else [])):
        entries = _read(Path(path))
        for section, into in (("domains", domains), ("suffixes", suffixes)):
            for kind, names in (entries.get(section) or {}).items():
                if kind not in THIRD_PARTY_KINDS:
                    raise InputError(
                        f"{path}: {section}.{kind}: unknown source kind; use one of {list(THIRD_PARTY_KINDS)}"
                    )
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise InputError(f"{path}: {section}.{kind}: give a list of domain names")
                for name in names:
                    key = name.strip().lower()
                    if section == "suffixes" and not key.startswith("."):
                        key = "." + key
                    into[key.removeprefix("www.")] = kind
    return SourceKinds(domains, suffixes)


def _read(path: Path) -> dict[str, Any]:
    try:
        entries = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise InputError(f"source kinds file {path} does not exist: fix AI_VISIBILITY_SOURCE_KINDS_FILE") from None
    except yaml.YAMLError as exc:
        raise InputError(f"source kinds file {path} is not valid YAML: {exc}") from None
    if not isinstance(entries, dict) or set(entries) - {"domains", "suffixes"}:
        raise InputError(f"{path}: expected a mapping with `domains` and/or `suffixes`, each kind -> list of names")
    return entries
