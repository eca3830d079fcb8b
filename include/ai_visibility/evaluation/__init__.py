"""The labelled evaluation set of extraction and the scorer behind `ai-visibility eval`."""
