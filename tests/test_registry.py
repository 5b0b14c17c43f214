"""campaigns.yaml validation: good files load, bad ones name file, line and fix."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commentscope.demo import DEMO_REGISTRY
from commentscope.registry import RegistryError, load_registry

GOOD = DEMO_REGISTRY.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "campaigns.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_registry_loads_with_creators_videos_and_control():
    registry = load_registry(DEMO_REGISTRY)
    campaign = registry.campaign("demo-forward")
    assert len(campaign.creators) == 5
    assert [c.key for c in campaign.control_creators] == ["demo-ph-control"]
    assert registry.find_video("tiktok", "7460000000000000102")[1].key == "demo-th-nok"
    assert campaign.period_of(datetime(2026, 2, 15, 23, 59, tzinfo=UTC)) == "before"
    assert campaign.period_of(datetime(2026, 2, 16, 0, 0, tzinfo=UTC)) == "after"
    assert campaign.period_of(datetime(2025, 12, 1, tzinfo=UTC)) == "outside"
    assert campaign.creator("demo-ph-migs").locale == "fil"


def test_unknown_field_names_line_and_fix(tmp_path):
    text = GOOD.replace("        timezone: Asia/Jakarta\n", "        timezone: Asia/Jakarta\n        tiemzone: x\n")
    path = write(tmp_path, text)
    expected_line = text.splitlines().index("        tiemzone: x") + 1
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    message = str(err.value)
    assert f"{path}:{expected_line}:" in message
    assert "tiemzone" in message and "remove this field or check its spelling" in message


def test_bad_date_and_window_order(tmp_path):
    path = write(tmp_path, GOOD.replace("launch_date: 2026-02-16", "launch_date: 16/02/2026"))
    with pytest.raises(RegistryError, match="YYYY-MM-DD"):
        load_registry(path)
    path = write(
        tmp_path,
        GOOD.replace("before: {start: 2026-01-05, end: 2026-02-15}", "before: {start: 2026-01-05, end: 2026-02-20}"),
    )
    with pytest.raises(RegistryError, match="before window must end before launch_date"):
        load_registry(path)


def test_float_video_id_rejected_with_fix(tmp_path):
    path = write(tmp_path, GOOD.replace('id: "7460000000000000101"', "id: 7.46e+18"))
    with pytest.raises(RegistryError, match="quote video ids"):
        load_registry(path)


def test_unknown_timezone_language_and_missing_file(tmp_path):
    path = write(tmp_path, GOOD.replace("Asia/Bangkok", "Asia/Bankok"))
    with pytest.raises(RegistryError, match="IANA"):
        load_registry(path)
    path = write(tmp_path, GOOD.replace("languages: [th, en]", "languages: [thai]"))
    with pytest.raises(RegistryError, match="unknown language 'thai'"):
        load_registry(path)
    with pytest.raises(RegistryError, match="registry not found"):
        load_registry(tmp_path / "nope.yaml")


def test_invalid_yaml_reports_line(tmp_path):
    path = write(tmp_path, "campaigns:\n  - id: x\n   name: [unclosed\n")
    with pytest.raises(RegistryError, match=r"campaigns.yaml:\d+: not valid YAML"):
        load_registry(path)
