#!/usr/bin/env python3
"""Benchmark of the monthly evaluation sheets printed as one PDF (issue 12).

    python3 scripts/bench_report_pdf.py [--db kpi_bench] [--size 200] [--indicators 10]

Inside one cursor that is ROLLED BACK at the end (nothing is committed), it
builds `size` scored evaluations with bench_evaluations' fixture (a scheme of N
indicators of mixed scoring methods, a job of `size` employees, a monthly
period; generated, valued, scored, graded and ranked), then renders the
月度绩效考核表 of all of them as ONE PDF with the real wkhtmltopdf, and prints
the wall time, the SQL query count, the pages and the target: under 60 s for 200
evaluations.

The database is bench_evaluations' kpi_bench, with hr_kpi_service_reports
installed (or updated) on first use; the helpers are imported from
scripts/bench_evaluations.py.
"""

import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_evaluations as bench

REPORT_MODULE = "hr_kpi_service_reports"
REPORT = "hr_kpi_service_reports.action_report_kpi_evaluation"
TARGET_SIZE = 200
TARGET_SECONDS = 60.0
WARMUP_SIZE = 5
SMALL_SIZE = 20  # printed too: the query count must not grow with the sheets
READY_XMLIDS = ("action_report_kpi_evaluation", "report_kpi_container")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kpi_bench", help="benchmark database (default kpi_bench)")
    parser.add_argument("--size", type=int, default=TARGET_SIZE, help="evaluations printed")
    parser.add_argument("--indicators", type=int, default=10, help="indicators per scheme")
    return parser.parse_args(argv)


def _scored_evaluations(env, size, n_indicators):
    """`size` evaluations generated, valued, scored, graded and ranked (not timed)."""
    fixture = bench.build_fixture(env, size, n_indicators)
    evaluations = env["hr.kpi.evaluation"]._generate(fixture["period"])
    evaluations.with_context(tracking_disable=True).write({"state": "hr_review"})
    for ids, vals in bench._actual_writes(evaluations, fixture):
        env["hr.kpi.evaluation.line"].browse(ids).write(vals)
    evaluations._compute_scores()
    evaluations._assign_grades()
    evaluations._compute_rankings()
    env.cr.flush()
    return evaluations


def _pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, check=False)
    for line in info.stdout.decode(errors="replace").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def _sheets_current(registry):
    """The sheet's report action and frame exist (else: update the addon)."""
    if "report.hr_kpi_service_reports.report_kpi_evaluation" not in registry:
        return False
    cr = registry.cursor()
    try:
        cr.execute(
            "SELECT count(*) FROM ir_model_data WHERE module = %s AND name IN %s",
            [REPORT_MODULE, READY_XMLIDS],
        )
        return cr.fetchone()[0] == len(READY_XMLIDS)
    finally:
        cr.rollback()
        cr.close()


def run(registry, size, n_indicators):
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    cr.commit = bench._refuse_commit
    try:
        env = api.Environment(cr, SUPERUSER_ID, {"force_report_rendering": True})
        evaluations = _scored_evaluations(env, size, n_indicators)
        ids = evaluations.ids
        with bench.Measure(env) as measure:
            pdf, kind = env["ir.actions.report"]._render_qweb_pdf(REPORT, ids)
        if kind != "pdf" or not pdf.startswith(b"%PDF"):
            raise RuntimeError(f"the report gave {kind}, not a PDF")
        return {
            "size": size,
            "seconds": measure.seconds,
            "queries": measure.queries,
            "bytes": len(pdf),
            "pages": _pages(pdf),
        }
    finally:
        cr.rollback()
        cr.close()


def main(argv=None):
    args = parse_args(argv)
    bench.MODULE = REPORT_MODULE  # kpi_bench gets the reports addon (and hr_kpi_service)
    registry, status = bench.open_database(args.db, ready=_sheets_current)
    print(
        f"KPI sheets PDF benchmark: database {args.db} ({status}), {args.size} monthly "
        f"evaluation sheets of {args.indicators} indicators as one PDF; rolled back.",
        flush=True,
    )
    run(registry, WARMUP_SIZE, args.indicators)  # registry, templates and wkhtmltopdf warm
    small = run(registry, SMALL_SIZE, args.indicators)
    result = run(registry, args.size, args.indicators)
    print()
    print(f"{'sheets':>7} {'pages':>6} {'PDF KiB':>8} {'seconds':>8} {'queries':>8}")
    for row in (small, result):
        print(
            f"{row['size']:>7} {row['pages'] or '?':>6} {row['bytes'] / 1024:>8.0f} "
            f"{row['seconds']:>8.2f} {row['queries']:>8}"
        )
    label = f"{TARGET_SIZE} monthly sheets as one PDF in under {TARGET_SECONDS:g} s"
    if result["size"] == TARGET_SIZE:
        target = (result["seconds"] < TARGET_SECONDS, f"{label}: {result['seconds']:.2f} s")
    else:
        target = (None, f"{label}: not measured (--size {result['size']})")
    grows = result["queries"] > bench.QUERY_GROWTH_LIMIT * small["queries"]
    queries = (
        not grows,
        f"queries do not grow with the sheets: {small['queries']} for {small['size']}, "
        f"{result['queries']} for {result['size']} (at most x{bench.QUERY_GROWTH_LIMIT:g})",
    )
    return bench.print_targets(
        [target, queries],
        "Timing: time.perf_counter around ir.actions.report._render_qweb_pdf (QWeb and "
        "wkhtmltopdf); queries: cr.sql_log_count, from an empty record cache.",
    )


if __name__ == "__main__":
    sys.exit(main())
