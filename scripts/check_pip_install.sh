#!/usr/bin/env bash
# The pip route, checked from a built wheel of the project (README "Install with pip"):
#   1. a throwaway virtualenv with Odoo 18.0 (ODOO_SOURCE) and Odoo's pins, nothing else;
#   2. `pip wheel --no-deps .` of the checkout, then `pip install` of that wheel alone, so
#      setup.py alone must bring OCA payroll, queue_job, report_xlsx, xlrd, openpyxl;
#   3. `odoo -d <fresh database> -i hr_kpi_service,hr_kpi_service_reports --stop-after-init`
#      with no --addons-path (the addons come from site-packages) and demo data, as an
#      integrator runs it.
# Fails unless both addons (and every module) end `installed` in ir_module_module: Odoo
# itself exits 0 when a module stays "to install". The database and the virtualenv are
# removed at the end, pass or fail. `make check-pip` runs it; CI runs it after `make test`.
#
#   ODOO_SOURCE  the Odoo 18.0 wheel, source tarball or checkout (the Makefile's default)
#   BASE_PYTHON  the interpreter that creates the virtualenv (default python3)
#   KEEP=1       keep the virtualenv and the database (prints where they are)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ODOO_SOURCE:?ODOO_SOURCE must name an Odoo 18.0 wheel, source tarball or checkout}"
BASE_PYTHON=${BASE_PYTHON:-python3}
ADDONS=hr_kpi_service,hr_kpi_service_reports
source scripts/test_db_names.sh
CHECKOUT=$PWD
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kpi-pipcheck.XXXXXX")
DB=$(run_database_name "$CHECKOUT" "$(date +%s)_$$" pipcheck)
VENV=$WORK/venv
log() { echo "[pip check] $*"; }
started=$(date +%s)

cleanup() {
  if [ "${KEEP:-}" = 1 ]; then
    log "kept: virtualenv $VENV, database $DB"
    return
  fi
  if [ -x "$VENV/bin/python" ]; then
    "$VENV/bin/python" -m odoo db drop "$DB" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

log "virtualenv with Odoo 18.0 from $ODOO_SOURCE and Odoo's pins (requirements/odoo.txt)"
"$BASE_PYTHON" -m venv "$VENV"
pip=("$VENV/bin/python" -m pip --quiet --disable-pip-version-check --no-input)
# (the machine's pip configuration may name local indexes that are absent: not our error)
"${pip[@]}" install "$ODOO_SOURCE" -r requirements/odoo.txt \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

log "building the project's wheel (pip wheel --no-deps) from the checkout's files"
# a copy of the files git knows (tracked or new, not ignored): no stale build/ of setuptools
mkdir "$WORK/src"
git ls-files -z --cached --others --exclude-standard \
  | xargs -0 -I{} sh -c 'test -e "{}" && echo "{}"' | tar -cf - -T - | tar -xf - -C "$WORK/src"
"${pip[@]}" wheel --no-deps --wheel-dir "$WORK/dist" "$WORK/src" \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
wheel=$(ls "$WORK"/dist/*.whl)
log "pip install $(basename "$wheel") (its requirements from setup.py, nothing else)"
"${pip[@]}" install "$wheel" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

log "odoo -d $DB -i $ADDONS --stop-after-init (fresh database, no addons path)"
status=0
(cd "$WORK" && "$VENV/bin/python" -m odoo -d "$DB" -i "$ADDONS" --stop-after-init \
  --log-level=warn --logfile="$WORK/odoo.log") || status=$?
grep -E " (ERROR|CRITICAL) " "$WORK/odoo.log" | head -20 >&2 || true
if [ $status -ne 0 ]; then
  log "FAILED: odoo exited with status $status (log above)"
  exit 1
fi

states=$(psql -d "$DB" -tAc "select name || ' ' || state from ir_module_module
  where name in ('hr_kpi_service', 'hr_kpi_service_reports', 'payroll', 'queue_job',
                 'report_xlsx', 'base_sparse_field') order by name")
pending=$(psql -d "$DB" -tAc "select string_agg(name || ' ' || state, ', ') from ir_module_module
  where state in ('to install', 'to upgrade', 'to remove')")
echo "$states" | sed 's/^/    /'
fail=0
for addon in hr_kpi_service hr_kpi_service_reports; do
  grep -qx "$addon installed" <<<"$states" || { log "FAILED: $addon is not installed"; fail=1; }
done
[ -z "$pending" ] || { log "FAILED: modules left pending: $pending"; fail=1; }
if grep -q "inconsistent states" "$WORK/odoo.log"; then
  log "FAILED: Odoo logged inconsistent module states"; fail=1
fi
[ $fail -eq 0 ] || exit 1
log "OK: both addons installed from the wheel in $(( $(date +%s) - started )) s"
