"""Where one page's time goes: its queries (the slowest first) and its functions.

    python -m bench.page --as educator1@bench.example /attempts/<id>/ [--repeat 5] [--profile]

Runs the page through Django's test client in this process, signed in as that person, on
DATABASE_URL with every cache off, and prints the time of each request, the number of
queries, the slowest queries with their time, and with --profile the functions with the most
own time (cProfile). For finding what `bench.crawl` found slow.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path")
    parser.add_argument("--as", dest="email", default="")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queries", type=int, default=8)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="microcred.settings",
        DEBUG="false",
        CACHE_URL="dummycache://",
        PUBLIC_PAGE_CACHE_SECONDS="0",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from microcred.core.models import User

    client = Client()
    if args.email:
        client.force_login(User.objects.get(email=args.email))
    client.get(args.path)  # warm: imports, templates, connection
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(args.path)
            elapsed = (time.perf_counter() - started) * 1000
        print(f"{response.status_code} {elapsed:7.1f} ms, {len(queries)} queries")
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    for query in slowest[: args.queries]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:600]}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(args.path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(
            int(os.environ.get("PROFILE_ROWS", "20"))
        )


if __name__ == "__main__":
    main()
