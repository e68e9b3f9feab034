"""gunicorn's settings for production: `gunicorn wsgi:app` (it reads this file itself).

Set SECRET_KEY, DATABASE_URL, REDIS_URL (the limits' redis-server) and CACHE_REDIS_URL
(the cache's, another) in the environment; see the README.
"""
import multiprocessing
import os

raw_env = ["TRACKER_ENV=production"]
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two workers per core keep the cores busy while others wait on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
timeout = 30  # a worker stuck longer than this is restarted
graceful_timeout = 20
keepalive = 5  # behind nginx, which reuses connections
# gunicorn's control socket is one path per machine: a second instance on the same
# machine (deploy/nginx-site.conf runs two) would take it from the first.
control_socket_disable = True
# No access line per request unless asked for (ACCESS_LOG=- for standard output, or a
# file): nginx in front already logs each request with its id, and writing a second line
# from every worker halved the role page's throughput (issue 25).
accesslog = os.environ.get("ACCESS_LOG") or None
# The request id ties an access line to the app's own log lines for that request.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'
