"""What interrupted writes can leave in an ``s3://`` lake's bucket, found and removed by ``doctor``.

commentscope itself publishes every object with one PUT from a local spool file, so a killed writer
leaves its spool file on the machine (commentscope/doctor.py), never a key. Two things can still
sit under the lake's prefix and cost storage without being lake data:

- unfinished multipart uploads: parts uploaded by a client that died before completing (or
  aborting) the upload, e.g. ``aws s3 cp``/``rclone`` copying a large lake up. S3 keeps and bills
  them until they are aborted; they are invisible to listings of objects.
- temporary keys: hidden ``.NAME.XXXX.tmp`` / ``.commentscope-...spool`` names, which arrive when a
  local lake that held a killed run's partial files is copied into the bucket as it is.

Neither can be "in use" by a lock on object storage, so anything younger than ``min_age`` is left
alone (an upload in progress, a copy still running).
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import PurePosixPath

from commentscope.atomic import TMP_SUFFIX
from commentscope.doctor import MIN_AGE, Finding
from commentscope.storage import SPOOL_PREFIX, SPOOL_SUFFIX, S3Store

UPLOAD = "unfinished upload"
TEMP_KEY = "temporary key"


def _age(when: datetime, now: float) -> float:
    return now - when.timestamp()


def _temporary(name: str) -> bool:
    return (
        name.startswith(".")
        and name.endswith(TMP_SUFFIX)
        or (name.startswith(SPOOL_PREFIX) and name.endswith(SPOOL_SUFFIX))
    )


def find_remote_leftovers(store: S3Store, min_age: float = MIN_AGE) -> list[Finding]:
    """Unfinished uploads and temporary keys under the lake's prefix."""
    now = time.time()
    prefix = store.key_prefix
    found: list[Finding] = []
    for page in store.client.get_paginator("list_multipart_uploads").paginate(Bucket=store.bucket, Prefix=prefix):
        for upload in page.get("Uploads", []):
            parts = store.client.list_parts(Bucket=store.bucket, Key=upload["Key"], UploadId=upload["UploadId"]).get(
                "Parts", []
            )
            size = sum(p["Size"] for p in parts)
            # an upload still receiving parts is alive; the newest part says so better than the start
            # (S3Proxy even reports the listing's time as ``Initiated``)
            last = max((p["LastModified"] for p in parts), default=upload["Initiated"])
            found.append(
                Finding(
                    UPLOAD,
                    PurePosixPath(store.bucket, upload["Key"]),
                    size,
                    remote=True,
                    ref=upload["UploadId"],
                    in_use=_age(last, now) < min_age,
                )
            )
    for page in store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if _temporary(PurePosixPath(item["Key"]).name):
                found.append(
                    Finding(
                        TEMP_KEY,
                        PurePosixPath(store.bucket, item["Key"]),
                        item["Size"],
                        remote=True,
                        in_use=_age(item["LastModified"], now) < min_age,
                    )
                )
    return found


def fix_remote(store: S3Store, findings: list[Finding]) -> list[Finding]:
    """Abort the unfinished uploads and delete the temporary keys that are old enough."""
    for finding in findings:
        if not finding.remote:
            continue
        if finding.in_use:
            finding.action = "left alone: in use"
            continue
        key = store.key(finding.path)
        if finding.kind == UPLOAD:
            store.client.abort_multipart_upload(Bucket=store.bucket, Key=key, UploadId=finding.ref)
        else:
            store.client.delete_object(Bucket=store.bucket, Key=key)
        finding.action = "removed"
    return findings
