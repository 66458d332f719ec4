#!/usr/bin/env bash
# Create the throwaway test database $1 as a copy of an installed template.
#
# The template (both addons installed with demo data and zh_CN) is named after a hash of
# every file of both addons and of the Python set-up (the virtualenv's stamp, or the
# version of the Odoo that PYTHON imports): it is installed again only when one of those
# changed, so a second `make test` starts its suite within seconds. The name also carries a
# hash of the checkout's path (scripts/test_db_names.sh): only this checkout's older
# templates are dropped, never another clone's. Copies are made with Odoo's own
# `db duplicate` (database and filestore).
set -euo pipefail
cd "$(dirname "$0")/.."
TEST_DB=$1
ADDONS=hr_kpi_service,hr_kpi_service_reports
source scripts/test_db_names.sh
odoo=("$PYTHON" -m odoo --addons-path="$PWD" --log-level=warn)
db() {  # Odoo's database command, its log shown only when it fails
  local out; out=$("$PYTHON" -m odoo db "$@" 2>&1) || { echo "$out" >&2; return 1; }
}

setup_id=$(cat .venv/.hr_kpi_service-setup 2>/dev/null \
  || "$PYTHON" -c "import odoo; print(odoo.release.version, odoo.__file__)")
fingerprint=$( { echo "$setup_id"
  find hr_kpi_service hr_kpi_service_reports -type f ! -path '*/__pycache__/*' ! -name '*.pyc' \
    -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)
TEMPLATE=$(template_name "$PWD" "$fingerprint")
exists() { psql -d postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1; }

if ! exists "$TEMPLATE"; then
  for old in $(psql -d postgres -tAc "select datname from pg_database" | stale_templates "$PWD" "$TEMPLATE"); do
    db drop "$old" || true
  done
  echo "Installing $ADDONS in template database $TEMPLATE (the addons changed)"
  if ! "${odoo[@]}" -d "${TEMPLATE}_new" -i "$ADDONS" --load-language=zh_CN --stop-after-init; then
    db drop "${TEMPLATE}_new" || true
    exit 1
  fi
  db rename "${TEMPLATE}_new" "$TEMPLATE"
fi
echo "Copying template $TEMPLATE to throwaway database $TEST_DB"
db duplicate "$TEMPLATE" "$TEST_DB"
