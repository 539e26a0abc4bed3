"""Tests for core/data/download.py (and the download CLI) against a real HTTP server on 127.0.0.1."""

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

import core.data.__main__ as cli
from core.data import (
    DownloadError,
    default_cache_dir,
    download_dataset,
    download_file,
    load_mnist,
    write_idx,
)
from core.data import download as dl
from core.data.download import IDX_FILES, DownloadSource

REPO_ROOT = Path(__file__).resolve().parents[2]
BODY = np.random.default_rng(0).integers(0, 256, 300_000, dtype=np.uint8).tobytes()  # several chunks
BODY_MD5 = hashlib.md5(BODY).hexdigest()


class FileServer:
    """A tiny HTTP server: `routes` maps a URL path to (mode, body); anything else is 404.

    Modes: "ok", "truncated" (closes 1000 bytes short of its Content-Length), "slow" (never
    answers), "trickle" (headers at once, then one byte every TRICKLE_GAP seconds).
    """

    TRICKLE_GAP = 0.1

    def __init__(self):
        self.routes = {}
        self.requests = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # http.server's naming: do_<METHOD>
                server.requests.append(self.path)
                mode, body = server.routes.get(self.path, ("missing", b""))
                if mode == "missing":
                    self.send_error(404, "Not Found")
                    return
                if mode == "slow":
                    server.release.wait(10)
                    return
                if mode == "trickle":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for i in range(len(body)):  # fast enough for every per-read timeout
                        if server.release.wait(server.TRICKLE_GAP):
                            return
                        try:
                            self.wfile.write(body[i : i + 1])
                        except OSError:  # the client gave up: what the test expects
                            return
                    return
                self.send_response(200)
                claimed = len(body) + (1000 if mode == "truncated" else 0)
                self.send_header("Content-Length", str(claimed))
                self.end_headers()
                self.wfile.write(body)  # "truncated": the connection closes 1000 bytes short

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, prefix):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{prefix}/"

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = FileServer()
    yield srv
    srv.close()


@pytest.fixture
def closed_port_url():
    with socket.socket() as s:  # bind, read the port, close: nothing listens there any more
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


def files_in(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


# ---------------------------------------------------------------- download_file


def test_success_with_monotonic_progress_ending_at_the_total(server, tmp_path):
    server.routes["/a/data.bin"] = ("ok", BODY)
    calls = []
    path = download_file(
        "data.bin",
        [server.url("a")],
        BODY_MD5,
        tmp_path / "cache",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert path == tmp_path / "cache" / "data.bin" and path.read_bytes() == BODY
    assert files_in(tmp_path / "cache") == ["data.bin"]  # no temporary file left behind
    assert calls[0] == (0, len(BODY)) and calls[-1] == (len(BODY), len(BODY))
    assert len(calls) >= 4  # 300 kB in 64 kB chunks
    done = [d for d, _ in calls]
    assert done == sorted(done) and {t for _, t in calls} == {len(BODY)}


def test_first_mirror_404_then_second_mirror_succeeds(server, tmp_path):
    server.routes["/good/data.bin"] = ("ok", BODY)
    path = download_file("data.bin", [server.url("bad"), server.url("good")], BODY_MD5, tmp_path)
    assert path.read_bytes() == BODY
    assert server.requests == ["/bad/data.bin", "/good/data.bin"]


def test_checksum_mismatch_is_refused_and_leaves_nothing(server, tmp_path):
    server.routes["/a/data.bin"] = ("ok", BODY[:-1] + b"X")
    expected = rf"data.bin: checksum mismatch \(expected MD5 {BODY_MD5}, got [0-9a-f]{{32}}\)"
    with pytest.raises(DownloadError, match=expected):
        download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path / "cache")
    assert files_in(tmp_path / "cache") == []  # neither the file nor a temporary file


def test_truncated_transfer_is_refused_and_leaves_nothing(server, tmp_path):
    server.routes["/a/data.bin"] = ("truncated", BODY)
    with pytest.raises(DownloadError, match=r"transfer interrupted after 300,000 of 301,000 bytes"):
        download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path)
    assert files_in(tmp_path) == []


def test_server_down_gives_one_clear_message_naming_every_mirror(closed_port_url, tmp_path):
    second = closed_port_url.replace("/mnist/", "/other/")
    with pytest.raises(DownloadError) as info:
        download_file("data.bin", [closed_port_url, second], BODY_MD5, tmp_path / "c")
    message = str(info.value)
    assert message.startswith(f"Could not download data.bin (expected MD5 {BODY_MD5}). Tried 2 mirror(s):")
    assert f"  - {closed_port_url}data.bin: connection refused" in message
    assert f"  - {second}data.bin: connection refused" in message
    assert f"save it as {tmp_path / 'c' / 'data.bin'}" in message
    assert files_in(tmp_path / "c") == []


def test_timeout_is_reported(server, tmp_path):
    server.routes["/a/data.bin"] = ("slow", BODY)
    with pytest.raises(DownloadError, match=r"data.bin: no answer within 0.3 s \(timed out\)"):
        download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path, timeout=0.3)
    assert files_in(tmp_path) == []


def test_a_trickling_server_is_stopped_by_the_deadline_and_leaves_nothing(server, tmp_path):
    # One byte every 0.1 s never trips the 2 s per-read timeout: only the deadline stops it.
    server.routes["/a/data.bin"] = ("trickle", BODY)
    calls = []
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        download_file(
            "data.bin",
            [server.url("a")],
            BODY_MD5,
            tmp_path / "cache",
            progress=lambda done, total: calls.append(done),
            timeout=2,
            deadline=1,
        )
    elapsed = time.monotonic() - started
    message = str(info.value)
    assert "data.bin: not complete within the 1 s deadline for the whole file (" in message
    received = int(message.split("deadline for the whole file (")[1].split(" bytes")[0].replace(",", ""))
    assert 3 <= received <= 15 and calls[-1] == received  # ~10 bytes in 1 s, every one reported
    assert 1.0 <= elapsed < 2.5  # the deadline, plus at most one gap, not the file's 8 hours
    assert files_in(tmp_path / "cache") == []  # neither the file nor a temporary file


def test_the_deadline_is_per_mirror_so_the_next_mirror_still_gets_its_chance(server, tmp_path):
    server.routes["/slow/data.bin"] = ("trickle", BODY)
    server.routes["/good/data.bin"] = ("ok", BODY)
    path = download_file(
        "data.bin", [server.url("slow"), server.url("good")], BODY_MD5, tmp_path, deadline=0.5
    )
    assert path.read_bytes() == BODY and files_in(tmp_path) == ["data.bin"]
    assert server.requests == ["/slow/data.bin", "/good/data.bin"]


def test_download_dataset_passes_the_deadline_to_every_file(server, tmp_path):
    server.routes["/t/train-images-idx3-ubyte.gz"] = ("trickle", BODY)
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"train-images-idx3-ubyte.gz: not complete within the 0.5 s"):
        download_dataset("mnist", tmp_path, mirrors=[server.url("t")], timeout=2, deadline=0.5)
    assert time.monotonic() - started < 2
    assert files_in(tmp_path / "mnist") == []


def test_a_fast_download_is_untouched_by_a_short_deadline(server, tmp_path):
    server.routes["/a/data.bin"] = ("ok", BODY)
    path = download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path, deadline=5)
    assert path.read_bytes() == BODY


def test_already_cached_file_needs_no_network(server, closed_port_url, tmp_path):
    (tmp_path / "data.bin").write_bytes(BODY)
    calls = []
    path = download_file(
        "data.bin", [closed_port_url], BODY_MD5, tmp_path, progress=lambda *a: calls.append(a)
    )
    assert path.read_bytes() == BODY and calls == []
    download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path)
    assert server.requests == []


def test_corrupt_cached_file_is_replaced_only_by_a_verified_copy(server, closed_port_url, tmp_path):
    (tmp_path / "data.bin").write_bytes(b"old and wrong")
    with pytest.raises(DownloadError, match=r"existing .*data.bin has the wrong checksum; it is kept"):
        download_file("data.bin", [closed_port_url], BODY_MD5, tmp_path)
    assert (tmp_path / "data.bin").read_bytes() == b"old and wrong"
    server.routes["/a/data.bin"] = ("ok", BODY)
    download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path)
    assert (tmp_path / "data.bin").read_bytes() == BODY and files_in(tmp_path) == ["data.bin"]


def test_size_limit_and_non_http_mirrors(server, tmp_path):
    server.routes["/a/data.bin"] = ("ok", BODY)
    with pytest.raises(DownloadError, match=r"file too large \(300,000 bytes; limit 1,000\)"):
        download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path, max_bytes=1000)
    with pytest.raises(DownloadError, match=r"file:///etc/data.bin: not an http:// or https:// address"):
        download_file("data.bin", ["file:///etc/"], BODY_MD5, tmp_path)
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filename": "../x"}, r"filename must be a plain file name without folders; got '../x'"),
        ({"mirrors": []}, r"mirrors must be a non-empty list of base URLs; got \(\)"),
        ({"md5": "abc"}, r"md5 must be 32 hexadecimal digits; got 'abc'"),
        ({"timeout": 0}, r"timeout must be a number of seconds > 0; got 0"),
        ({"deadline": -1}, r"deadline must be a number of seconds > 0; got -1"),
        ({"deadline": True}, r"deadline must be a number of seconds > 0; got True"),
    ],
)
def test_bad_arguments_are_refused(tmp_path, kwargs, message):
    args = {"filename": "data.bin", "mirrors": ["http://127.0.0.1:1/"], "md5": BODY_MD5, "dest_dir": tmp_path}
    with pytest.raises(ValueError, match=message):
        download_file(**{**args, **kwargs})


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("NEURAL_PLAYGROUND_DATA", str(tmp_path / "np"))
    assert default_cache_dir() == tmp_path / "np"
    monkeypatch.delenv("NEURAL_PLAYGROUND_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "neural-playground"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "neural-playground"


def test_built_in_sources_are_the_published_mirrors_and_checksums():
    assert dl.SOURCES["mnist"].mirrors == (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    )
    assert (
        dl.SOURCES["fashion-mnist"].mirrors[0]
        == "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
    )
    assert dl.SOURCES["mnist"].md5["train-images-idx3-ubyte.gz"] == "f68b3c2dcbeaaa9fbdd348bbdeb94873"
    assert dl.SOURCES["fashion-mnist"].md5["t10k-labels-idx1-ubyte.gz"] == "bb300cfdad3c16e7a12a480ee83cd310"
    for source in dl.SOURCES.values():
        assert set(source.md5) == set(IDX_FILES)


# ---------------------------------------------------------------- whole data sets: load_mnist and the CLI


@pytest.fixture
def fake_mnist(server, tmp_path, monkeypatch):
    """Serve four small generated IDX files as "mnist", with their MD5s patched into SOURCES."""
    rng = np.random.default_rng(1)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (40, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": np.arange(40, dtype=np.uint8) % 10,
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": np.arange(20, dtype=np.uint8) % 10,
    }
    md5 = {}
    (tmp_path / "served").mkdir()
    for filename, array in arrays.items():
        body = write_idx(tmp_path / "served" / filename, array).read_bytes()
        server.routes[f"/m/{filename}"] = ("ok", body)
        md5[filename] = hashlib.md5(body).hexdigest()
    source = DownloadSource((server.url("m"),), md5)
    monkeypatch.setattr(dl, "SOURCES", {**dl.SOURCES, "mnist": source})
    monkeypatch.setattr(cli, "SOURCES", {**cli.SOURCES, "mnist": source})
    return arrays


def test_load_mnist_downloads_into_the_cache_then_reads_it_offline(fake_mnist, server, tmp_path):
    seen = []
    ds = load_mnist("mnist", cache_dir=tmp_path / "cache", progress=lambda f, d, t: seen.append(f))
    assert sorted(set(seen)) == sorted(IDX_FILES)
    assert files_in(tmp_path / "cache" / "mnist") == sorted(IDX_FILES)
    np.testing.assert_array_equal(ds.X_train, fake_mnist["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(ds.y_test, fake_mnist["t10k-labels-idx1-ubyte.gz"])
    n_requests = len(server.requests)
    again = load_mnist("mnist", cache_dir=tmp_path / "cache")  # cached: verified, no network
    assert len(server.requests) == n_requests
    np.testing.assert_array_equal(again.X_test, ds.X_test)


def test_cli_downloads_with_a_text_progress_bar(fake_mnist, tmp_path, capsys):
    assert cli.main(["download", "mnist", "--dest", str(tmp_path / "d")]) == 0
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz  [" in err and "100%" in err and err.endswith("done.\n")
    assert files_in(tmp_path / "d" / "mnist") == sorted(IDX_FILES)
    assert cli.main(["download", "mnist", "--dest", str(tmp_path / "d")]) == 0  # second run: cached
    assert "already present, checksum OK" in capsys.readouterr().err


def test_cli_failure_exits_1_with_the_message_and_no_traceback(closed_port_url, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "core.data",
            "download",
            "mnist",
            "--dest",
            str(tmp_path),
            "--mirror",
            closed_port_url,
            "--timeout",
            "5",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: Could not download train-images-idx3-ubyte.gz" in result.stderr
    assert f"{closed_port_url}train-images-idx3-ubyte.gz: connection refused" in result.stderr
    assert files_in(tmp_path / "mnist") == []


def test_cli_rejects_unknown_data_sets(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["download", "cifar"])
    assert info.value.code == 2 and "invalid choice: 'cifar'" in capsys.readouterr().err


def test_downloaded_file_is_readable_by_other_users(server, tmp_path):
    # the Docker build downloads as one user, the app may run as another
    server.routes["/a/data.bin"] = ("ok", BODY)
    path = download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path)
    assert path.stat().st_mode & 0o777 == 0o644


def test_an_interrupted_download_leaves_no_temporary_file(server, tmp_path):
    server.routes["/a/data.bin"] = ("ok", BODY)

    def cancel(done, total):
        if done > 0:
            raise KeyboardInterrupt  # e.g. the user pressed Ctrl+C mid-transfer

    with pytest.raises(KeyboardInterrupt):
        download_file("data.bin", [server.url("a")], BODY_MD5, tmp_path, progress=cancel)
    assert files_in(tmp_path) == []
