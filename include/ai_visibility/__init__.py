"""ai-visibility: how AI assistants talk about an organization."""
