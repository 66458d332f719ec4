#!/usr/bin/env bash
# Stop at once, with one clear sentence, when $PYTHON cannot import Odoo 18.0.
# Without PYTHON the Makefile has installed Odoo into the project virtualenv first; with
# PYTHON=/path/to/python (an existing Odoo 18.0) this is the only check made.
set -u
PYTHON=${PYTHON:-python3}
version=$("$PYTHON" -c "import odoo; print(odoo.release.version)" 2>/dev/null) || version=""
case "$version" in
  18.0*) exit 0 ;;
  "") echo "Odoo 18.0 is missing: '$PYTHON' cannot import odoo; run make without PYTHON to get the project virtualenv, or point PYTHON at a python that imports Odoo 18.0." >&2 ;;
  *) echo "Odoo 18.0 is required but '$PYTHON' imports Odoo $version; point PYTHON at a python with Odoo 18.0, or run make without PYTHON." >&2 ;;
esac
exit 1
