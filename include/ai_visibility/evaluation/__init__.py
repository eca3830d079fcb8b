"""Extraction quality: the labelled answers (`cases/`, tuned on; `heldout/`, never tuned on) and the
scorer behind `ai-visibility eval`.

May import: `ai_visibility.extraction`; nothing that touches a database.
"""
