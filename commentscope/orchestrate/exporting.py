"""The export task: validate the run's parameters, then write a researcher export.

Parameters are checked twice: by Airflow against the Param schema (types, allowed values) when a
run is triggered, and here against the registry and the lake (the campaign exists, dates are
real dates in order), with messages that say the fix. The output folder is named after the
parameters, so re-running the same export rewrites the same folder with the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from commentscope.errors import ExportStageError
from commentscope.orchestrate import constants as P
from commentscope.orchestrate.runtime import Runtime, runtime
from commentscope.settings import Environment

EXPORT_DIR_ENV = "COMMENTSCOPE_EXPORT_DIR"
KNOWN = {
    "campaign",
    "since",
    "until",
    "languages",
    "periods",
    "labels",
    "creators",
    "platforms",
    "formats",
    "include_text",
    "seed",
    "tagger_version",
}


class ExportParamsError(ExportStageError, ValueError):
    """Export parameters that cannot work, with the values that would."""


def _day(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ExportParamsError(f"{name}={value!r} is not a date: write YYYY-MM-DD") from None


def _choices(params: dict[str, Any], name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = params.get(name) or []
    if isinstance(values, str):
        values = [values]
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ExportParamsError(f"{name}: unknown {', '.join(map(str, bad))}; use {', '.join(allowed)}")
    return tuple(dict.fromkeys(values))


def validate_export_params(params: dict[str, Any], *, rt: Runtime | None = None) -> dict[str, Any]:
    """Check the parameters against the registry and return them normalised (JSON-able)."""
    rt = rt or runtime()
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise ExportParamsError(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(KNOWN))}")
    campaign_id = str(params.get("campaign") or "").strip()
    if not campaign_id:
        raise ExportParamsError("campaign is required: pass the campaign id from campaigns.yaml")
    campaign = rt.registry.campaign(campaign_id)  # RegistryError names the known ids
    since, until = _day(params.get("since"), "since"), _day(params.get("until"), "until")
    if since and until and until < since:
        raise ExportParamsError(f"until {until} is before since {since}: swap them")
    creators = tuple(params.get("creators") or [])
    bad = [c for c in creators if c not in {k.key for k in campaign.creators}]
    if bad:
        raise ExportParamsError(f"creators: {', '.join(bad)} not in campaign {campaign.id}")
    formats = _choices(params, "formats", P.EXPORT_FORMATS) or ("parquet",)
    tagger = params.get("tagger_version") or None
    if tagger and tagger not in rt.lake.enriched_versions():
        known = ", ".join(rt.lake.enriched_versions()) or "none yet"
        raise ExportParamsError(f"tagger_version {tagger!r} is not in the lake (known: {known})")
    seed = params.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ExportParamsError(f"seed={seed!r} must be a whole number >= 0")
    return {
        "campaign": campaign.id,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "languages": list(_choices(params, "languages", P.EXPORT_LANGUAGES)),
        "periods": list(_choices(params, "periods", P.EXPORT_PERIODS)),
        "labels": list(_choices(params, "labels", P.EXPORT_LABELS)),
        "creators": list(creators),
        "platforms": list(_choices(params, "platforms", P.EXPORT_PLATFORMS)),
        "formats": list(formats),
        "include_text": bool(params.get("include_text", True)),
        "seed": seed,
        "tagger_version": tagger,
    }


def export_folder(valid: dict[str, Any], root: Path) -> Path:
    """``root/campaign/<hash of the parameters>``: the same parameters, the same folder."""
    digest = hashlib.sha256(json.dumps(valid, sort_keys=True).encode()).hexdigest()[:12]
    return root / valid["campaign"] / digest


def run_export(valid: dict[str, Any], *, rt: Runtime | None = None) -> dict[str, Any]:
    """Write the export for validated parameters; returns its folder and manifest counts."""
    from commentscope.export.corpus import ExportOptions, export_corpus
    from commentscope.export.selection import ExportFilter

    rt = rt or runtime()
    root = Path(Environment.read().get(EXPORT_DIR_ENV) or rt.lake.local_root / "exports")
    flt = ExportFilter(
        campaign=valid["campaign"],
        since=_day(valid["since"], "since"),
        until=_day(valid["until"], "until"),
        periods=tuple(valid["periods"]),
        languages=tuple(valid["languages"]),
        labels=tuple(valid["labels"]),
        creators=tuple(valid["creators"]),
        platforms=tuple(valid["platforms"]),
        tagger_version=valid["tagger_version"],
    )
    options = ExportOptions(
        filters=flt,
        formats=tuple(valid["formats"]),
        include_text=valid["include_text"],
        seed=valid["seed"],
        overwrite=True,
    )
    out = export_folder(valid, root)
    result = export_corpus(rt.lake, rt.lake.connect(valid["tagger_version"]), out, options)
    return {
        "folder": str(result.out_dir),
        "files": result.files,
        "comments": result.manifest["counts"]["total"],
        "selection_sha256": result.manifest["selection_sha256"],
    }
