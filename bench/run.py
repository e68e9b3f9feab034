"""Measure pages against a bare-Flask baseline served the same way, in one run.

    .venv/bin/python bench/run.py [--seconds 10] [--rounds 5] [--warmup 2] [--connections 16] [--workers 4]
                                  [--redis-url redis://127.0.0.1:6379/14]

Both apps run under gunicorn with identical settings on 127.0.0.1 (the app with
bench/floor_app.py's two extra routes: the floors under any page with a form and any
logged-in fragment); wrk
(Debian package) drives each URL with the Accept-Encoding header browsers send, after an
unmeasured warm-up. Each page and the baseline take turns in short slices; each slice
is a ratio to the baseline's requests/second measured just before it, and the median
is printed, so the numbers compare across machines and a machine whose speed swings
during the run skews no ratio. Then the anonymous role page of the 1,000-comment thread
for visitors and a member in turns while another member posts a comment to it every 0.2 s
through the page's form without JavaScript, against bare Flask and the same page quiet,
slice by slice. Also prints gzip sizes and SQL queries per page.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from statistics import median
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_PASSWORD = "bench-password"
# What every browser sends; the baseline's few bytes are too small to compress anyway.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app_spec: str, env: dict, workers: int, config: Path = ROOT / "bench/gunicorn.conf.py"):
    port = free_port()
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "--config", str(config),
        # The shipped gunicorn.conf.py starts the app in production, which the bench's
        # SQLite database and unlimited posts are not: its other settings are what is measured.
        "--env", "TRACKER_ENV=development",
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--no-control-socket", "--log-level", "warning", app_spec,
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start for {app_spec}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def wrk(url: str, seconds: int, connections: int, headers: dict | None = None, post_body: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    if post_body is not None:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = {post_body!r}\n".replace("'", '"')
            + 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        )
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": rps,
        "p50": _millis(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99": _millis(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def _millis(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def log_in(base: str, email: str) -> tuple[str, str]:
    """Log in over HTTP like a browser; return the Cookie header value and a CSRF token."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urlencode({"csrf_token": token, "email": email, "password": BENCH_PASSWORD}).encode()
    page = opener.open(base + "/auth/login", data=form).read().decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    return "; ".join(f"{c.name}={c.value}" for c in jar), token


def etag_answered_304(url: str, headers: dict) -> str:
    """The ETag `url` is sent with, once checked that naming it is answered 304 (else wrk
    would measure the whole page)."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        etag = response.headers["ETag"]
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers={**headers, "If-None-Match": etag})).close()
    except urllib.error.HTTPError as answer:  # urllib raises on any answer but a 2xx
        if answer.code == 304:
            return etag
    raise RuntimeError(f"{url} is not answered 304 when its ETag {etag} is named")


POST_EVERY = 0.2  # seconds between new comments on the busy thread
POSTER = "reader2@example.com"  # bench/fixtures.py: one of the thread's authors


def busy_thread(target, bare: str, base: str, member_cookie: str, args, slice_seconds: int) -> dict:
    """For visitors and for a member in turns: slices of the baseline, the page quiet, and
    the page while another member posts a new comment to its thread every POST_EVERY
    seconds through the page's own form, without JavaScript, following the redirect as a
    browser does. Returns each reader's rounds and how many comments were posted."""
    poster_cookie, poster_token = log_in(base, POSTER)
    posted = []
    stop = threading.Event()

    def post_comments():
        number = 0
        while not stop.wait(POST_EVERY):
            number += 1
            body = urlencode({"csrf_token": poster_token, "body": f"Busy thread question number {number}?"}).encode()
            request = urllib.request.Request(base + target.path + "/comments", data=body, headers={"Cookie": poster_cookie})
            with urllib.request.urlopen(request, timeout=10) as response:  # the 303 is followed to the page
                posted.append(response.status)

    readers = {"visitor": BROWSER_HEADERS, "member": {**BROWSER_HEADERS, "Cookie": member_cookie}}
    rounds = {reader: [] for reader in readers}
    for _ in range(args.rounds):
        for reader, headers in readers.items():
            baseline = wrk(bare + "/", slice_seconds, args.connections, BROWSER_HEADERS)
            quiet = wrk(base + target.path, slice_seconds, args.connections, headers)
            stop.clear()
            poster = threading.Thread(target=post_comments)
            poster.start()
            try:
                busy = wrk(base + target.path, slice_seconds, args.connections, headers)
            finally:
                stop.set()
                poster.join()
            rounds[reader].append((busy, baseline, quiet))
    return {"rounds": rounds, "posted": len(posted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per page (and as many for the baseline)")
    parser.add_argument("--rounds", type=int, default=5, help="slices those seconds are measured in")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each figure")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--only", help="measure only the pages whose name holds this (and no busy thread unless it says 'busy')")
    parser.add_argument("--redis-url", help="the cache in this Redis (REDIS_URL), shared by the workers; default: each worker's own")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-secret", "RATELIMIT_ENABLED": "0"}
    if args.redis_url:
        env.update(REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=f"bench-{workdir.name}:")
    os.environ.update(env)
    # Imported only now: the app's Config reads DATABASE_URL when it is imported.
    from bench.fixtures import Target, build_bench_data

    data = build_bench_data(BENCH_PASSWORD)
    busy_target = next(target for target in data.targets if not target.logged_in)
    # Measured before the load, which posts replies and so grows the thread.
    page_facts = data.page_facts()

    # The floors first: bench/floor_app.py is the app itself with two routes added, and
    # it serves every target, so all are measured on the same server.
    floors = (
        Target("floor: session + CSRF token, no user loaded", "/bench/floor/session", logged_in=True, htmx=True),
        Target("floor: logged-in route, user + CSRF token only", "/bench/floor", logged_in=True, htmx=True),
    )
    slice_seconds = max(1, args.seconds // args.rounds)
    results = []
    with gunicorn("bench.baseline_app:app", env, args.workers) as bare, gunicorn(
        "bench.floor_app:app", env, args.workers
    ) as base:
        cookie, csrf_token = log_in(base, data.email)
        wrk(bare + "/", args.warmup, args.connections, BROWSER_HEADERS)
        targets = [*floors, *data.targets]
        if args.only:
            targets = [target for target in targets if args.only in target.name]
        for target in targets:
            headers = dict(BROWSER_HEADERS)
            if target.logged_in:
                headers["Cookie"] = cookie
            if target.htmx:
                headers["HX-Request"] = "true"
            if target.post_body is not None:
                headers["X-CSRFToken"] = csrf_token
            if target.revalidated:
                headers["If-None-Match"] = etag_answered_304(base + target.path, headers)
            # Unmeasured first: every worker process fills its caches, as a running server has.
            wrk(base + target.path, args.warmup, args.connections, headers, target.post_body)
            # This machine's speed swings by a third within seconds (other tenants), so the
            # target and the baseline take turns in short slices, each slice's ratio is
            # taken against the baseline slice just before it, and the median is printed.
            rounds = []
            for _ in range(args.rounds):
                baseline = wrk(bare + "/", slice_seconds, args.connections, BROWSER_HEADERS)
                figures = wrk(base + target.path, slice_seconds, args.connections, headers, target.post_body)
                rounds.append((figures, baseline))
            results.append((target, rounds))
        busy = None
        if not args.only or "busy" in args.only:
            busy = busy_thread(busy_target, bare, base, cookie, args, slice_seconds)
        shipped = None
        if not args.only or "shipped" in args.only:
            shipped = shipped_settings(busy_target, base, env, args, slice_seconds)

    print(f"\ncache: {'Redis at ' + args.redis_url if args.redis_url else 'in each worker (SimpleCache)'}")
    print(f"medians of {args.rounds} alternating slices of {slice_seconds} s each (baseline, then the page)")
    print(
        f"{'page':<48} {'req/s':>6} {'ratio':>6} {'slices':>10} {'target':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'non-2xx':>7} {'baseline req/s':>14}"
    )
    for target, rounds in results:
        ratios = sorted(figures["rps"] / baseline["rps"] for figures, baseline in rounds)
        goal = f">={target.goal:.2f}" if target.goal else ""
        print(
            f"{target.name:<48} {median(f['rps'] for f, _ in rounds):>6.0f} {median(ratios):>6.2f} "
            f"{ratios[0]:>4.2f}–{ratios[-1]:<4.2f} {goal:>7} {median(f['p50'] for f, _ in rounds):>7.1f} "
            f"{median(f['p99'] for f, _ in rounds):>7.1f} {sum(f['errors'] for f, _ in rounds):>7} "
            f"{median(b['rps'] for _, b in rounds):>14.0f}"
        )
    if busy:
        print_busy_thread(busy_target, busy, args.connections)
    if shipped:
        ratios = sorted(shipped)
        print(f"\n{busy_target.name}, the app started with the shipped gunicorn.conf.py against the bench's settings:")
        print(f"  {median(ratios):.2f} ({ratios[0]:.2f}–{ratios[-1]:.2f}; target within 10%, >=0.90)")
    print("\nsize and SQL queries per page (in-process, one request each):")
    for line in page_facts:
        print("  " + line)
    shutil.rmtree(workdir, ignore_errors=True)


def shipped_settings(target, base: str, env: dict, args, slice_seconds: int) -> list[float]:
    """Ratios, slice by slice, of the page served by the app under the shipped
    gunicorn.conf.py to the same page under the bench's settings."""
    ratios = []
    with gunicorn("wsgi:app", env, args.workers, ROOT / "gunicorn.conf.py") as shipped:
        wrk(shipped + target.path, args.warmup, args.connections, BROWSER_HEADERS)
        for _ in range(args.rounds):
            bench = wrk(base + target.path, slice_seconds, args.connections, BROWSER_HEADERS)
            figures = wrk(shipped + target.path, slice_seconds, args.connections, BROWSER_HEADERS)
            ratios.append(figures["rps"] / bench["rps"])
    return ratios


def print_busy_thread(busy_target, busy: dict, connections: int) -> None:
    print(f"\nbusy thread: {busy_target.name}, read by {connections} connections, visitors and a member in turns,")
    print(f"while another member posts a comment every {POST_EVERY} s through the form without JavaScript ({busy['posted']} posted):")
    for reader, busy_rounds in busy["rounds"].items():
        to_bare = median(figures["rps"] / baseline["rps"] for figures, baseline, _ in busy_rounds)
        # A slice in which no request finished (each took longer than wrk's 2 s) counts as 0.
        to_quiet = sorted(figures["rps"] / quiet["rps"] if quiet["rps"] else 0.0 for figures, _, quiet in busy_rounds)
        print(
            f"  {reader:<8} busy {median(f['rps'] for f, _, _ in busy_rounds):.0f} req/s, quiet "
            f"{median(q['rps'] for _, _, q in busy_rounds):.0f} req/s; to bare Flask {to_bare:.2f}, "
            f"to quiet {median(to_quiet):.2f} ({to_quiet[0]:.2f}–{to_quiet[-1]:.2f}, target >=0.50)"
        )


if __name__ == "__main__":
    main()
