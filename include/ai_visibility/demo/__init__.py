"""The demo org (synthetic) and the readable summary `make demo` prints."""

from pathlib import Path

DEMO_ORG_FILE = Path(__file__).parent / "brightpath.yaml"
