#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: installed from Debian's packages when
# absent, started on a Unix socket in a temp dir (no TCP port), stopped and deleted afterwards.
#
#   scripts/with_postgres.sh .venv/bin/pytest -q     # the test suite, every database on PostgreSQL
#
# The command sees CROSSCHECK_TEST_POSTGRES (the server's maintenance database, for the tests)
# and CROSSCHECK_POSTGRES_SERVER (the same address, for scripts that make their own databases).
set -euo pipefail

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
    echo "with_postgres: installing PostgreSQL from Debian's packages" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
        || { $sudo apt-get update -q >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
    bin=$(find_bin) || { echo "with_postgres: no initdb after installing postgresql" >&2; exit 3; }
fi

dir=$(mktemp -d /tmp/crosscheck-pg.XXXXXX)
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
run_as=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    run_as=(runuser -u postgres --)
fi
chmod 700 "$dir"

stop() {
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

"${run_as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U crosscheck -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 3; }
# A test server: durability off (fsync, full pages, synchronous commit) for speed; no TCP.
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
    -o "-k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 3; }

export CROSSCHECK_TEST_POSTGRES="postgresql://crosscheck@/postgres?host=$dir"
export CROSSCHECK_POSTGRES_SERVER="$CROSSCHECK_TEST_POSTGRES"
status=0
"$@" || status=$?
exit $status
