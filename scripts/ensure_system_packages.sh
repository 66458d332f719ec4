#!/usr/bin/env bash
# Debian packages the product and its tests need besides PostgreSQL, each installed only
# when absent (one apt-get run for all that are missing), saying what it installs:
#   wkhtmltopdf     renders the PDF reports
#   fonts-noto-cjk  so that Chinese text renders in those PDFs
#   poppler-utils   pdftotext, with which the report tests read the PDFs back
#   chromium        headless browser of the tours (HttpCase.start_tour)
#   libpq-dev       headers with which pip builds psycopg2 (Odoo's pin)
set -euo pipefail
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for package in wkhtmltopdf fonts-noto-cjk poppler-utils chromium libpq-dev; do
  installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "[system] installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
