#!/usr/bin/env bash
# With PYTHON=/path/to/python (an existing Odoo 18.0, no project virtualenv): install the
# project's packages (requirements.txt) into that python. OCA payroll requires the pip
# distribution "odoo"; an Odoo run from a checkout without pip metadata cannot satisfy it,
# so there payroll alone is installed without its dependencies (Odoo is already checked).
set -euo pipefail
cd "$(dirname "$0")/.."
pip=("$PYTHON" -m pip --quiet --disable-pip-version-check --no-input)
if "$PYTHON" -m pip show odoo >/dev/null 2>&1; then
  "${pip[@]}" install -r requirements.txt
else
  echo "[python] Odoo has no pip metadata in $PYTHON: installing OCA payroll without its dependencies"
  grep -v '^odoo-addon-payroll' requirements.txt | "${pip[@]}" install -r /dev/stdin
  "${pip[@]}" install --no-deps "$(grep '^odoo-addon-payroll' requirements.txt | cut -d' ' -f1)"
fi
