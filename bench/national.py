"""Make the national-scale data set: a synthetic force area in a PostgreSQL database of its own.

Drops and creates ``pact_national_bench`` (on the server of ``DATABASE_URL``, default the
``pact_bench`` one of bench/run.py), migrates it and runs ``make_national_force`` there with
the sizes given (default 9,000 wards, 1.8 million postcodes, 4,800 teams: every force of
England and Wales). Prints how long each part took, the postcodes' load (by ``COPY``) among
them, and exits 1 when the postcodes took more than the 60 s issue 17 allows.
See bench/README.md.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import BenchError, database_url, ensure_database  # noqa: E402

NAME = "pact_national_bench"
POSTCODES_TARGET = 60.0  # seconds, issue 17


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=9000)
    parser.add_argument("--postcodes", type=int, default=1_800_000)
    parser.add_argument("--teams", type=int, default=4800)
    parser.add_argument("--seed", type=int, default=17)
    return parser.parse_args()


def national_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{NAME}"))


def drop_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    connection = psycopg2.connect(server, connect_timeout=5)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(NAME)))
    finally:
        connection.close()


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def main() -> int:
    args = parse_args()
    try:
        url = national_url(database_url())
        drop_database(url)
        ensure_database(url)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "pact.settings",
            "PACT_LOG_LEVEL": "WARNING",
        }
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        print(f"{NAME}: migrated in {time.monotonic() - started:.1f}s")
        started = time.monotonic()
        output = manage(
            env,
            "make_national_force",
            f"--wards={args.wards}",
            f"--postcodes={args.postcodes}",
            f"--teams={args.teams}",
            f"--seed={args.seed}",
        )
    except BenchError as error:
        print(f"national: {error}", file=sys.stderr)
        return 2
    print(output.rstrip())
    print(f"make_national_force in all (with Django's start and the commit): {time.monotonic() - started:.1f}s")
    timings = dict(line.rsplit(": ", 1) for line in output.splitlines() if line.endswith("s") and ": " in line)
    # The postcodes' parts: made, copied, and the indexes and constraints made again.
    postcodes = sum(float(value[:-1]) for key, value in timings.items() if key.startswith(("postcodes", "indexes")))
    verdict = "met" if postcodes <= POSTCODES_TARGET else "NOT met"
    print(f"postcodes loaded in {postcodes:.1f}s (target ≤ {POSTCODES_TARGET:.0f}s: {verdict})")
    return 0 if postcodes <= POSTCODES_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
