#!/usr/bin/env bash
# Make sure a PostgreSQL server is reachable for the current OS user.
# If none answers: install Debian's postgresql (and wkhtmltopdf for PDF reports),
# start the cluster and create a superuser role named after the current user
# (Odoo connects through the local socket with peer authentication).
set -euo pipefail
log() { echo "[postgres] $*"; }
can_connect() { psql -d postgres -tAc "select 1" >/dev/null 2>&1; }

if can_connect; then
  log "server reachable"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing Debian package postgresql"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-client >/dev/null
fi

if command -v pg_lsclusters >/dev/null 2>&1; then
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
  if [ -z "$cluster" ]; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    log "creating cluster $ver main"
    $SUDO pg_createcluster "$ver" main >/dev/null
    cluster="$ver main"
  fi
  log "starting cluster $cluster"
  # shellcheck disable=SC2086
  $SUDO pg_ctlcluster $cluster start || true
else
  $SUDO service postgresql start
fi

for _ in $(seq 1 30); do
  if $SUDO -u postgres psql -d postgres -tAc "select 1" >/dev/null 2>&1 || su postgres -c "psql -d postgres -tAc 'select 1'" >/dev/null 2>&1; then
    break
  fi
  sleep 1
done

role=$(id -un)
log "ensuring superuser role $role"
run_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi
}
run_as_postgres "psql -d postgres -tAc \"select 1 from pg_roles where rolname='$role'\"" | grep -q 1 \
  || run_as_postgres "createuser --superuser '$role'"

can_connect || { echo "PostgreSQL was started but '$role' still cannot connect; see /var/log/postgresql/." >&2; exit 1; }
log "server reachable"
