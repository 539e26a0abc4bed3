"""Start the app for a load test, watch its memory and CPU through /proc, stop it.

`docker/entrypoint.sh` with WORKERS=N (N Streamlit processes behind nginx on PORT, sticky
sessions by cookie; WORKERS=1 is a plain `streamlit run`), or `streamlit run app.py` when the
entrypoint is missing. Everything listens on 127.0.0.1 ports picked free here; the server runs
in its own process group, which `stop` ends (only that group: the processes started here).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port_block(count: int, start: int = 20000, end: int = 60000) -> int:
    """First port p such that p..p+count-1 are all free on 127.0.0.1 (checked by binding)."""
    import random

    for _ in range(200):
        base = random.randrange(start, end - count)
        socks = []
        try:
            for i in range(count):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", base + i))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free block of ports")


# ----------------------------------------------------------------------------- /proc
def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def descendants(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def proc_info(pid: int) -> tuple[str, int, float] | None:
    """(command line, RSS bytes, CPU seconds user+system) of a live process, else None."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().decode(errors="replace").rsplit(")", 1)[1].split()
        rss = int(fields[21]) * PAGE_SIZE  # field 24 of stat, counted after "pid (comm)"
        cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime
        return cmd, rss, cpu
    except (OSError, IndexError, ValueError):
        return None


def established_connections(ports: list[int]) -> dict[int, int]:
    """ESTABLISHED TCP connections whose local port is one of `ports` (the server side of the
    websockets: with nginx in front, one per student on the worker that holds the session)."""
    counts = {p: 0 for p in ports}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if len(parts) < 4 or parts[3] != "01":  # 01 = ESTABLISHED
                        continue
                    port = int(parts[1].rsplit(":", 1)[1], 16)
                    if port in counts:
                        counts[port] += 1
        except OSError:
            continue
    return counts


def classify(cmd: str) -> str:
    if "streamlit" in cmd and " run " in f" {cmd} ":
        return "streamlit"
    if cmd.startswith("nginx") or "/nginx" in cmd.split(" ")[0]:
        return "nginx"
    return "other"


@dataclass
class Sample:
    t: float
    rss: dict  # kind -> bytes
    cpu: dict  # pid -> (kind, cpu seconds)


@dataclass
class ResourceMonitor:
    """Samples the server's process tree every `period` seconds in a thread."""

    root_pid: int
    period: float = 0.5
    samples: list = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> Sample:
        rss: dict[str, int] = {}
        cpu: dict[int, tuple[str, float]] = {}
        for pid in descendants(self.root_pid):
            info = proc_info(pid)
            if info is None:
                continue
            cmd, r, c = info
            kind = classify(cmd)
            rss[kind] = rss.get(kind, 0) + r
            cpu[pid] = (kind, c)
        s = Sample(time.monotonic(), rss, cpu)
        self.samples.append(s)
        return s

    def start(self) -> None:
        def loop():
            while not self._stop.wait(self.period):
                self.sample()

        self.sample()
        self._thread = threading.Thread(target=loop, daemon=True, name="rss-sampler")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def window(self, t0: float, t1: float) -> dict:
        """RSS at the start of the window and its peak over the run; CPU used per process
        in the window (cores = CPU seconds / wall seconds)."""
        inside = [s for s in self.samples if t0 <= s.t <= t1] or self.samples[-1:]
        before = [s for s in self.samples if s.t <= t0] or self.samples[:1]
        first, last = before[-1], inside[-1]
        peak = max(self.samples, key=lambda s: s.rss.get("streamlit", 0))
        wall = max(1e-6, last.t - first.t)
        per_proc = []
        for pid, (kind, c1) in last.cpu.items():
            c0 = first.cpu.get(pid, (kind, 0.0))[1]
            per_proc.append((kind, pid, (c1 - c0) / wall))
        streamlit_cores = [round(x, 2) for k, _, x in sorted(per_proc) if k == "streamlit"]
        return {
            "rss_start_mb": round(first.rss.get("streamlit", 0) / 2**20, 1),
            "rss_peak_mb": round(peak.rss.get("streamlit", 0) / 2**20, 1),
            "rss_end_mb": round(last.rss.get("streamlit", 0) / 2**20, 1),
            "nginx_rss_mb": round(last.rss.get("nginx", 0) / 2**20, 1),
            "cpu_cores_streamlit": round(sum(streamlit_cores), 2),
            "cpu_cores_per_worker": streamlit_cores,
            "cpu_cores_nginx": round(sum(x for k, _, x in per_proc if k == "nginx"), 2),
        }


def machine_busy_seconds() -> float:
    """CPU seconds all cores of the machine spent busy since boot (from /proc/stat)."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values[:8]) - idle) / CLK_TCK


def tree_cpu_seconds(pid: int, exclude: set[int] = frozenset()) -> float:
    """CPU seconds used so far by `pid` and its live descendants, less those in `exclude`."""
    total = 0.0
    for p in descendants(pid):
        if p in exclude:
            continue
        info = proc_info(p)
        if info is not None:
            total += info[2]
    return total


# ----------------------------------------------------------------------------- server
def production_env() -> dict[str, str]:
    """The image's STREAMLIT_* settings (Dockerfile ENV), so the benchmark runs the app as it is
    deployed. Above all no file watcher: in a tree that is being edited, the watcher drops
    changed modules from sys.modules while other sessions import them (KeyError: 'core')."""
    env = {"STREAMLIT_SERVER_HEADLESS": "true", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    try:
        text = (REPO / "Dockerfile").read_text()
    except OSError:
        text = ""
    for key, value in re.findall(r"\b(STREAMLIT_[A-Z0-9_]+)=(\"[^\"]*\"|[^\s\\]+)", text):
        env[key] = value.strip('"')
    env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    return env


class AppServer:
    """The app on 127.0.0.1:port with `workers` Streamlit processes."""

    def __init__(
        self,
        workers: int,
        app_dir: Path = REPO,
        log_path: Path | None = None,
        use_entrypoint: bool | None = None,
        extra_env: dict[str, str] | None = None,
    ):
        self.workers = workers
        self.extra_env = dict(extra_env or {})  # applied last: over the image's settings
        self.app_dir = Path(app_dir)
        self.log_path = log_path
        if use_entrypoint is None:
            use_entrypoint = ENTRYPOINT.exists()
        self.use_entrypoint = use_entrypoint
        self.port = 0
        self.worker_ports: list[int] = []
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> None:
        if self.workers > 1 and not self.use_entrypoint:
            raise RuntimeError(f"{self.workers} workers need {ENTRYPOINT}")
        if self.workers > 1 and shutil.which("nginx") is None:
            raise RuntimeError("2+ workers need nginx on PATH")
        block = free_port_block(self.workers + 1)
        self.port = block
        self.worker_ports = [block + 1 + i for i in range(self.workers)] if self.workers > 1 else [block]
        env = dict(os.environ)
        env.update(production_env())
        env.update(self.extra_env)
        if self.use_entrypoint:
            env.update(
                {
                    "WORKERS": str(self.workers),
                    "PORT": str(self.port),
                    "WORKER_BASE_PORT": str(block + 1),
                    "APP_DIR": str(self.app_dir),
                    "NGINX_ACCESS_LOG": "off",
                }
            )
            cmd = ["bash", str(ENTRYPOINT)]
        else:
            cmd = [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
            ]
        self._log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
        # Own process group: stop() signals exactly the processes started here.
        self.proc = subprocess.Popen(
            cmd, cwd=self.app_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        ports = [self.port] + (self.worker_ports if self.workers > 1 else [])
        for port in ports:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"server exited early with code {self.proc.returncode} (log: {self.log_path})"
                    )
                if time.monotonic() > deadline:
                    self.stop()
                    raise TimeoutError(f"server not healthy on port {port} in {timeout:.0f} s")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                time.sleep(0.3)

    def streamlit_pids(self) -> list[int]:
        if self.proc is None:
            return []
        return [
            p
            for p in descendants(self.proc.pid)
            if (info := proc_info(p)) and classify(info[0]) == "streamlit"
        ]

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        # Anything of ours still in the group (a worker that outlived the entrypoint).
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
        self.proc = None
