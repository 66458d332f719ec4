#!/usr/bin/env python3
"""Re-export the .pot of both addons and merge it into their zh_CN.po.

Usage: python3 scripts/i18n_update.py [--db kpi_i18n] [--fresh] [--fill more.po ...]

The database gets both addons with demo data (created if missing, else updated),
so the catalogues hold every term Odoo's own extractor finds: Python ``_``/``_lt``
and ``self.env._`` strings, views, fields, selections, data and demo records.
Existing zh_CN translations are kept; new terms arrive empty (or take their translation
from the --fill files) and the ones still empty are listed.
"""

import argparse
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("hr_kpi_service", "hr_kpi_service_reports")


def odoo(*args):
    cmd = [sys.executable, "-m", "odoo", f"--addons-path={ROOT}", "--log-level=warn", *args]
    subprocess.run(cmd, check=True)


def database_exists(name):
    out = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", f"select 1 from pg_database where datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="kpi_i18n")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument(
        "--fill",
        nargs="*",
        default=[],
        metavar="PO",
        help=".po files whose translations fill the entries still untranslated",
    )
    args = parser.parse_args()
    supplied = {}
    for path in args.fill:
        supplied.update({e.msgid: e.msgstr for e in polib.pofile(path) if e.msgstr.strip()})
    if args.fresh and database_exists(args.db):
        subprocess.run(["dropdb", args.db], check=True)
    if database_exists(args.db):
        odoo("-d", args.db, "-u", ",".join(ADDONS), "--stop-after-init")
    else:
        odoo("-d", args.db, "-i", ",".join(ADDONS), "--stop-after-init")
    for addon in ADDONS:
        folder = ROOT / addon / "i18n"
        folder.mkdir(exist_ok=True)
        pot_path = folder / f"{addon}.pot"
        odoo("-d", args.db, f"--i18n-export={pot_path}", f"--modules={addon}", "--stop-after-init")
        pot = polib.pofile(str(pot_path))
        po_path = folder / "zh_CN.po"
        po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
        po.metadata = dict(
            pot.metadata,
            **{
                "Language": "zh_CN",
                "Plural-Forms": "nplurals=1; plural=0;",
                "Content-Type": "text/plain; charset=UTF-8",
            },
        )
        po.merge(pot)
        po[:] = [entry for entry in po if not entry.obsolete]
        for entry in po:
            if not entry.msgstr.strip() and entry.msgid in supplied:
                entry.msgstr = supplied[entry.msgid]
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        po.save(str(po_path))
        missing = [e.msgid for e in po if not e.msgstr.strip()]
        print(
            f"{addon}: {len(pot)} terms, {len(pot) - len(missing)} translated, "
            f"{len(missing)} to translate"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
