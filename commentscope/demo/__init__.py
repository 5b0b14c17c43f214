"""The bundled synthetic demo campaign (registry + comments), clearly not real data."""

from pathlib import Path

DEMO_DIR = Path(__file__).parent
DEMO_REGISTRY = DEMO_DIR / "campaigns.yaml"
DEMO_COMMENTS = DEMO_DIR / "comments.jsonl"
