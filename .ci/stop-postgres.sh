#!/usr/bin/env bash
# Stop the cluster started by start-postgres.sh DIR.
dir=${1:?usage: stop-postgres.sh DIR}
[ -f "$dir/pgbin" ] || exit 0
pgbin=$(cat "$dir/pgbin")
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1
else "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; fi
rm -rf "$dir"
