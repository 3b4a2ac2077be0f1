#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL on 127.0.0.1 when the machine has one, exporting
# TEST_DATABASE_URL for the tests that run against it; without PostgreSQL those tests skip
# and say why. The cluster is removed when the command ends.
set -uo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "${TEST_DATABASE_URL:-}" ] || [ -z "$PGBIN" ] || ! id postgres >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  exec "$@"
fi
PGDATA=$(mktemp -d); chown postgres:postgres "$PGDATA"; chmod 700 "$PGDATA"
PGPORT=${PGPORT:-55432}
cleanup() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1; rm -rf "$PGDATA"; }
trap cleanup EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA" start >/dev/null
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
"$@"
