"""Where the time goes: each benchmarked page rendered in-process, timed and profiled.

    .venv/bin/python bench/profile.py [--requests 50] [--show "tracker page"]

Prints milliseconds per request (the best of five rounds) for every target of bench/run.py (the test
client, no HTTP server, one process, gzip accepted as in bench/run.py), and a pyinstrument call tree for the targets whose
name contains --show. Install pyinstrument with `pip install -e .[bench]`.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_PASSWORD = "bench-password"
ROUNDS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20, help="per round")
    parser.add_argument("--show", action="append", default=[], help="print a call tree for targets matching this")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tracker-profile-"))
    os.environ.update({
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{workdir / 'profile.sqlite'}"),
        "SECRET_KEY": "bench-secret",
        "RATELIMIT_ENABLED": "0",
    })
    from pyinstrument import Profiler

    from bench.baseline_app import app as baseline_app
    from bench.fixtures import build_bench_data
    from bench.run import BROWSER_HEADERS

    data = build_bench_data(BENCH_PASSWORD)
    bare = baseline_app.test_client()
    print(f"{'baseline (bare Flask route)':<48} {cpu_time_per_call(lambda: bare.get('/', headers=BROWSER_HEADERS), 200) * 1000:7.2f} ms per request")
    from bench.floor_app import app as floor_app

    floor = floor_app.test_client()
    data.log_in(floor)
    for name, path in (("floor: session + CSRF token, no user loaded", "/bench/floor/session"),
                       ("floor: logged-in route, user + CSRF token only", "/bench/floor")):
        floor_time = cpu_time_per_call(lambda: floor.get(path, headers={**BROWSER_HEADERS, "HX-Request": "true"}), 200)
        print(f"{name:<48} {floor_time * 1000:7.2f} ms per request")
    anonymous = data.app.test_client()
    member = data.app.test_client()
    csrf_token = data.log_in(member)

    for target in data.targets:
        client = member if target.logged_in else anonymous
        headers = dict(BROWSER_HEADERS)
        if target.htmx:
            headers["HX-Request"] = "true"
        if target.post_body is not None:
            headers["X-CSRFToken"] = csrf_token

        def request():
            if target.post_body is None:
                response = client.get(target.path, headers=headers)
            else:
                response = client.post(
                    target.path, data=target.post_body, headers=headers,
                    content_type="application/x-www-form-urlencoded",
                )
            assert response.status_code < 400, (target.name, response.status_code)

        request()  # warm caches and compile templates, as a running server would have
        profiler = Profiler(interval=0.0005) if any(s in target.name for s in args.show) else None
        if profiler:
            profiler.start()
        elapsed = cpu_time_per_call(request, args.requests)
        if profiler:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(f"{target.name:<48} {elapsed * 1000:7.2f} ms per request")


def cpu_time_per_call(call, calls: int) -> float:
    """CPU seconds per call in the least disturbed of a few rounds: a busy machine only adds."""
    rounds = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(calls):
            call()
        rounds.append((time.process_time() - started) / calls)
    return min(rounds)


if __name__ == "__main__":
    main()
