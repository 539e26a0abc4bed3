"""Safe downloads of the MNIST and Fashion-MNIST files.

`download_file` tries each mirror in turn, streams the body into a temporary file next to the
destination while computing its MD5, and renames it into place (`os.replace`, atomic) only when
the whole file arrived and its checksum matches. So an interrupted or corrupt download never
leaves a file that looks valid, and a file that is already there and verified costs no network
at all. Only the standard library (urllib) is used.

Two clocks bound a download: `timeout` is how long one read may wait for the next bytes (a
server that goes silent), `deadline` is how long one mirror may take for the whole file (a
server that trickles a byte every few seconds never trips the first).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from core.data.errors import DataError, DownloadError
from core.data.validation import check_choice

IDX_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
FASHION_MNIST_MIRRORS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)

MNIST_MD5 = MappingProxyType(
    {
        "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    }
)
FASHION_MNIST_MD5 = MappingProxyType(
    {
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    }
)


@dataclass(frozen=True)
class DownloadSource:
    """Where a data set's files can be downloaded and the MD5 each file must have."""

    mirrors: tuple[str, ...]
    md5: Mapping[str, str]


SOURCES: Mapping[str, DownloadSource] = MappingProxyType(
    {
        "mnist": DownloadSource(MNIST_MIRRORS, MNIST_MD5),
        "fashion-mnist": DownloadSource(FASHION_MNIST_MIRRORS, FASHION_MNIST_MD5),
    }
)

CACHE_ENV_VAR = "NEURAL_PLAYGROUND_DATA"
CHUNK_BYTES = 64 * 1024
MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024  # the largest file (Fashion train images) is ~26 MB
# 26 MB in 15 minutes is ~30 kB/s: slower than that a classroom is better served by a copy by hand.
DEFAULT_DEADLINE_SECONDS = 900.0
USER_AGENT = "neural-playground-data/1.0 (+urllib)"

Progress = Callable[[int, "int | None"], None]


def default_cache_dir() -> Path:
    """$NEURAL_PLAYGROUND_DATA if set, else ($XDG_CACHE_HOME or ~/.cache)/neural-playground."""
    explicit = os.environ.get(CACHE_ENV_VAR)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "neural-playground"


def file_md5(path) -> str:
    """The MD5 hex digest of a file, read in chunks."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _MirrorError(Exception):
    """One mirror did not deliver the file (the message says why); the next one is tried."""


def _check_seconds(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise DataError(f"{name} must be a number of seconds > 0; got {value!r}.")


def _check_download_args(filename, mirrors, md5, timeout, deadline):
    if (
        not isinstance(filename, str)
        or not filename
        or filename in (".", "..")
        or "/" in filename
        or "\\" in filename
    ):
        raise DataError(f"filename must be a plain file name without folders; got {filename!r}.")
    if isinstance(mirrors, str):
        mirrors = (mirrors,)
    try:
        mirrors = tuple(mirrors)
    except TypeError:
        mirrors = ()
    if not mirrors or not all(isinstance(m, str) for m in mirrors):
        raise DataError(f"mirrors must be a non-empty list of base URLs; got {mirrors!r}.")
    if not isinstance(md5, str) or len(md5) != 32 or any(c not in "0123456789abcdef" for c in md5.lower()):
        raise DataError(f"md5 must be 32 hexadecimal digits; got {md5!r}.")
    _check_seconds("timeout", timeout)
    _check_seconds("deadline", deadline)
    return mirrors, md5.lower()


def _describe(err: BaseException, timeout: float) -> str:
    """A short human reason for a network error."""
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP error {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        if not isinstance(err.reason, BaseException):
            return f"cannot connect ({err.reason})"
        err = err.reason  # the underlying socket error
    if isinstance(err, (socket.timeout, TimeoutError)):
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused (no server at that address)"
    if isinstance(err, socket.gaierror):
        return f"unknown host ({err.strerror or err})"
    if isinstance(err, http.client.HTTPException):
        return f"bad HTTP response ({type(err).__name__}: {err})"
    if isinstance(err, OSError):
        return f"{err.strerror or err}"
    return str(err)


def _fetch(
    url: str,
    target: Path,
    md5: str,
    progress: Progress | None,
    timeout: float,
    max_bytes: int,
    deadline: float,
) -> None:
    """Download url into target via a temporary file; raise _MirrorError on any problem."""
    give_up_at = time.monotonic() + deadline

    def check_deadline(done):
        if time.monotonic() > give_up_at:
            raise _MirrorError(
                f"not complete within the {deadline:g} s deadline for the whole file "
                f"({done:,} bytes received); stopped"
            )

    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as err:
        raise DownloadError(f"cannot write to the folder {target.parent}: {err.strerror or err}.") from None
    moved = False
    try:
        digest = hashlib.md5(usedforsecurity=False)
        done, total = 0, None
        try:
            with os.fdopen(fd, "wb") as out:
                request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    length = response.headers.get("Content-Length")
                    total = int(length) if length and length.strip().isdigit() else None
                    if total is not None and total > max_bytes:
                        raise _MirrorError(f"file too large ({total:,} bytes; limit {max_bytes:,})")
                    check_deadline(done)  # the status line and headers may have trickled too
                    if progress is not None:
                        progress(0, total)
                    # read1 returns what has arrived (at most one socket read), so the deadline is
                    # checked as each piece lands; read() would wait for a full chunk first.
                    while chunk := response.read1(CHUNK_BYTES):
                        check_deadline(done)
                        done += len(chunk)
                        if done > max_bytes:
                            raise _MirrorError(f"more than {max_bytes:,} bytes; stopped")
                        out.write(chunk)
                        digest.update(chunk)
                        if progress is not None:
                            progress(done, total)
                out.flush()
                os.fsync(out.fileno())
        except _MirrorError:
            raise
        except http.client.IncompleteRead as err:
            raise _MirrorError(f"transfer interrupted after {done + len(err.partial):,} bytes") from None
        except (OSError, http.client.HTTPException, ValueError) as err:
            if isinstance(err, urllib.error.HTTPError):
                err.close()
            raise _MirrorError(_describe(err, timeout)) from None
        if total is not None and done != total:
            raise _MirrorError(f"transfer interrupted after {done:,} of {total:,} bytes")
        actual = digest.hexdigest()
        if actual != md5:
            raise _MirrorError(f"checksum mismatch (expected MD5 {md5}, got {actual}); file refused")
        try:
            os.chmod(temp_name, 0o644)  # mkstemp makes it private; other users (the app) must read it
            os.replace(temp_name, target)  # atomic: the file appears complete or not at all
        except OSError as err:
            raise DownloadError(f"cannot save {target}: {err.strerror or err}.") from None
        moved = True
    finally:
        if not moved:
            try:
                os.unlink(temp_name)
            except FileNotFoundError:
                pass


def download_file(
    filename: str,
    mirrors: Sequence[str],
    md5: str,
    dest_dir=None,
    progress: Progress | None = None,
    timeout: float = 30,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    deadline: float = DEFAULT_DEADLINE_SECONDS,
) -> Path:
    """Make sure dest_dir/filename exists with the given MD5, downloading it if needed.

    mirrors: base URLs tried in order (URL = base + "/" + filename). progress(bytes_done,
    bytes_total_or_None) is called as bytes arrive (never when the file is already cached).
    dest_dir defaults to default_cache_dir(). timeout: seconds one read may wait for bytes;
    deadline: seconds one mirror may take for the whole file, checked once the headers are in
    and as each piece of the body arrives (so a body that trickles is given up at the latest
    deadline + timeout after the start; headers sent a byte at a time are only checked once
    they end: urllib reads them whole). Returns the path of the
    verified file. Raises DownloadError listing every mirror tried and why it failed.
    """
    mirrors, md5 = _check_download_args(filename, mirrors, md5, timeout, deadline)
    dest = Path(dest_dir) if dest_dir is not None else default_cache_dir()
    target = dest / filename
    notes = []
    if target.is_file():
        if file_md5(target) == md5:
            return target  # already there and verified: no network at all
        notes.append(f"The existing {target} has the wrong checksum; it is kept until a good copy arrives.")
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(
            f"cannot create the folder {dest} for {filename}: {err.strerror or err}."
        ) from None

    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + filename
        if not mirror.startswith(("http://", "https://")):
            failures.append(f"{url}: not an http:// or https:// address")
            continue
        try:
            _fetch(url, target, md5, progress, timeout, max_bytes, deadline)
            return target
        except _MirrorError as why:
            failures.append(f"{url}: {why}")
    tried = "\n".join(f"  - {line}" for line in failures)
    raise DownloadError(
        f"Could not download {filename} (expected MD5 {md5}). Tried {len(failures)} mirror(s):\n"
        f"{tried}\n"
        + "".join(note + "\n" for note in notes)
        + f"To install it by hand, download {filename} from any mirror above and save it as {target} "
        "(it is checked against the MD5)."
    )


def download_dataset(
    name: str,
    cache_dir=None,
    progress=None,
    mirrors: Sequence[str] | None = None,
    timeout: float = 30,
    deadline: float = DEFAULT_DEADLINE_SECONDS,
) -> Path:
    """Download (or find cached) the four IDX files of "mnist" or "fashion-mnist".

    Files go to cache_dir/name (cache_dir defaults to default_cache_dir()). progress, if given,
    is called as progress(filename, bytes_done, bytes_total_or_None). timeout and deadline are
    download_file's, for each file. Returns that folder.
    """
    name = check_choice("name", name, tuple(SOURCES))
    source = SOURCES[name]
    folder = Path(cache_dir if cache_dir is not None else default_cache_dir()) / name
    for filename in IDX_FILES:

        def file_progress(done, total, filename=filename):
            progress(filename, done, total)

        download_file(
            filename,
            source.mirrors if mirrors is None else mirrors,
            source.md5[filename],
            folder,
            None if progress is None else file_progress,
            timeout,
            deadline=deadline,
        )
    return folder
