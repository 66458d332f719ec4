#!/usr/bin/env bash
# Stop at once, with one clear sentence, when the machine's python3 cannot import Odoo 18.0.
# This project depends on Odoo; it never downloads or builds it.
set -u
PYTHON=${PYTHON:-python3}
version=$("$PYTHON" -c "import odoo; print(odoo.release.version)" 2>/dev/null) || version=""
case "$version" in
  18.0*) exit 0 ;;
  "") echo "Odoo 18.0 is missing: '$PYTHON' cannot import odoo; install Odoo 18.0 Community so that \`python3 -c \"import odoo; print(odoo.release.version)\"\` prints 18.0, then run this again." >&2 ;;
  *) echo "Odoo 18.0 is required but '$PYTHON' imports Odoo $version; check with \`python3 -c \"import odoo; print(odoo.release.version)\"\`." >&2 ;;
esac
exit 1
