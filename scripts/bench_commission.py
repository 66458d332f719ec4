#!/usr/bin/env python3
"""Benchmark of the service advisor's commission in the payroll bridge (issue 14).

    python3 scripts/bench_commission.py [--db kpi_bench] [--sizes 100,1000] [--rounds 3]

For every size it builds, inside one cursor that is ROLLED BACK at the end, `size`
service advisors on the shipped "Customer service" structure with an open contract
(one in ten on probation), in reception groups of five, their confirmed service
advisor months (hr.kpi.commission.month) of one month and their published
evaluations (the reception score: 98, or 95 for one in four). It then times the
bridge's amounts for all their contracts at once (``hr.payslip._kpi_input_values``,
what Add KPI lines and the batch wizard call: the facts of the batch, the engine's
pay plan per employee-month, KPI_COMMISSION included), alternating rounds with and
without the commission months (median kept), and counts the SQL queries of each.

Targets: the queries do not grow with the number of advisors (the same count at
every size, apart from the ORM reading 1,000 records per query), and the commission
months add a constant number of queries (a few) to the bridge.
"""

import argparse
import os
import statistics
import sys
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_evaluations as bench

STRUCTURE = "hr_kpi_service.payroll_structure_customer_service"
GROUP_SIZE = 5
PROBATION_EVERY = 10
MONTH = date(2026, 11, 1)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="kpi_bench")
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",")]
    return args


def build_fixture(env, size):
    company = env["res.company"].create({"name": f"bench commission {size}"})
    structure = env.ref(STRUCTURE)
    period = env["hr.kpi.period"]._get_or_create(MONTH, "monthly", company)
    job = env["hr.job"].create({"name": "服务顾问", "company_id": company.id})
    scheme = env["hr.kpi.scheme"].create(
        {
            "name": "业务接待考核",
            "company_id": company.id,
            "period_type": "monthly",
            "job_ids": [(6, 0, job.ids)],
        }
    )
    env["hr.kpi.indicator"].create(
        {"scheme_id": scheme.id, "name": "接待考核", "scoring_method": "manual", "weight": 100}
    )
    scheme.write({"state": "active"})
    employees = env["hr.employee"].create(
        [
            {"name": f"服务顾问 {n:05d}", "company_id": company.id, "job_id": job.id}
            for n in range(size)
        ]
    )
    contracts = env["hr.contract"].create(
        [
            {
                "name": f"合同 {n:05d}",
                "employee_id": employee.id,
                "company_id": company.id,
                "wage": 3000,
                "date_start": date(2026, 1, 1),
                "trial_date_end": date(2026, 12, 31) if n % PROBATION_EVERY == 0 else False,
                "struct_id": structure.id,
                "kpi_reception_staff": True,
                "state": "open",
            }
            for n, employee in enumerate(employees)
        ]
    )
    groups = env["hr.kpi.commission.group"].create(
        [
            {
                "name": f"G{g:04d}",
                "company_id": company.id,
                "manager_id": employees[g * GROUP_SIZE].id,
                "member_ids": [(6, 0, employees[g * GROUP_SIZE : (g + 1) * GROUP_SIZE].ids)],
            }
            for g in range((size + GROUP_SIZE - 1) // GROUP_SIZE)
        ]
    )
    months = env["hr.kpi.commission.month"].create(
        [
            {
                "employee_id": employee.id,
                "company_id": company.id,
                "period_id": period.id,
                "group_id": groups[n // GROUP_SIZE].id,
                "repair_receipts": 150000 + n,
                "warranty_claims": 30000,
                "accident_repairs": 20000,
                "production_target": 181818.18,
                "intake": 95,
                "intake_target": 100,
                "accessory_sales": 9000,
                "accessory_list": 10000,
                "coefficient": 1 + (n % 3) / 10,
            }
            for n, employee in enumerate(employees)
        ]
    )
    months._kpi_write({"confirmed": True})
    # the reception scores (考核成绩): published evaluations, 98 and one in four at 95
    evaluations = env["hr.kpi.evaluation"]._generate(period)
    for n, line in enumerate(evaluations.sorted(lambda e: e.employee_id.name).line_ids):
        line.write({"actual_value": 95 if n % 4 == 0 else 98, "has_actual": True})
    evaluations._compute_scores()
    evaluations.with_context(tracking_disable=True).write({"state": "published"})
    return contracts, months, period


def _amounts(env, contracts, period):
    return env["hr.payslip"]._kpi_input_values(contracts, period.date_from, period.date_to)


def run_size(registry, size, rounds):
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    cr.commit = bench._refuse_commit  # nothing of a run may stay
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        contracts, months, period = build_fixture(env, size)
        env.flush_all()
        result = {"size": size, "with": [], "without": [], "queries": {}}
        for _round in range(rounds):
            for flow in ("with", "without"):
                months.with_context(tracking_disable=True)._kpi_write({"confirmed": flow == "with"})
                env.flush_all()
                cr.flush()  # precommit hooks of the fixture, not measured
                with bench.Measure(env) as measure:
                    values = _amounts(env, contracts, period)
                result[flow].append(measure.seconds)
                result["queries"][flow] = measure.queries
                if flow == "with":
                    paid = [
                        line.amount
                        for (_contract, code), line in values.items()
                        if code == "KPI_COMMISSION"
                    ]
                    result["paid"] = (sum(1 for amount in paid if amount), len(paid))
    finally:
        cr.rollback()
        cr.close()
    return result


def main(argv=None):
    args = parse_args(argv)
    registry, status = bench.open_database(args.db)
    print(
        f"hr_kpi_service commission benchmark: database {args.db} ({status}), advisors "
        f"{','.join(map(str, args.sizes))}, {args.rounds} alternating rounds; every run "
        "rolled back.",
        flush=True,
    )
    run_size(registry, 20, 1)  # warm-up
    results = [run_size(registry, size, args.rounds) for size in args.sizes]
    print()
    print("| advisors | with commission months | queries | without | queries | paid |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['size']:,} | {statistics.median(r['with']):.2f} s | {r['queries']['with']} | "
            f"{statistics.median(r['without']):.2f} s | {r['queries']['without']} | "
            f"{r['paid'][0]} of {r['paid'][1]} |"
        )
    first, last = results[0]["queries"], results[-1]["queries"]
    extra = [r["queries"]["with"] - r["queries"]["without"] for r in results]
    return bench.print_targets(
        [
            (
                last["with"] <= first["with"] + 2 * (results[-1]["size"] // 1000 + 1),
                f"queries do not grow with the advisors: {first['with']} at "
                f"{results[0]['size']:,}, {last['with']} at {results[-1]['size']:,} (the ORM "
                "reads 1,000 records a query)",
            ),
            (
                max(extra) <= 10,
                f"commission months add a constant few queries: {', '.join(map(str, extra))}",
            ),
        ],
        "Timings: time.perf_counter (2 cores shared with other work: absolute times are "
        "inflated); queries: cr.sql_log_count. Cold record cache, flush at the end.",
    )


if __name__ == "__main__":
    sys.exit(main())
