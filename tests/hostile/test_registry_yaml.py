"""Hostile campaign registries: alias bombs, huge files, bad bytes, loops. Each fails fast, on one line.

The bad files run through the real ``commentscope enrich`` (it reads the registry first) in a child
process with a memory cap and a timeout, so a regression shows as a failure instead of a hung machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from commentscope.registry import RegistryError, load_registry
from tests.hostile.cli import run_cli, run_python

VALID = """\
campaigns:
  - id: cf
    name: Creators Forward
    launch_date: 2024-03-01
    before: &before {start: 2024-01-01, end: 2024-02-29}
    after: {start: 2024-03-01, end: 2024-04-30}
    creators:
      - key: th-one
        name: One
        country: TH
        languages: [th]
        digest_email: one@example.org
  - id: cf-copy
    name: Creators Forward, second wave
    launch_date: 2024-03-01
    before: *before
    after: {start: 2024-03-01, end: 2024-04-30}
    creators:
      - key: th-two
        name: Two
        country: TH
        languages: [th]
"""


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    lines.append("campaigns: [*i, *i, *i, *i, *i, *i, *i, *i, *i]")
    return "\n".join(lines) + "\n"


def hostile_files(root: Path) -> dict[str, Path]:
    files = {
        "billion-laughs": billion_laughs().encode(),
        "bad-utf8": VALID.replace("name: One", "name: On\xe9").encode("latin-1"),
        "utf16": VALID.encode("utf-16"),
        "self-alias": b"campaigns: &loop [*loop]\n",
        "deep": b"campaigns: " + b"[" * 50_000 + b"\n",
        "syntax": VALID.replace("    name: One", "   name: One:\n  - x").encode(),
    }
    out = {}
    for name, data in files.items():
        out[name] = root / f"{name}.yaml"
        out[name].write_bytes(data)
    return out


@pytest.mark.parametrize("case", ["billion-laughs", "bad-utf8", "utf16", "self-alias", "deep", "syntax"])
def test_hostile_registry_fails_fast_with_one_line(tmp_path, case):
    registry = hostile_files(tmp_path)[case]
    run = run_python(
        "import sys\nfrom commentscope.registry import load_registry, RegistryError\n"
        "try:\n    load_registry(sys.argv[1])\nexcept RegistryError as exc:\n    print(exc); sys.exit(1)\n",
        str(registry),
        timeout=30,
    )
    assert run.returncode == 1, f"{case}: rc={run.returncode} after {run.seconds:.0f}s\n{run.output[-2000:]}"
    assert run.stderr == "", f"{case} printed a traceback:\n{run.stderr[-2000:]}"
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{registry}:"), run.stdout
    assert "(fix:" in lines[0]
    assert run.seconds < 15


def test_billion_laughs_through_the_command_is_one_line(tmp_path):
    registry = hostile_files(tmp_path)["billion-laughs"]
    run = run_cli("enrich", "--data", str(tmp_path / "data"), "--registry", str(registry), timeout=60)
    assert run.returncode == 1, f"rc={run.returncode} after {run.seconds:.0f}s"
    assert "Traceback" not in run.output
    error_lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(error_lines) == 1 and "aliases" in error_lines[0], run.stderr


def test_fifty_megabyte_registry_is_refused_at_once(tmp_path):
    registry = tmp_path / "campaigns.yaml"
    with registry.open("w", encoding="utf-8") as handle:
        handle.write(VALID)
        for i in range(540_000):
            handle.write(f"# padding line {i:08d} " + "x" * 70 + "\n")
    assert registry.stat().st_size > 50_000_000
    run = run_python(
        "import sys\nfrom commentscope.registry import load_registry\nload_registry(sys.argv[1])",
        str(registry),
        timeout=30,
    )
    assert run.returncode == 1 and run.seconds < 10, f"rc={run.returncode} after {run.seconds:.0f}s"
    assert "MB limit" in run.stderr and "fix:" in run.stderr


def test_anchors_used_with_care_still_load_and_errors_keep_their_line(tmp_path):
    registry = tmp_path / "campaigns.yaml"
    registry.write_text(VALID, encoding="utf-8")
    loaded = load_registry(registry)
    assert loaded.campaign("cf-copy").before == loaded.campaign("cf").before
    registry.write_text(
        VALID.replace(
            "    languages: [th]\n        digest_email",
            "    languages: [th]\n        tiemzone: UTC\n        digest_email",
        ),
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        load_registry(registry)
    assert str(caught.value).startswith(f"{registry}:12: campaigns.0.creators.0.tiemzone")
    assert "creator 'th-one'" in str(caught.value)
