"""The version of the extraction rules, stored with every run's metrics so that analytics never
compares runs that different rules extracted. Raise it whenever a change to extraction can change
what is found in a stored answer; `reprocess_org` then brings history to the new version."""

EXTRACTION_VERSION = "2026.12-16"
