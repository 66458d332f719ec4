#!/usr/bin/env python3
"""Benchmark of the spreadsheet import of indicator actuals (issue 4).

    python3 scripts/bench_import.py [--db kpi_bench] [--employees 2000] [--indicators 10]

Inside one cursor that is ROLLED BACK at the end (nothing is ever committed) it
builds a scheme of N indicators, `employees` employees with badge IDs and their
evaluations of one month (employees x indicators lines, 20,000 by default), then
writes a .xlsx (openpyxl) and a .xls (xlwt) file of one actual per line and imports
each through the wizard hr.kpi.import, as a KPI officer with HR rights (record rules
apply), from a cold record cache:

  wall time   time.perf_counter, from the wizard's create() to the flush of its writes
  queries     cr.sql_log_count over the same span
  memory      tracemalloc peak of that span (a second, identical run rolled back to a
              savepoint, since tracing slows Python down) and the process's peak RSS
              (resource.getrusage maxrss, the whole Odoo process)

Targets (issue 4): under 30 s per file, peak memory under 500 MB.

The database is the script's own (the same as scripts/bench_evaluations.py): created
with the addon and no demo data when missing, updated when the addon is missing, its
version changed or the import wizard is not installed yet, reused otherwise.
"""

import argparse
import base64
import io
import os
import resource
import sys
import time
import tracemalloc
from datetime import date

import bench_evaluations as bench

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "hr_kpi_service"
TARGET_SECONDS = 30.0
TARGET_MB = 500.0
WARMUP_EMPLOYEES = 5
BADGE_BASE = 960000000  # badge IDs of the bench employees: digits, unlikely to clash
HEADER = ["工号 / Badge ID", "姓名 / Name", "指标代码 / Indicator Code", "实际值 / Actual"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kpi_bench", help="database (created if missing)")
    parser.add_argument("--employees", type=int, default=2000, help="default 2000")
    parser.add_argument("--indicators", type=int, default=10, help="default 10")
    args = parser.parse_args(argv)
    if args.employees < 1 or args.indicators < 1:
        parser.error("--employees and --indicators must be positive")
    return args


# ---------------------------------------------------------------------------
# Fixture and files (inside the rolled-back cursor, not timed)
# ---------------------------------------------------------------------------
def build_fixture(env, size, n_indicators, tag):
    company = env.ref("base.main_company")
    groups = ("base.group_user", "hr.group_hr_user", "hr_kpi_service.group_kpi_officer")
    officer = env["res.users"].create(
        {
            "name": f"Bench importer {tag}",
            "login": f"bench_import_{tag}",
            "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "tz": "Asia/Shanghai",
            "groups_id": [(6, 0, [env.ref(group).id for group in groups])],
        }
    )
    department = env["hr.department"].create({"name": f"Bench {tag}", "company_id": company.id})
    job = env["hr.job"].create(
        {"name": f"Bench {tag}", "company_id": company.id, "department_id": department.id}
    )
    scheme = env["hr.kpi.scheme"].create(
        {
            "name": f"Bench import {tag}",
            "code": f"BI-{tag}",
            "company_id": company.id,
            "period_type": "monthly",
            "job_ids": [(6, 0, job.ids)],
        }
    )
    base, extra = divmod(100, n_indicators)
    codes = [f"BI{tag}_{index + 1:02d}" for index in range(n_indicators)]
    env["hr.kpi.indicator"].create(
        [
            {
                "scheme_id": scheme.id,
                "name": f"Indicator {index + 1}",
                "code": code,
                "sequence": index,
                "weight": base + (1 if index < extra else 0),
                "scoring_method": "ratio",
                "target": 100,
                "cap": 120,
            }
            for index, code in enumerate(codes)
        ]
    )
    scheme._check_weights_for_activation()
    scheme.write({"state": "active"})
    start = BADGE_BASE + int(tag) * 100000
    employees = env["hr.employee"].create(
        [
            {
                "name": f"Bench {tag} {index:05d}",
                "barcode": str(start + index),
                "company_id": company.id,
                "department_id": department.id,
                "job_id": job.id,
            }
            for index in range(size)
        ]
    )
    env["hr.employee"]._recompute_kpi_scheme(company)
    period = env["hr.kpi.period"]._get_or_create(date(2026, 10, 1), "monthly", company)
    evaluations = env["hr.kpi.evaluation"]._generate(period)
    evaluations = evaluations.filtered(lambda e: e.scheme_id == scheme)
    if len(evaluations.line_ids) != size * n_indicators:
        raise RuntimeError(f"{len(evaluations.line_ids)} lines, expected {size * n_indicators}")
    rows = [
        [employee.barcode, employee.name, code, float(50 + (index * 7 + position) % 70)]
        for index, employee in enumerate(employees)
        for position, code in enumerate(codes)
    ]
    return officer, period, evaluations, rows


def xlsx_bytes(rows):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("actuals")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xls_bytes(rows):
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("actuals")
    for column, label in enumerate(HEADER):
        sheet.write(0, column, label)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            sheet.write(number, column, value)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


# ---------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------
class _Undo(Exception):
    """Raised to roll back a savepoint."""


def _refuse_commit(*_args, **_kwargs):
    raise RuntimeError("bench_import never commits: the cursor is rolled back")


def run_import(env, officer, period, filename, content, traced=False):
    """Import once from a cold cache; returns seconds, queries, traced peak bytes."""
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    if traced:
        tracemalloc.start()
    queries, start = cr.sql_log_count, time.perf_counter()
    wizard = (
        env["hr.kpi.import"]
        .with_user(officer)
        .create(
            {
                "import_type": "actual",
                "period_id": period.id,
                "filename": filename,
                "file": base64.b64encode(content),
            }
        )
    )
    wizard.action_import()
    env.flush_all()
    cr.flush()  # precommit hooks, as a COMMIT would run them
    seconds, queries = time.perf_counter() - start, cr.sql_log_count - queries
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, queries, peak, wizard.new_count


def measure(env, officer, period, filename, content):
    """Timed run kept; traced run undone by a savepoint rollback."""
    seconds, queries, _peak, count = run_import(env, officer, period, filename, content)
    env.flush_all()
    try:
        with env.cr.savepoint():
            peak = run_import(env, officer, period, filename, content, traced=True)[2]
            raise _Undo
    except _Undo:
        env.invalidate_all(flush=False)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return {
        "file": filename,
        "bytes": len(content),
        "rows": count,
        "seconds": seconds,
        "queries": queries,
        "traced_mb": peak / 2**20,
        "rss_mb": rss_mb,
    }


def run(registry, size, n_indicators):
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    cr.commit = _refuse_commit  # belt and braces: nothing of a run may stay
    results = []
    try:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        tag = str(int(time.time()) % 900 + 100)
        officer, period, evaluations, rows = build_fixture(env, size, n_indicators, tag)
        warm = build_fixture(env, WARMUP_EMPLOYEES, n_indicators, str(int(tag) + 1))
        run_import(env, warm[0], warm[1], "warmup.xlsx", xlsx_bytes(warm[3]))  # caches
        for filename, writer in (("actuals.xlsx", xlsx_bytes), ("actuals.xls", xls_bytes)):
            # the .xls run sets other values than the .xlsx run: both really write
            values = rows if filename.endswith("x") else [[*row[:3], row[3] + 1] for row in rows]
            started = time.perf_counter()
            content = writer(values)
            built = time.perf_counter() - started
            result = measure(env, officer, period, filename, content)
            result["built_s"] = built
            results.append(result)
            lines = evaluations.line_ids
            expected = {(row[0], row[2]): row[3] for row in values}
            wrong = [
                line
                for line in lines
                if line.actual_value != expected[(line.employee_id.barcode, line.indicator_id.code)]
            ]
            if wrong or not all(lines.mapped("has_actual")):
                raise RuntimeError(f"{filename}: {len(wrong)} lines hold a wrong value")
            print(
                f"  {filename}: {result['seconds']:.2f} s, {result['queries']} queries",
                file=sys.stderr,
                flush=True,
            )
    finally:
        cr.rollback()
        cr.close()
    return results


def main(argv=None):
    args = parse_args(argv)
    registry, status = bench.open_database(args.db, ready=_has_wizard)
    rows = args.employees * args.indicators
    print(
        f"hr_kpi_service import benchmark: database {args.db} ({status}), "
        f"{args.employees:,} employees x {args.indicators} indicators = {rows:,} rows of "
        "actuals; everything rolled back.",
        flush=True,
    )
    results = run(registry, args.employees, args.indicators)
    print()
    header = (
        f"{'file':<14} {'size KB':>8} {'rows':>7} {'import s':>9} {'queries':>8} "
        f"{'traced peak MB':>15} {'process peak MB':>16}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['file']:<14} {r['bytes'] / 1024:>8.0f} {r['rows']:>7} {r['seconds']:>9.2f} "
            f"{r['queries']:>8} {r['traced_mb']:>15.1f} {r['rss_mb']:>16.1f}"
        )
    targets = []
    for r in results:
        targets += [
            (
                r["seconds"] < TARGET_SECONDS,
                f"{r['file']}: {r['rows']:,} rows imported in {r['seconds']:.2f} s "
                f"(target < {TARGET_SECONDS:g} s)",
            ),
            (
                r["rss_mb"] < TARGET_MB,
                f"{r['file']}: peak memory {r['rss_mb']:.0f} MB for the whole process, "
                f"{r['traced_mb']:.0f} MB allocated by the import (target < {TARGET_MB:g} MB)",
            ),
        ]
    return bench.print_targets(
        targets,
        "Import = wizard create + action_import + flush, cold record cache, as a KPI officer "
        "with HR rights. The process peak includes Odoo and the fixture; file building is "
        "not timed.",
    )


def _has_wizard(registry):
    with registry.cursor() as cr:
        cr.execute("SELECT 1 FROM ir_model WHERE model = 'hr.kpi.import'")
        return bool(cr.fetchone())


if __name__ == "__main__":
    sys.exit(main())
