"""Where the lake's files live: a local folder (the embedded default) or an S3-compatible bucket.

``open_store("data")`` is a folder; ``open_store("s3://bucket/prefix")`` is a bucket reached with
the endpoint and credentials from the environment (``S3Options.from_env``). The lake asks a store
for five things only: list files matching a pattern, read one, publish one, delete one, and give
DuckDB a path it can read.

Publishing on object storage. S3 has no rename, but one PutObject is atomic: readers see the
whole new object or nothing. So a part is written to a local spool file first and published by a
single PUT; a crash before the PUT leaves nothing in the bucket (no temporary key to clean up).
Where two writers may race for one key (enriched parts and claims, see commentscope/claims.py),
the PUT is conditional (``If-None-Match: *``): exactly one writer creates the object, the other
gets 412 and learns it lost. We chose conditional puts over a manifest because every part's key
already is its identity (content hash or one-to-one with a raw part): a manifest would be one
more object every reader must fetch first, and updating it safely needs a conditional put anyway.
On local disk the same guarantees come from rename (``atomic.atomic_path``) and, for exclusive
publishes, a hard link, which the kernel creates or refuses atomically.

Reads go through pyarrow's S3 filesystem (ranged GETs for Parquet footers and columns); DuckDB
reads the same filesystem registered as an fsspec filesystem. DuckDB's own httpfs extension is
not used because it is downloaded from DuckDB's extension server at first use, and deployments
(and the tests) must run without network access at run time.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import os
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import TYPE_CHECKING, Any

from commentscope.atomic import atomic_path, pending_file, publish
from commentscope.errors import ConfigurationError

if TYPE_CHECKING:
    import pyarrow.parquet as pq

    from commentscope.settings import Environment

S3_SCHEME = "s3://"
DUCKDB_PROTOCOL = "cslake"  # the name DuckDB routes to our registered filesystem
ENDPOINT_ENV = "COMMENTSCOPE_S3_ENDPOINT"
LOCAL_DATA_ENV = "COMMENTSCOPE_LOCAL_DATA"
SPOOL_ENV = "COMMENTSCOPE_SPOOL"
SPOOL_PREFIX = ".commentscope-"  # spool files of s3:// writes: .commentscope-LABEL-XXXX.spool
SPOOL_SUFFIX = ".spool"


def _environment() -> Environment:
    from commentscope.settings import Environment  # settings imports pydantic: only when a value is needed

    return Environment.read()


class StorageError(ConfigurationError, RuntimeError):
    """The lake's storage is misconfigured or unreachable; the message says what to set."""


@dataclass
class Staging:
    """A local file to write a part into; ``published`` tells whether it became the target."""

    path: Path
    published: bool = False


class Store(ABC):
    """The operations the lake needs from where its files are kept."""

    root: PurePath

    @abstractmethod
    def glob(self, base: PurePath, pattern: str) -> list[PurePath]:
        """Files under ``base`` whose relative path matches ``pattern`` (``*`` stays within a level)."""

    @abstractmethod
    def subdirs(self, base: PurePath) -> list[str]:
        """Names of the folders (prefixes) directly under ``base``."""

    @abstractmethod
    def exists(self, path: PurePath) -> bool: ...

    @abstractmethod
    def read_bytes(self, path: PurePath) -> bytes: ...

    @abstractmethod
    def delete(self, path: PurePath) -> None: ...

    @abstractmethod
    def parquet_file(self, path: PurePath) -> pq.ParquetFile: ...

    @abstractmethod
    def staged(self, target: PurePath, *, exclusive: bool = False) -> contextlib.AbstractContextManager[Staging]:
        """A local file to fill; published as ``target`` when the block ends without an error.

        With ``exclusive`` an existing ``target`` is never replaced and ``published`` stays False.
        """

    @abstractmethod
    def pending(self, folder: PurePath, label: str) -> contextlib.AbstractContextManager[Path]:
        """A local file for a part whose name is known only at the end; removed unless published."""

    @abstractmethod
    def publish(self, tmp: Path, target: PurePath, *, exclusive: bool = False) -> bool:
        """Publish a finished ``pending`` file as ``target``; False if ``exclusive`` and it exists."""

    def write_bytes(self, target: PurePath, data: bytes, *, exclusive: bool = False) -> bool:
        with self.staged(target, exclusive=exclusive) as staging:
            staging.path.write_bytes(data)
        return staging.published

    def sql_path(self, path: PurePath) -> str:
        """The path DuckDB reads ``path`` by (after ``register``)."""
        return str(path)

    def register(self, con: Any) -> None:  # noqa: B027 - a local folder needs nothing registered
        """Make this store readable by the DuckDB connection ``con``."""

    @property
    def local_root(self) -> Path:
        """A local folder for what only this machine needs (locks, collector checkpoints, reports)."""
        return Path(self.root)


class LocalStore(Store):
    """The data directory on local disk."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def glob(self, base: PurePath, pattern: str) -> list[PurePath]:
        return sorted(Path(base).glob(pattern))

    def subdirs(self, base: PurePath) -> list[str]:
        base = Path(base)
        return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []

    def exists(self, path: PurePath) -> bool:
        return Path(path).exists()

    def read_bytes(self, path: PurePath) -> bytes:
        return Path(path).read_bytes()

    def delete(self, path: PurePath) -> None:
        Path(path).unlink(missing_ok=True)

    def parquet_file(self, path: PurePath) -> pq.ParquetFile:
        import pyarrow.parquet as pq

        return pq.ParquetFile(Path(path))

    def pending(self, folder: PurePath, label: str) -> contextlib.AbstractContextManager[Path]:
        return pending_file(Path(folder), label)

    def publish(self, tmp: Path, target: PurePath, *, exclusive: bool = False) -> bool:
        try:
            publish(tmp, Path(target), exclusive=exclusive)
        except FileExistsError:
            if not exclusive:
                raise
            return False
        return True

    @contextlib.contextmanager
    def staged(self, target: PurePath, *, exclusive: bool = False) -> Iterator[Staging]:
        staging = Staging(Path())
        try:
            with atomic_path(Path(target), exclusive=exclusive) as tmp:
                staging.path = tmp
                yield staging
            staging.published = True
        except FileExistsError:
            if not exclusive:
                raise


@dataclass(frozen=True)
class S3Options:
    """Endpoint and credentials of an S3-compatible store, from the environment only.

    ``COMMENTSCOPE_S3_ENDPOINT`` (e.g. ``http://minio:9000``; unset for AWS itself) and the standard
    ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``, ``AWS_REGION``.
    """

    endpoint: str | None
    access_key: str | None
    secret_key: str | None
    session_token: str | None
    region: str

    @classmethod
    def from_env(cls) -> S3Options:
        env = _environment()
        endpoint = env.get(ENDPOINT_ENV) or None
        if endpoint and not endpoint.startswith(("http://", "https://")):
            raise StorageError(f"{ENDPOINT_ENV}={endpoint!r} needs a scheme: set it like http://127.0.0.1:9000")
        return cls(
            endpoint=endpoint,
            access_key=env.get("AWS_ACCESS_KEY_ID") or None,
            secret_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
            session_token=env.get("AWS_SESSION_TOKEN") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        )


class S3Store(Store):
    """A prefix of an S3-compatible bucket: reads by pyarrow, publishes by one (conditional) PUT."""

    def __init__(self, uri: str, options: S3Options | None = None):
        bucket, _, prefix = uri[len(S3_SCHEME) :].partition("/")
        if not bucket:
            raise StorageError(f"COMMENTSCOPE_DATA={uri!r} names no bucket: set it like s3://my-bucket/commentscope")
        self.uri = uri
        self.bucket = bucket
        self.root = PurePosixPath(bucket, *[p for p in prefix.split("/") if p])
        self.options = options or S3Options.from_env()
        self.fs = self._arrow_fs()
        self.client = self._client()

    def _arrow_fs(self) -> Any:
        from pyarrow import fs

        o = self.options
        kwargs: dict[str, Any] = {"region": o.region}
        if o.endpoint:
            scheme, _, host = o.endpoint.partition("://")
            kwargs.update(endpoint_override=host.rstrip("/"), scheme=scheme)
        if o.access_key:
            kwargs.update(access_key=o.access_key, secret_key=o.secret_key, session_token=o.session_token)
        return fs.S3FileSystem(**kwargs)

    def _client(self) -> Any:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise StorageError("an s3:// lake needs boto3: pip install 'commentscope[s3]'") from None
        o = self.options
        # S3-compatible stores (S3Proxy, older MinIO, Ceph) reject the CRC checksums that recent
        # botocore adds to every upload by default; send them only where the API requires them.
        config = Config(
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"mode": "standard", "max_attempts": 5},
        )
        return boto3.client(
            "s3",
            endpoint_url=o.endpoint,
            region_name=o.region,
            aws_access_key_id=o.access_key,
            aws_secret_access_key=o.secret_key,
            aws_session_token=o.session_token,
            config=config,
        )

    def key(self, path: PurePath) -> str:
        """The object key of a lake path ``bucket/prefix/...``."""
        parts = PurePosixPath(path).parts
        if not parts or parts[0] != self.bucket:
            raise StorageError(f"{path} is outside the bucket {self.bucket}")
        return "/".join(parts[1:])

    @property
    def key_prefix(self) -> str:
        """The keys of this lake start with this (``""`` for a lake at the bucket's root)."""
        prefix = self.key(self.root)
        return f"{prefix}/" if prefix else ""

    def glob(self, base: PurePath, pattern: str) -> list[PurePath]:
        from pyarrow import fs

        wanted = pattern.split("/")
        infos = self.fs.get_file_info(fs.FileSelector(str(base), recursive=True, allow_not_found=True))
        found = set()
        for info in infos:
            if info.type != fs.FileType.File:
                continue
            relative = PurePosixPath(info.path).relative_to(base).parts
            if len(relative) == len(wanted) and all(
                fnmatch.fnmatchcase(p, w) for p, w in zip(relative, wanted, strict=True)
            ):
                found.add(PurePosixPath(info.path))
        return sorted(found)

    def subdirs(self, base: PurePath) -> list[str]:
        from pyarrow import fs

        infos = self.fs.get_file_info(fs.FileSelector(str(base), recursive=False, allow_not_found=True))
        return sorted({PurePosixPath(i.path).name for i in infos if i.type == fs.FileType.Directory})

    def exists(self, path: PurePath) -> bool:
        from pyarrow import fs

        return self.fs.get_file_info(str(path)).type == fs.FileType.File

    def read_bytes(self, path: PurePath) -> bytes:
        # compression=None: pyarrow would otherwise gunzip a ``.gz`` key (raw pages) on the way
        with self.fs.open_input_stream(str(path), compression=None) as handle:
            return handle.read()

    def delete(self, path: PurePath) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(path))

    def parquet_file(self, path: PurePath) -> pq.ParquetFile:
        import pyarrow.parquet as pq

        return pq.ParquetFile(str(path), filesystem=self.fs)

    @contextlib.contextmanager
    def pending(self, folder: PurePath, label: str) -> Iterator[Path]:
        """A spool file in ``spool_dir()``, locked while in use (``commentscope doctor`` leaves it alone)."""
        spool = spool_dir()
        spool.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"{SPOOL_PREFIX}{label}-", suffix=SPOOL_SUFFIX, dir=spool)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # the kernel drops it if this process dies mid-upload
            yield Path(name)
        finally:
            Path(name).unlink(missing_ok=True)
            os.close(fd)

    def publish(self, tmp: Path, target: PurePath, *, exclusive: bool = False) -> bool:
        from botocore.exceptions import ClientError

        extra = {"IfNoneMatch": "*"} if exclusive else {}
        with open(tmp, "rb") as body:
            try:
                self.client.put_object(Bucket=self.bucket, Key=self.key(target), Body=body, **extra)
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code")
                # 412: the key exists; 409: a concurrent conditional write to it is in flight
                if exclusive and code in {"PreconditionFailed", "ConditionalRequestConflict"}:
                    return False
                raise StorageError(f"could not publish s3://{self.bucket}/{self.key(target)}: {exc}") from exc
        return True

    @contextlib.contextmanager
    def staged(self, target: PurePath, *, exclusive: bool = False) -> Iterator[Staging]:
        with self.pending(target.parent, "part") as tmp:
            staging = Staging(tmp)
            yield staging
            staging.published = self.publish(tmp, target, exclusive=exclusive)

    def sql_path(self, path: PurePath) -> str:
        return f"{DUCKDB_PROTOCOL}://{path}"

    def register(self, con: Any) -> None:
        con.register_filesystem(_duckdb_filesystem(self.fs))

    @property
    def local_root(self) -> Path:
        return Path(_environment().get(LOCAL_DATA_ENV) or "data")


class _PositionalFile:
    """A read-only S3 object for DuckDB: each thread keeps its own position, reads are positional.

    DuckDB's parquet reader shares one handle between its threads and calls ``seek`` then ``read``;
    with one shared position two threads interleave and read each other's bytes (seen here as
    "ZSTD Decompression failure"). A position per thread makes each seek-read pair consistent,
    and pyarrow's ``read_at`` is safe to call from several threads.
    """

    def __init__(self, handle: Any):
        self._handle = handle
        self.size = handle.size()
        self._local = threading.local()
        self.closed = False

    def _pos(self) -> int:
        return getattr(self._local, "pos", 0)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos(), 2: self.size}[whence]
        self._local.pos = base + offset
        return self._local.pos

    def tell(self) -> int:
        return self._pos()

    def read(self, length: int = -1) -> bytes:
        start = self._pos()
        length = self.size - start if length is None or length < 0 else min(length, self.size - start)
        data = self._handle.read_at(length, start) if length > 0 else b""
        self._local.pos = start + len(data)
        return bytes(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def close(self) -> None:
        if not self.closed:
            self._handle.close()
            self.closed = True

    def __enter__(self) -> _PositionalFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _duckdb_filesystem(arrow_fs: Any) -> Any:
    """pyarrow's S3 filesystem seen through fsspec, under the protocol name DuckDB routes to it."""
    from fsspec.implementations.arrow import ArrowFSWrapper

    class LakeFS(ArrowFSWrapper):
        protocol = DUCKDB_PROTOCOL

        @classmethod
        def _strip_protocol(cls, path: Any) -> Any:
            if isinstance(path, list):
                return [cls._strip_protocol(p) for p in path]
            return str(path).split("://", 1)[-1].rstrip("/")

        def _open(self, path: str, mode: str = "rb", *args: Any, **kwargs: Any) -> Any:
            if mode != "rb":
                raise StorageError(f"the lake is read-only through DuckDB: cannot open {path} with mode {mode}")
            return _PositionalFile(arrow_fs.open_input_file(self._strip_protocol(path)))

    return LakeFS(arrow_fs)


def spool_dir() -> Path:
    """Where an ``s3://`` lake's parts are written before their upload: ``COMMENTSCOPE_SPOOL`` (a local
    disk with room for one part; created if missing) or the system's temporary folder."""
    return Path(_environment().get(SPOOL_ENV) or tempfile.gettempdir())


def is_remote(root: str | Path) -> bool:
    return isinstance(root, str) and root.startswith(S3_SCHEME)


def open_store(root: str | Path | Store) -> Store:
    """The store for ``COMMENTSCOPE_DATA``: ``s3://bucket/prefix`` or a local folder."""
    if isinstance(root, Store):
        return root
    if is_remote(root):
        return S3Store(str(root))
    return LocalStore(root)


def ensure_bucket(root: str) -> str:
    """Create the bucket of an ``s3://`` lake if it is missing (the compose ``s3-bucket`` service)."""
    store = open_store(root)
    if not isinstance(store, S3Store):
        return f"{root} is a local folder: nothing to create"
    from botocore.exceptions import ClientError

    try:
        store.client.head_bucket(Bucket=store.bucket)
        return f"bucket {store.bucket} exists"
    except ClientError:
        store.client.create_bucket(Bucket=store.bucket)
        return f"bucket {store.bucket} created"


if __name__ == "__main__":
    print(ensure_bucket(_environment().text("COMMENTSCOPE_DATA", "data")))
