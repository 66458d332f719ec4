#!/usr/bin/env bash
# Create (once) the project virtualenv and install Odoo 18.0, its pinned requirements,
# OCA payroll and the project's packages into it. A second run installs nothing unless a
# requirement file or ODOO_SOURCE changed: their fingerprint is kept in a stamp file.
#
#   VENV         the virtualenv folder (default .venv of the project)
#   BASE_PYTHON  the interpreter that creates it (default python3)
#   ODOO_SOURCE  a wheel, a source tarball (path or URL) or a checkout of Odoo 18.0
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
BASE_PYTHON=${BASE_PYTHON:-python3}
: "${ODOO_SOURCE:?ODOO_SOURCE must name an Odoo 18.0 wheel, source tarball or checkout}"
REQUIREMENTS=(requirements/odoo.txt requirements.txt)
STAMP="$VENV/.hr_kpi_service-setup"
log() { echo "[venv] $*"; }

source_fingerprint() {
  # a file by its content: a copy of the same wheel with a new date is the same Odoo
  if [ -f "$ODOO_SOURCE" ]; then
    echo "$ODOO_SOURCE $(sha256sum <"$ODOO_SOURCE" | cut -c1-64)"
  elif [ -d "$ODOO_SOURCE" ]; then
    echo "$ODOO_SOURCE $(git -C "$ODOO_SOURCE" rev-parse HEAD 2>/dev/null || stat -c %Y "$ODOO_SOURCE")"
  else
    echo "$ODOO_SOURCE"
  fi
}

source_id=$(source_fingerprint)
wanted=$( { echo "$source_id"; cat "${REQUIREMENTS[@]}"; } | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$wanted" ]; then
  exit 0
fi

case "$ODOO_SOURCE" in
  http://*|https://*) ;;
  *) [ -e "$ODOO_SOURCE" ] || {
       echo "Odoo 18.0 source not found: ODOO_SOURCE=$ODOO_SOURCE is neither a file, a folder nor a URL." >&2
       exit 1; } ;;
esac

if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV with $("$BASE_PYTHON" --version 2>&1)"
  "$BASE_PYTHON" -m venv "$VENV" || {
    echo "Cannot create the virtualenv $VENV with '$BASE_PYTHON' (Debian: apt-get install python3-venv)." >&2
    exit 1; }
fi
pip=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)
started=$(date +%s)
# A new ODOO_SOURCE replaces the installed Odoo; a changed requirement file only adds
# or changes what it names (pip leaves the rest as it is).
if "${pip[@]}" show odoo >/dev/null 2>&1 && [ "$(sed -n 2p "$STAMP" 2>/dev/null)" != "$source_id" ]; then
  log "ODOO_SOURCE changed: replacing the installed Odoo"
  "${pip[@]}" uninstall --quiet --yes odoo
fi
log "installing Odoo 18.0 from $ODOO_SOURCE, its pinned requirements and the project's packages"
# (the machine's pip configuration may name local indexes that are absent: not our error)
"${pip[@]}" install --quiet "$ODOO_SOURCE" -r requirements/odoo.txt -r requirements.txt \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
# OCA queue_job depends on Odoo's own base_sparse_field, which the Odoo installed must ship
# installable (the shared wheel does since 2026-12-06; Odoo's source always has): the
# project keeps no copy of it.
addons=$("$VENV/bin/python" -c 'import odoo.addons; print(list(odoo.addons.__path__)[0])')
if grep -qs "Serialized fields (JSON text) for OCA queue_job" "$addons/base_sparse_field/__manifest__.py"; then
  log "replacing the minimal base_sparse_field an earlier set-up copied with Odoo's own"
  rm -rf "$addons/base_sparse_field"
  "${pip[@]}" install --quiet --force-reinstall --no-deps "$ODOO_SOURCE" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
fi
if [ ! -f "$addons/base_sparse_field/__manifest__.py" ] \
   || grep -q "'installable': False" "$addons/base_sparse_field/__manifest__.py"; then
  echo "The Odoo of $ODOO_SOURCE has no installable base_sparse_field (OCA queue_job needs it): use a newer wheel of ../shared/odoo or Odoo's 18.0 source." >&2
  exit 1
fi
printf '%s\n%s\n' "$wanted" "$source_id" > "$STAMP"
log "ready in $(( $(date +%s) - started )) s: $("$VENV/bin/python" -c 'import odoo; print("Odoo", odoo.release.version)')"
