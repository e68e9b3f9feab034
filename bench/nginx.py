"""deploy/nginx-site.conf as the README gives it, run by Debian's nginx on this machine in
front of app instances on given ports: the production setup for tests/test_deployment.py
and for bench/lighthouse.py (a reader's browser talks to nginx, which keeps connections
open and serves the hashed static files from disk), with a free port for each and a wait
until it answers."""
import shutil
import socket
import subprocess  # nosec B404: runs Debian's nginx, a fixed command
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_BUILD = ROOT / "instance" / "static-build"
# Debian's libnginx-mod-http-brotli-static, for the site's `brotli_static on` (a site
# enabled in Debian's own nginx.conf has it loaded from /etc/nginx/modules-enabled).
BROTLI_STATIC = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on, for nginx or an instance behind it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, what: str, seconds: float = 30) -> None:
    """Ask `check()` until it says yes (a refused connection is a no); raise TimeoutError
    naming `what` when `seconds` have gone by."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:  # requests' and urllib's connection errors are OSErrors
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not come up within {seconds} s")


def installed() -> bool:
    return (bool(shutil.which("nginx")) or Path("/usr/sbin/nginx").exists()) and BROTLI_STATIC.exists()


def site_conf(folder: Path, port: int, instances: list[int], tell_upstream: bool = False) -> Path:
    """An nginx.conf in `folder` serving the sample site on 127.0.0.1:`port` in front of
    the app `instances` (ports); with `tell_upstream`, each answer names the instance that
    gave it in an X-Upstream header."""
    site = (ROOT / "deploy" / "nginx-site.conf").read_text()
    site = site.replace("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("server_name jobs.example.com;", "server_name 127.0.0.1;")
    upstreams = "\n".join(f"    server 127.0.0.1:{instance};" for instance in instances)
    site = site.replace("    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;", upstreams)
    site = site.replace("/srv/tracker/instance/static-build/", f"{STATIC_BUILD}/")
    if tell_upstream:
        site = site.replace("proxy_pass http://tracker;", "proxy_pass http://tracker;\n        add_header X-Upstream $upstream_addr always;")
    assert f"127.0.0.1:{instances[-1]};" in site and str(STATIC_BUILD) in site and "server_name 127.0.0.1;" in site, (
        "deploy/nginx-site.conf changed shape"
    )
    temp = {name: folder / f"nginx-{name}" for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""daemon off;
load_module {BROTLI_STATIC};
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
{site}
}}
"""
    )
    return conf


def start(folder: Path, port: int, instances: list[int], tell_upstream: bool = False) -> subprocess.Popen:
    conf = site_conf(folder, port, instances, tell_upstream)
    return subprocess.Popen(["nginx", "-p", str(folder), "-c", str(conf)], stdout=subprocess.DEVNULL)  # nosec B603 B607
