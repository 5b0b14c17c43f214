"""Which enriched parts an index has been sent, so a live index only receives what is new.

Kept in the lake itself (``state/index/NAME.json``, in the bucket for an s3:// lake, so any worker
sees it) with the index's UUID: an index deleted and created
again under the same name has another UUID, and then every document is sent again. The ledger
is written only after a run in which every document was accepted and the counts matched.
"""

from __future__ import annotations

import json
from pathlib import PurePath

from elasticsearch import Elasticsearch

from commentscope.lake import Lake


def _path(lake: Lake, index: str) -> PurePath:
    return lake.shared_state_dir / "index" / f"{index}.json"


def part_key(lake: Lake, version: str, part: PurePath) -> str:
    return part.relative_to(lake.enriched_version_dir(version)).as_posix()


def index_uuid(es: Elasticsearch, index: str) -> str:
    settings = es.indices.get_settings(index=index, name="index.uuid")
    return str(settings[index]["settings"]["index"]["uuid"])


def sent_parts(lake: Lake, index: str, uuid: str) -> set[str]:
    path = _path(lake, index)
    if not lake.store.exists(path):
        return set()
    state = json.loads(lake.store.read_bytes(path))
    return set(state.get("parts", [])) if state.get("index_uuid") == uuid else set()


def record_sent(lake: Lake, index: str, uuid: str, parts: list[str]) -> None:
    body = json.dumps({"index_uuid": uuid, "parts": sorted(parts)}, indent=1).encode()
    lake.store.write_bytes(_path(lake, index), body)
