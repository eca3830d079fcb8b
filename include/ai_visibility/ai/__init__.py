"""The AI layer: one call to any OpenAI-compatible endpoint through the `openai` SDK (requests per
engine, location, retries within a deadline, answer parsing, repair of text that is not valid
Unicode, prices).

May import: `ai_visibility.errors` and `ai_visibility.env_connections`. It reads models and
locations through the views in `views` and never imports the database; transports other than
HTTP are found through entry points, so it never imports the simulator.
"""
