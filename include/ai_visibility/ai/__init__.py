"""The AI layer: the `openai` SDK against any OpenAI-compatible endpoint."""
