"""The moving parts of bench/web.py: gunicorn servers, wrk runs with a Lua script, a host signed
in, and the SQL statements of one plain request."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"

# wrk's Lua: each thread walks the list of paths from its own starting point, with the same
# headers each time; done() prints the figures as one JSON line.
LUA = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("start", #threads * 7919)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local path = paths[((start + counter) %% #paths) + 1]
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%.3f, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class Server:
    process: subprocess.Popen
    base: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(module: str, env: dict, log: Path) -> Server:
    """Start gunicorn (2 workers, bench/gunicorn_bench.py) on a free port; wait until it answers."""
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "--config", str(BENCH / "gunicorn_bench.py"), "--pythonpath",
         f"{REPO},{BENCH}", "--bind", f"127.0.0.1:{port}", module],
        cwd=REPO, env={**env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            raise RuntimeError(f"gunicorn {module} stopped:\n{tail}")
        try:
            get(server, "/")
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"gunicorn {module} did not answer within a minute; see {log}")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(server: Server, path: str, cookie: str = "", data: dict | None = None, wait: int = 30):
    """One plain request; return (status, headers, body text), redirects not followed."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    asked = urllib.request.Request(server.base + path, data=body)
    if cookie:
        asked.add_header("Cookie", cookie)
    try:
        with OPENER.open(asked, timeout=wait) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def session_cookie(headers, cookie: str) -> str:
    """The session cookie the answer set, else the one we had. The production cookie is marked
    Secure, so a client library would not send it back over plain http; we do it by hand."""
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("session="):
            return value.split(";", 1)[0]
    return cookie


def sign_in(server: Server, email: str, password: str) -> str:
    """Sign the host in through the form, once; return the Cookie header that keeps them in."""
    _, headers, page = get(server, "/host/sign-in")
    cookie = session_cookie(headers, "")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answers = {"csrf_token": token, "email": email, "password": password}
    status, headers, page = get(server, "/host/sign-in", cookie, answers)
    if status != 302:
        said = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)<', page)
        raise RuntimeError(f"The bench host could not sign in (HTTP {status}): {said}")
    return session_cookie(headers, cookie)


def first_ask_step(server: Server) -> str:
    """The first step of asking for help: the link the /ask page starts with."""
    _, _, page = get(server, "/ask")
    return re.search(r'href="(/ask/(?!check|sent)[a-z-]+)"', page).group(1)


def queries(server: Server, paths: list[str], cookie: str = "", pause: float = 0) -> int:
    """The SQL statements of a plain request (not under load), as the worker counted them: the
    most of three requests to each of the first eight paths, so that a search the workers have
    not kept yet counts in full. Each worker has served other pages before (its own caches of
    settings and skills are filled), so a worker's very first request is not what counts.
    `pause` seconds pass before each path: a worker reads the sessions' stamp at most once a
    second (finding.STAMP_SECONDS), and a search made for the first time reads it."""
    most = 0
    for path in paths[:8]:
        time.sleep(pause)
        for _ in range(3):
            status, headers, _ = get(server, path, cookie)
            if status != 200:  # a sign-in redirect would be counted as a fast page
                raise RuntimeError(f"{path} answered {status}")
            most = max(most, int(headers.get("X-Bench-Queries", -1)))
    return most


def settle(server: Server) -> None:
    """Wait until the requests wrk left queued when it stopped have been answered, so that they
    do not slow the next run: a request to each worker comes back only after them."""
    for _ in range(2):
        get(server, "/", wait=300)
    time.sleep(0.5)


def run_wrk(server: Server, paths: list[str], seconds: int, folder: Path, cookie: str = "") -> dict:
    """Drive the server at 50 connections for `seconds`; return rps, percentiles and errors."""
    script = folder / f"wrk_{time.monotonic_ns()}.lua"
    headers = f'["Cookie"] = {json.dumps(cookie)}' if cookie else ""
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "headers": headers})
    done = subprocess.run(
        ["wrk", "--threads", "2", "--connections", "50", "--duration", f"{seconds}s",
         "--timeout", "10s", "--script", str(script), server.base + paths[0]],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    settle(server)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "rps": round(figures["requests"] / figures["seconds"], 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
        "errors": errors,
    }
