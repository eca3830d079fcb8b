"""The demo org (synthetic), which `make demo` and the tests store and run."""

from pathlib import Path

DEMO_ORG_FILE = Path(__file__).parent / "brightpath.yaml"
