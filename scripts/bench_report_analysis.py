#!/usr/bin/env python3
"""Benchmark of the analysis and spreadsheet exports of hr_kpi_service_reports (issue 12).

    python3 scripts/bench_report_analysis.py [--db kpi_bench] [--sizes 200,2000]
                                             [--indicators 10] [--months 24]

Inside cursors that are ROLLED BACK at the end (nothing is committed):

  xlsx    for each size, bench_evaluations' fixture (a scheme of N indicators of
          mixed scoring methods, `size` employees, a monthly period; generated,
          valued, scored, graded and ranked: not timed), then the period's
          results spreadsheet (report_hr_kpi_period_results_xlsx) rendered through
          ir.actions.report as a KPI officer: wall time and SQL queries. Targets:
          2,000 employees x 10 indicators under 5 s, and the query count does not
          grow with the number of employees (at most 1.5 x from the smallest to
          the largest size).
  pivot   the largest size's employees get `months` monthly periods of scored
          evaluations (bulk INSERT ... SELECT, 48,000 rows for 2,000 x 24), then
          the Evaluation Analysis pivot is read as the web client reads it: its
          default filters, rows department and job, columns month, measure score
          (average): one read_group per row/column group-by prefix pair, as a
          KPI officer (record rules applied) and as the manager of them all
          (child_of rule). Target: under 2 s.

The database is bench_evaluations' kpi_bench with hr_kpi_service_reports
installed (or updated when its analysis views lack a column); the helpers are
imported from scripts/bench_evaluations.py.
"""

import argparse
import os
import sys
import time

from dateutil.relativedelta import relativedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_evaluations as bench

REPORT_MODULE = "hr_kpi_service_reports"
XLSX = "hr_kpi_service_reports.report_hr_kpi_period_results_xlsx"
ANALYSIS = "hr.kpi.evaluation.report"
XLSX_TARGET_SIZE = 2000
XLSX_TARGET_SECONDS = 5.0
PIVOT_TARGET_SECONDS = 2.0
QUERY_GROWTH_LIMIT = 1.5
WARMUP_SIZE = 20
SCORED_STATES = ("approved", "published", "appealed", "closed")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kpi_bench", help="benchmark database (default kpi_bench)")
    parser.add_argument("--sizes", default="200,2000", help="employee counts (default 200,2000)")
    parser.add_argument("--indicators", type=int, default=10, help="indicators (default 10)")
    parser.add_argument("--months", type=int, default=24, help="months of the pivot (default 24)")
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error("--sizes must be comma-separated integers, e.g. 200,2000")
    if not args.sizes or min(args.sizes) < 1 or args.indicators < 1 or args.months < 1:
        parser.error("sizes, indicators and months must be positive")
    return args


def _views_current(registry):
    """The analysis SQL views have a column for every field (else: update the addon)."""
    cr = registry.cursor()
    try:
        for name in (ANALYSIS, "hr.kpi.evaluation.line.report"):
            if name not in registry:
                return False
            model = registry[name]
            cr.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                [model._table],
            )
            columns = {row[0] for row in cr.fetchall()}
            fields = model._fields.items()
            if any(f.store and f.column_type and n not in columns for n, f in fields):
                return False
        return True
    finally:
        cr.rollback()
        cr.close()


def _officer(env):
    """The admin user, made KPI officer and payroll manager (rolled back with the rest)."""
    user = env.ref("base.user_admin")
    user.write(
        {
            "groups_id": [
                (4, env.ref("hr_kpi_service.group_kpi_officer").id),
                (4, env.ref("payroll.group_payroll_manager").id),
            ],
            "lang": "en_US",
        }
    )
    return user


def _scored_period(env, size, n_indicators):
    """bench_evaluations' fixture, generated, valued, scored, graded, ranked (not timed)."""
    fixture = bench.build_fixture(env, size, n_indicators)
    evaluations = env["hr.kpi.evaluation"]._generate(fixture["period"])
    evaluations.with_context(tracking_disable=True).write({"state": "hr_review"})
    for ids, vals in bench._actual_writes(evaluations, fixture):
        env["hr.kpi.evaluation.line"].browse(ids).write(vals)
    evaluations._compute_scores()
    evaluations._assign_grades()
    evaluations._compute_rankings()
    evaluations.with_context(tracking_disable=True).write({"state": "approved"})
    env.flush_all()
    env.cr.flush()
    return fixture, evaluations


def run_xlsx(registry, size, n_indicators):
    import io

    import openpyxl

    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    cr.commit = bench._refuse_commit
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        officer = _officer(env)
        fixture, evaluations = _scored_period(env, size, n_indicators)
        company = fixture["period"].company_id
        user_env = env(user=officer.id, context={"allowed_company_ids": company.ids})
        with bench.Measure(user_env) as measure:
            content, kind = user_env["ir.actions.report"]._render(XLSX, fixture["period"].ids)
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        sheet = book.worksheets[0]
        rows = sheet.max_row - 2  # title and header rows
        columns = sheet.max_column
        if kind != "xlsx" or rows != size:
            raise RuntimeError(f"the export gave {kind} with {rows} rows, expected {size}")
        return {
            "size": size,
            "rows": rows,
            "columns": columns,
            "seconds": measure.seconds,
            "queries": measure.queries,
            "bytes": len(content),
            "evaluations": len(evaluations),
        }
    finally:
        cr.rollback()
        cr.close()


def _bulk_history(env, fixture, months):
    """`months` monthly periods before the fixture's, each with a scored evaluation
    per fixture employee: INSERT ... SELECT (one statement per month)."""
    company = fixture["period"].company_id
    Period = env["hr.kpi.period"]
    first = fixture["period"].date_from
    periods = Period.browse()
    for back in range(1, months + 1):
        periods |= Period._get_or_create(first - relativedelta(months=back), "monthly", company)
    env.flush_all()
    employees = fixture["employees"]
    bands = fixture["scheme"].grade_scale_id.band_ids.ids or [None]
    for index, period in enumerate(periods.sorted("date_from")):
        env.cr.execute(
            """
            INSERT INTO hr_kpi_evaluation
                (name, employee_id, scheme_id, period_id, period_date_from, company_id,
                 department_id, job_id, manager_id, state, total_score, previous_score,
                 grade_band_id, rank_department, rank_company, vetoed, missing_count,
                 most_improved, create_uid, write_uid, create_date, write_date)
            SELECT e.name || ' · ' || %(period_name)s, e.id, %(scheme)s, %(period)s,
                   %(date_from)s, e.company_id, e.department_id, e.job_id, e.parent_id,
                   'closed', 60 + ((e.id * 7 + %(index)s * 13) %% 45),
                   CASE WHEN %(index)s > 0 THEN 60 + ((e.id * 7 + (%(index)s - 1) * 13) %% 45) END,
                   (%(bands)s::int[])[1 + (e.id + %(index)s) %% %(band_count)s],
                   row_number() OVER (ORDER BY e.id), row_number() OVER (ORDER BY e.id),
                   FALSE, 0, FALSE, 1, 1, now(), now()
              FROM hr_employee e
             WHERE e.id = ANY(%(employees)s)
            """,
            {
                "period_name": period.name,
                "scheme": fixture["scheme"].id,
                "period": period.id,
                "date_from": period.date_from,
                "index": index,
                "bands": bands,
                "band_count": len(bands),
                "employees": employees.ids,
            },
        )
    env.cr.execute("ANALYZE hr_kpi_evaluation")
    return periods


def _pivot_read(env, domain, rows, cols, measures):
    """The read_group calls of the web pivot: one per (row prefix, column prefix)."""
    groups = 0
    for r in range(len(rows) + 1):
        for c in range(len(cols) + 1):
            result = env[ANALYSIS].read_group(
                domain, measures, rows[:r] + cols[:c], lazy=False
            )
            groups += len(result)
    return groups


def run_pivot(registry, size, n_indicators, months):
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    cr.commit = bench._refuse_commit
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        officer = _officer(env)
        fixture, _evaluations = _scored_period(env, size, n_indicators)
        start = time.perf_counter()
        _bulk_history(env, fixture, months)
        env.invalidate_all()
        generated = time.perf_counter() - start
        company = fixture["period"].company_id
        total = env[ANALYSIS].search_count([("employee_id", "in", fixture["employees"].ids)])
        # the manager of the fixture's employees, as a KPI manager user
        manager_user = env["res.users"].create(
            {
                "name": "Bench KPI manager",
                "login": f"bench_manager_{time.time_ns()}",
                "groups_id": [(6, 0, [env.ref("hr_kpi_service.group_kpi_manager").id,
                                      env.ref("base.group_user").id])],
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
            }
        )
        fixture["employees"][:1].parent_id.user_id = manager_user
        env.flush_all()
        domain = [("period_type", "=", "monthly"), ("state", "in", list(SCORED_STATES))]
        rows, cols = ["department_id", "job_id"], ["period_date_from:month"]
        measures = ["score:avg", "__count"]
        results = {}
        for label, user in (("officer", officer), ("manager", manager_user)):
            user_env = env(user=user.id, context={"allowed_company_ids": company.ids})
            _pivot_read(user_env, domain, rows, cols, measures)  # warm the rule caches
            with bench.Measure(user_env) as measure:
                groups = _pivot_read(user_env, domain, rows, cols, measures)
            results[label] = (measure.seconds, measure.queries, groups)
        return {"rows": total, "generated": generated, "months": months + 1, **results}
    finally:
        cr.rollback()
        cr.close()


def main(argv=None):
    args = parse_args(argv)
    bench.MODULE = REPORT_MODULE  # kpi_bench gets the reports addon (and hr_kpi_service)
    registry, status = bench.open_database(args.db, ready=_views_current)
    print(
        f"KPI analysis and xlsx benchmark: database {args.db} ({status}), sizes "
        f"{','.join(map(str, args.sizes))}, {args.indicators} indicators, pivot over "
        f"{args.months} months + the fixture's; every run rolled back.",
        flush=True,
    )
    run_xlsx(registry, WARMUP_SIZE, args.indicators)
    results = []
    for size in args.sizes:
        results.append(run_xlsx(registry, size, args.indicators))
        r = results[-1]
        print(
            f"  xlsx {size}: {r['seconds']:.2f} s / {r['queries']} q", file=sys.stderr, flush=True
        )
    print()
    print(f"{'employees':>9} {'rows':>6} {'columns':>7} {'KiB':>6} {'seconds':>8} {'queries':>8}")
    for r in results:
        print(
            f"{r['size']:>9} {r['rows']:>6} {r['columns']:>7} {r['bytes'] / 1024:>6.0f} "
            f"{r['seconds']:>8.2f} {r['queries']:>8}"
        )
    largest = results[-1]
    pivot = run_pivot(registry, largest["size"], args.indicators, args.months)
    print()
    print(
        f"pivot: {pivot['rows']:,} evaluations ({largest['size']:,} employees x "
        f"{pivot['months']} months; bulk insert {pivot['generated']:.2f} s, not timed)"
    )
    for label in ("officer", "manager"):
        seconds, queries, groups = pivot[label]
        print(f"  as {label:<8} {seconds:>6.2f} s  {queries:>4} queries  {groups:>5} groups")

    targets = []
    at_target = next((r for r in results if r["size"] == XLSX_TARGET_SIZE), None)
    label = (
        f"results xlsx of {XLSX_TARGET_SIZE:,} employees x {args.indicators} indicators "
        f"under {XLSX_TARGET_SECONDS:g} s"
    )
    if at_target:
        seconds = at_target["seconds"]
        targets.append((seconds < XLSX_TARGET_SECONDS, f"{label}: {seconds:.2f} s"))
    else:
        targets.append((None, f"{label}: not measured"))
    if len(results) > 1:
        small, large = results[0], results[-1]
        ratio = large["queries"] / small["queries"] if small["queries"] else float("inf")
        targets.append(
            (
                ratio <= QUERY_GROWTH_LIMIT,
                f"xlsx queries do not grow with the employees: {small['queries']} at "
                f"{small['size']}, {large['queries']} at {large['size']} (x{ratio:.2f}, limit "
                f"x{QUERY_GROWTH_LIMIT:g})",
            )
        )
    worst = max(pivot["officer"][0], pivot["manager"][0])
    targets.append(
        (
            worst < PIVOT_TARGET_SECONDS
            if pivot["rows"] >= largest["size"] * args.months
            else None,
            f"analysis pivot over {pivot['rows']:,} evaluations under "
            f"{PIVOT_TARGET_SECONDS:g} s: {worst:.2f} s (slowest of officer / manager)",
        )
    )
    return bench.print_targets(
        targets,
        "Timings: time.perf_counter; queries: cr.sql_log_count; each measure starts with an "
        "empty record cache. xlsx: ir.actions.report._render as a KPI officer (record rules "
        "applied). pivot: the web pivot's read_group calls (rows department > job, columns "
        "month, measure score:avg; every row/column prefix pair) with the action's default "
        "filters.",
    )


if __name__ == "__main__":
    sys.exit(main())
