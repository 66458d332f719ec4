#!/usr/bin/env bash
# Debian packages the product needs besides PostgreSQL: wkhtmltopdf renders the PDF reports.
set -euo pipefail
command -v wkhtmltopdf >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "[system] installing Debian package wkhtmltopdf"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wkhtmltopdf >/dev/null
