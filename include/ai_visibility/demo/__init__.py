"""The demo org (synthetic), which `make demo` and the tests store and run.

May import: nothing of the project (it is data and its path).
"""

from pathlib import Path

DEMO_ORG_FILE = Path(__file__).parent / "brightpath.yaml"
