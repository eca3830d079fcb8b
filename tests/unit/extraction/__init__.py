"""Extraction over realistic answers: mentions, claims, citations."""
