#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on a free local port; print its SQLAlchemy URL on stdout.
# Usage: url=$(bash .ci/start-postgres.sh DIR)   stop: .ci/stop-postgres.sh DIR
set -euo pipefail
dir=${1:?usage: start-postgres.sh DIR}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL saknas (apt-get install postgresql)" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$dir"
chmod 755 "$dir"
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
run "$pgbin/initdb" -D "$dir/data" -A trust -U workbench --no-sync >/dev/null
run "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
run "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U workbench workbench_test
echo "$pgbin" > "$dir/pgbin"
echo "postgresql+psycopg://workbench@127.0.0.1:$port/workbench_test"
