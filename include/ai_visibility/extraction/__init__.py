"""Pure extraction functions over one answer: no database, no network."""
