"""Page benchmark: p50/p95/p99 latency and throughput of the annotator dashboard and a 20-video project
page under concurrent load, served by gunicorn on PostgreSQL. Target: p95 under 150 ms at 20 clients.

    .venv/bin/python bench/pages.py --videos 2000 --projects 40 --annotators 5 --clients 20 \
        --requests 1000 --workers 3 --database-url postgres://postgres@127.0.0.1:5432/labelpizza_bench_pages

The database named by --database-url is dropped and recreated, migrated and synced from a generated
workspace (bench/sync.py). `collectstatic` fills ./staticfiles, which gunicorn needs with DEBUG=false.
Every client logs in as a0@example.org (Annotator 0, who has answered half of every project) with its
own session and 20 videos per page. The load generator (standard-library threads, same machine) runs a
closed loop: each client sends its next request when the previous one is answered (after a random
pause averaging --think-ms; 0 by default).

Three loads, one after the other: the dashboard, the project page, and annotating (client i logs in as
Annotator i % 5 on project i % 40, loads its 20-video page, then submits --submits groups of it through
htmx with random answers, and again). Reads
of an unchanged database come from the page cache (labelpizza/page_cache.py); annotating writes all the
time, so its page loads mostly render. Column `hit %` is the share of page loads the cache answered;
`--page-cache off` renders every page. Columns `srv cpu` / `cli cpu` are CPU ms per request of the
gunicorn workers (Linux /proc) / of this script, so queueing can be told apart from slow pages.
Exits 1 if any request failed or was wrong.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EMAIL, PASSWORD = "a0@example.org", "pass-0"
PER_PAGE = 20
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One browser: its own cookies, a fresh connection per request (gunicorn's sync workers close them)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.home = "/annotate/"  # the project page this client works on (set by log_in)
        self.cookies: dict[str, str] = {}
        self.cache = ""  # X-Page-Cache of the last answer: "hit", "miss" or ""
        self.last_body = ""

    def request(self, method: str, path: str, form: dict | None = None, htmx: bool = False) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            self.cache = response.getheader("X-Page-Cache", "")
            self.last_body = text
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), text

    def post_form(self, path: str, form: dict, *, page: str) -> str:
        """POST a CSRF-protected form, taking the token from `page`; returns the redirect target."""
        status, _, html = self.request("GET", page)
        token = CSRF_FIELD.search(html)
        if status != 200 or not token:
            raise RuntimeError(f"GET {page}: status {status}, no CSRF token")
        status, location, _ = self.request("POST", path, {"csrfmiddlewaretoken": token[1], **form})
        if status != 302:
            raise RuntimeError(f"POST {path}: expected a redirect, got {status}")
        return location

    def log_in(self, project_id: int | None = None, *, email: str = EMAIL, password: str = PASSWORD) -> None:
        location = self.post_form("/login/", {"username": email, "password": password}, page="/login/")
        if "sessionid" not in self.cookies or "/login/" in location:
            raise RuntimeError(f"login failed as {email}")
        self.home = f"/annotate/{project_id}/" if project_id is not None else "/annotate/"
        if project_id is not None:
            layout = {"per_row": "1", "per_page": str(PER_PAGE), "autoplay": "on", "loop": "on"}
            self.post_form(f"/annotate/{project_id}/layout/", layout, page=f"/annotate/{project_id}/")


def prepare_database(url: str, env: dict, *, videos: int, projects: int, annotators: int) -> None:
    from bench.sync import fresh_database, generate

    fresh_database(url)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "workspace"
        generate(folder, videos=videos, projects=projects, annotators=annotators)
        for path in (folder / "annotations").glob("*.json"):  # Annotator 0 has answered every other video
            records = json.loads(path.read_text())
            keep = [r for r in records if r["user_name"] != "Annotator 0" or int(r["video_uid"][1:7]) % 2 == 0]
            path.write_text(json.dumps(keep))
        t = time.monotonic()
        subprocess.run([*manage, "sync_folder", "--folder-path", str(folder)], env=env, check=True, capture_output=True)
    print(f"synced {videos} videos, {projects} projects, {annotators} annotators in {time.monotonic() - t:.1f} s")
    # Fresh planner statistics, as autovacuum would have them on a live server (timing would vary otherwise).
    subprocess.run(["psql", url, "-q", "-c", "ANALYZE"], check=True, stdin=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True)


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-Atc", sql], check=True, capture_output=True, text=True).stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "labelpizza.wsgi", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers), "--error-logfile", str(log)]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            if Client(port).request("GET", "/login/")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 30 s; see {log}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # graceful: workers finish their request, then exit
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by gunicorn's workers (Linux /proc: utime + stime of the master's children)."""
    total = 0
    for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# One measured request: (method, ms, problem or None, X-Page-Cache answer).
Sample = tuple[str, float, "str | None", str]
FORM = re.compile(r'<form method="post" action="(/annotate/\d+/videos/\d+/groups/\d+/)"(.*?)</form>', re.S)
RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]*)"')
TEXTAREA = re.compile(r'<textarea name="([^"]+)"')


def timed(client: Client, method: str, path: str, check, form=None, htmx=False) -> Sample:
    t = time.perf_counter()
    try:
        status, _, body = client.request(method, path, form, htmx=htmx)
    except OSError as exc:
        status, body = 0, repr(exc)
    elapsed = (time.perf_counter() - t) * 1000
    return method, elapsed, (f"status {status}" if status != 200 else check(body)), client.cache


def page_step(path: str, check):
    """A step that loads one page."""
    return lambda client: timed(client, "GET", path, check)


def annotating_step(check, submits: int):
    """Load the client's project page, then submit `submits` random groups of it (htmx, random answers); repeat."""
    queues: dict[int, list] = {}

    def step(client: Client) -> Sample:
        queue = queues.setdefault(id(client), [])
        if not queue:
            sample = timed(client, "GET", client.home, check)
            forms = FORM.findall(client.last_body)
            token = CSRF_FIELD.search(client.last_body)
            for action, inner in random.sample(forms, min(submits, len(forms))) if token else []:
                data = {"csrfmiddlewaretoken": token[1]}
                options: dict[str, list[str]] = {}
                for name, value in RADIO.findall(inner):
                    options.setdefault(name, []).append(value)
                data |= {name: random.choice(values) for name, values in options.items()}
                data |= {name: f"bench answer {random.randrange(1000)}" for name in TEXTAREA.findall(inner)}
                queue.append((action, data))
            return sample
        action, data = queue.pop()
        return timed(client, "POST", action, lambda body: None, form=data, htmx=True)

    return step


def load(clients: list[Client], step, total: int, think: float) -> tuple[list[Sample], float]:
    """Closed loop: each client runs its next step a think time (mean `think` s) after the last answer."""
    counter, lock = itertools.count(), threading.Lock()
    samples: list[Sample] = []
    done = threading.Event()  # set on Ctrl-C or an error, so the other clients stop too

    def run(client: Client) -> None:
        while not done.is_set():
            with lock:
                if next(counter) >= total:
                    return
            sample = step(client)
            with lock:
                samples.append(sample)
            done.wait(random.expovariate(1 / think) if think else 0)  # random, so clients do not move in step

    start = time.perf_counter()
    pool = ThreadPoolExecutor(len(clients))
    try:
        list(pool.map(run, clients))
    finally:
        done.set()
        pool.shutdown()
    return samples, time.perf_counter() - start


COLUMNS = ("load", "requests", "conc", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s", "hit %", "srv cpu", "cli cpu")
WIDTHS = (30, 9, 6, 8, 8, 8, 8, 8, 7, 9, 9)


def table_row(values) -> str:
    first, *rest = values
    cells = (f"{v:>{w}.1f}" if isinstance(v, float) else f"{v:>{w}}" for v, w in zip(rest, WIDTHS[1:], strict=True))
    return f"{first:<{WIDTHS[0]}}" + "".join(cells)


def percentile(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=40)
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients, each with its own session")
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured requests per page first")
    parser.add_argument(
        "--think-ms", type=float, default=0, help="mean pause (exponential) of a client between requests"
    )
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="gunicorn's CONN_MAX_AGE (0: a connection a request)"
    )
    parser.add_argument("--page-cache", choices=("on", "off"), default="on", help="PAGE_CACHE of the server")
    parser.add_argument("--submits", type=int, default=5, help="annotating: groups submitted per page load")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/labelpizza_bench_pages")
    args = parser.parse_args()
    if args.videos // args.projects < PER_PAGE:
        parser.error(f"each project needs at least {PER_PAGE} videos (--videos / --projects)")

    env = os.environ | {
        "DATABASE_URL": args.database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "PAGE_CACHE": "true" if args.page_cache == "on" else "false",
    }
    prepare_database(args.database_url, env, videos=args.videos, projects=args.projects, annotators=args.annotators)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops gunicorn on kill, too
    think, busy = args.think_ms / 1000, os.getloadavg()[0]
    port, log = free_port(), Path(tempfile.gettempdir()) / "labelpizza_bench_pages_gunicorn.log"
    env["CONN_MAX_AGE"] = str(args.conn_max_age)
    server = start_gunicorn(env, port, args.workers, log)
    failed = 0
    try:
        probe = Client(port)
        probe.log_in()
        project_id = int(re.search(r'href="/annotate/(\d+)/"', probe.request("GET", "/annotate/")[2])[1])
        clients = [Client(port) for _ in range(args.clients)]
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(lambda c: c.log_in(project_id), clients))
        # Annotating: client i is Annotator i % annotators on project i % projects, each with its own session,
        # as a team spread over a batch of projects (the page loads above are all Annotator 0 on one page).
        project_ids = [int(v) for v in psql(args.database_url, "SELECT id FROM catalog_project ORDER BY id").split()]
        annotators = [Client(port) for _ in range(args.clients)]
        with ThreadPoolExecutor(args.clients) as pool:
            list(
                pool.map(
                    lambda i: annotators[i].log_in(
                        project_ids[i % len(project_ids)],
                        email=f"a{i % args.annotators}@example.org",
                        password=f"pass-{i % args.annotators}",
                    ),
                    range(args.clients),
                )
            )

        def cards(body: str) -> str | None:
            n = body.count('class="video-card"')
            return None if n == PER_PAGE else f"{n} video cards, expected {PER_PAGE}"

        def has_projects(body: str) -> str | None:
            return None if f'href="/annotate/{project_id}/"' in body else "no project card"

        pages = [
            ("dashboard", page_step("/annotate/", has_projects)),
            ("project page", page_step(f"/annotate/{project_id}/", cards)),
            ("annotating", annotating_step(cards, args.submits)),
        ]
        rows = []
        for name, step in pages:
            who = annotators if name == "annotating" else clients
            warmup = load(who, step, args.warmup, think)[0]
            cpu = server_cpu(server), time.process_time()
            samples, wall = load(who, step, args.requests, think)
            cpu = server_cpu(server) - cpu[0], time.process_time() - cpu[1]
            failures = [f"{kind} {problem}" for kind, _, problem, _ in warmup + samples if problem]
            failed += len(failures)
            for problem in sorted(set(failures)):
                print(f"FAILED {name}: {failures.count(problem)} x {problem}")
            n = len(samples)
            cpu_ms = [c * 1000 / n for c in cpu]
            for kind in ("GET", "POST"):
                ms = sorted(elapsed for k, elapsed, _, _ in samples if k == kind)
                if not ms:
                    continue
                gets = [cache for k, _, _, cache in samples if k == kind]
                hits = f"{100 * gets.count('hit') / len(gets):.0f}" if kind == "GET" else "-"
                stats = statistics.median(ms), percentile(ms, 95), percentile(ms, 99), ms[-1], len(ms) / wall
                label = f"{name}: {'page loads' if kind == 'GET' else 'submits'}" if name == "annotating" else name
                rows.append(table_row((label, len(ms), args.clients, *stats, hits, *cpu_ms)))
    finally:
        stop_gunicorn(server)
    print("\n".join(["", table_row(COLUMNS), *rows]))
    print("hit %: page loads answered by the page cache; srv cpu / cli cpu: CPU ms per request (all kinds of the")
    print("load) used by the gunicorn workers / by this load generator")
    print(
        f"gunicorn: {args.workers} sync workers, CONN_MAX_AGE {args.conn_max_age}, page cache {args.page_cache}; "
        f"database "
        f"{args.database_url.split('@')[-1]}; mean think time {args.think_ms:g} ms\n"
        f"machine: {os.cpu_count()} CPUs shared with the load generator; load average {busy:.1f} before the run"
    )
    if failed:
        print(f"{failed} request(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted")
