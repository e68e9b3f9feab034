"""gunicorn's settings for the benchmarks, in place of the production gunicorn.conf.py:
that one writes an access line per request (wrk sends tens of thousands) and starts the
app in production mode. bench/run.py passes the workers and address on the command line."""
