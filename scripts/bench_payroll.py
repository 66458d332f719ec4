#!/usr/bin/env python3
"""Benchmark of the payroll bridge on one payslip batch (issue 5, "Speed").

    python3 scripts/bench_payroll.py [--db kpi_bench] [--sizes 100,1000]

For every size it builds, inside one cursor that is ROLLED BACK at the end
(nothing is ever committed), `size` employees on the shipped "Customer service"
structure with an open contract, a published monthly evaluation, a monthly star
and a few recorded facts (complaints, late arrivals, awards), and one payslip
batch holding a draft payslip per employee. It then measures, on that same batch:

  compute   compute_sheet() alone, the payslips holding no KPI line
  add       action_add_kpi_lines() (the bridge: evaluations, stars, awards,
            incidents, leaves and contracts read for all payslips at once)
  kpi       action_add_kpi_lines() + compute_sheet(), the sheet recomputed with
            the KPI lines (after putting the payslips back as they were: no
            lines, draft)

and prints both timings, their ratio and the query counts. Targets: the KPI step
adds under 15 % to the batch at 1,000 payslips (kpi / compute < 1.15), and the
queries of `add` do not grow with the number of payslips (same count at every
size, the INSERTs of the ORM's 100-row batches aside). Every phase runs
--repeat times on the same batch; the fastest round of each is kept.

Each phase starts with an empty record cache and ends with flush + precommit
hooks, as a commit would (see bench_evaluations.Measure). The database is shared
with bench_evaluations.py: created without demo data when missing, updated when
the addon's schema or the bridge's data are missing.
"""

import argparse
import os
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_evaluations as bench

MODULE = bench.MODULE
REPO = bench.REPO
STRUCTURE = "hr_kpi_service.payroll_structure_customer_service"
TARGET_SIZE = 1000
TARGET_RATIO = 1.15
WARMUP_SIZE = 20
BUCKETS = 5
SCORES = (95, 88, 85, 72, 55)  # one per bucket: full pay, cuts below 60...
STARS = ((5, 1800.0), (4, 1500.0), (3, 1200.0), (2, 1000.0), (1, 800.0))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kpi_bench", help="database (created if missing)")
    parser.add_argument(
        "--sizes", default="100,1000", help="comma-separated payslip counts (default 100,1000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds per size, fastest kept (default 3)"
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error("--sizes must be comma-separated integers, e.g. 100,1000")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs at least one positive payslip count")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


# ---------------------------------------------------------------------------
# Fixture (inside the rolled-back cursor)
# ---------------------------------------------------------------------------


def build_fixture(env, size):
    """Employees, contracts, published evaluations, stars, facts and a payslip batch."""
    company = env.ref("base.main_company")
    structure = env.ref(STRUCTURE)
    tag = f"bench-pay-{size}-{time.time_ns()}"
    calendar = company.resource_calendar_id
    department = env["hr.department"].create({"name": f"Bench {tag}", "company_id": company.id})
    job = env["hr.job"].create(
        {"name": f"Bench rep {tag}", "company_id": company.id, "department_id": department.id}
    )
    scheme = env["hr.kpi.scheme"].create(
        {
            "name": f"Bench scheme {tag}",
            "code": tag,
            "company_id": company.id,
            "period_type": "monthly",
            "role_type": "staff",
            "job_ids": [(6, 0, job.ids)],
        }
    )
    env["hr.kpi.indicator"].create(
        {
            "scheme_id": scheme.id,
            "name": "Monthly rating",
            "scoring_method": "manual",
            "weight": 100,
        }
    )
    scheme._check_weights_for_activation()
    scheme.write({"state": "active"})
    employees = env["hr.employee"].create(
        [
            {
                "name": f"Bench payee {index:05d}",
                "company_id": company.id,
                "department_id": department.id,
                "job_id": job.id,
                "resource_calendar_id": calendar.id,
            }
            for index in range(size)
        ]
    )
    # A future month, so that no other data of the database falls in it.
    period = env["hr.kpi.period"]._get_or_create(date(2099, 11, 1), "monthly", company)
    contracts = env["hr.contract"].create(
        [
            {
                "name": f"Contract {employee.name}",
                "employee_id": employee.id,
                "company_id": company.id,
                "wage": 2000 + 100 * (index % BUCKETS),
                "kpi_performance_base": 1000 if index % 10 == 0 else 0,
                "date_start": date(2099, 1, 1),
                "struct_id": structure.id,
                "resource_calendar_id": calendar.id,
                "state": "open",
            }
            for index, employee in enumerate(employees)
        ]
    )
    evaluations = env["hr.kpi.evaluation"]._generate(period)
    evaluations = evaluations.filtered(lambda e: e.scheme_id == scheme)
    by_bucket = {}
    for index, evaluation in enumerate(evaluations.sorted(lambda e: e.employee_id.id)):
        by_bucket.setdefault(index % BUCKETS, []).append(evaluation.line_ids.id)
    for bucket, line_ids in by_bucket.items():
        env["hr.kpi.evaluation.line"].browse(line_ids).write(
            {"actual_value": SCORES[bucket], "has_actual": True}
        )
    evaluations._compute_scores()
    evaluations.with_context(tracking_disable=True).write({"state": "published"})
    env["hr.kpi.star.month"].create(
        [
            {
                "employee_id": employee.id,
                "company_id": company.id,
                "period_id": period.id,
                "role": "rep",
                "stars": STARS[index % BUCKETS][0],
                "pay": STARS[index % BUCKETS][1],
            }
            for index, employee in enumerate(employees)
        ]
    )
    kinds = {
        code: env.ref(f"hr_kpi_service.incident_type_{code}")
        for code in ("valid_complaint", "late", "absenteeism")
    }
    day = period.date_from
    incidents = []
    for index, employee in enumerate(employees):
        plan = {0: [], 1: ["late"], 2: ["valid_complaint"], 3: ["late"] * 4, 4: ["absenteeism"]}
        incidents += [
            {
                "employee_id": employee.id,
                "company_id": company.id,
                "type_id": kinds[code].id,
                "date": day,
                "confirmed": True,
            }
            for code in plan[index % BUCKETS]
        ]
    env["hr.kpi.incident"].with_context(tracking_disable=True).create(incidents)
    env["hr.kpi.award"].create(
        [
            {
                "period_id": period.id,
                "company_id": company.id,
                "award_type": "service_star",
                "employee_id": employee.id,
                "amount": 200,
            }
            for employee in employees[:3]
        ]
    )
    run = env["hr.payslip.run"].create(
        {"name": tag, "date_start": period.date_from, "date_end": period.date_to}
    )
    slips = env["hr.payslip"].create(
        [
            {
                "name": f"Payslip {contract.employee_id.name}",
                "employee_id": contract.employee_id.id,
                "contract_id": contract.id,
                "struct_id": structure.id,
                "company_id": company.id,
                "date_from": period.date_from,
                "date_to": period.date_to,
                "payslip_run_id": run.id,
            }
            for contract in contracts
        ]
    )
    return {"run": run, "slips": slips, "period": period}


def _reset(env, slip_ids):
    """Put the payslips back as they were: no lines, no inputs, no number, draft."""
    slips = env["hr.payslip"].browse(slip_ids)
    slips.line_ids.unlink()
    slips.input_line_ids.unlink()
    slips.write({"state": "draft", "number": False})
    env.flush_all()
    env.cr.flush()


# ---------------------------------------------------------------------------
# One run
# ---------------------------------------------------------------------------


class Measure(bench.Measure):
    """bench_evaluations.Measure, also counting every INSERT statement: the ORM
    inserts created records 100 rows at a time, so their number grows with the
    records created by design, whatever their size."""

    def __init__(self, env):
        super().__init__(env)
        self.inserts = 0

    def _hook(self, cr, query, params, start, delay):
        super()._hook(cr, query, params, start, delay)
        if isinstance(query, bytes):
            query = query.decode(errors="replace")
        if str(query).lstrip()[:6].upper() == "INSERT":
            self.inserts += 1


def run_size(registry, size, repeat):
    """Measure the three phases `repeat` times on one batch; keep the fastest of each."""
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    cr.commit = bench._refuse_commit  # belt and braces: nothing of a run may stay
    try:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        fixture = build_fixture(env, size)
        run_id, slip_ids = fixture["run"].id, fixture["slips"].ids
        env.flush_all()
        cr.flush()
        best = {}
        for _round in range(repeat):
            _reset(env, slip_ids)
            with Measure(env) as compute:
                env["hr.payslip"].browse(slip_ids).compute_sheet()
            plain_lines = len(env["hr.payslip"].browse(slip_ids).line_ids)
            _reset(env, slip_ids)
            with Measure(env) as add:
                env["hr.payslip.run"].browse(run_id).action_add_kpi_lines()
            with Measure(env) as recompute:
                env["hr.payslip"].browse(slip_ids).compute_sheet()
            for name, measure in (("compute", compute), ("add", add), ("recompute", recompute)):
                if name not in best or measure.seconds < best[name].seconds:
                    best[name] = measure
        compute, add, recompute = best["compute"], best["add"], best["recompute"]

        slips = env["hr.payslip"].browse(slip_ids)
        nets = [slip.get_salary_line_total("NET") for slip in slips]
        inputs = slips.input_line_ids
        kpi_lines = len(slips.line_ids)
        wizard = _measure_wizard(env, fixture, repeat)
        return {
            "size": size,
            "compute_s": compute.seconds,
            "compute_q": compute.queries,
            "add_s": add.seconds,
            "add_q": add.queries,
            "add_inserts": add.inserts,
            "recompute_s": recompute.seconds,
            "recompute_q": recompute.queries,
            "plain_lines": plain_lines,
            "kpi_lines": kpi_lines,
            "inputs": len(inputs),
            "wizard_base_s": wizard["base"].seconds,
            "wizard_kpi_s": wizard["kpi"].seconds,
            "nets": (min(nets), max(nets)),
            "linked": len(slips.filtered("kpi_evaluation_id")),
        }
    finally:
        cr.rollback()
        cr.close()


def _measure_wizard(env, fixture, repeat):
    """For information: the batch as a payroll officer runs it from the interface,
    the payslip batch wizard generating the payslips (worked days, inputs: OCA
    payroll's get_inputs, which fills the KPI amounts) and computing them, once on
    the shipped Customer service structure without its KPI rules (base salary,
    gross, net) and once on the whole structure. Each run is undone (savepoint
    rolled back); the fastest of `repeat` rounds is kept."""
    _reset(env, fixture["slips"].ids)  # no payslip of the fixture holds KPI lines now
    employee_ids = fixture["slips"].employee_id.ids
    period = fixture["period"]
    kpi = env.ref(STRUCTURE)
    base = env["hr.payroll.structure"].create(
        {
            "name": "Customer service without KPI rules (bench)",
            "code": f"BENCH{time.time_ns()}",
            "company_id": kpi.company_id.id,
            "rule_ids": [
                (6, 0, kpi.rule_ids.filtered(lambda r: not r.code.startswith("KPI_")).ids)
            ],
        }
    )
    best = {}
    for _round in range(repeat):
        for name, structure in (("base", base), ("kpi", kpi)):
            savepoint = env.cr.savepoint()
            try:
                with Measure(env) as measure:
                    run = env["hr.payslip.run"].create(
                        {
                            "name": f"Wizard {name}",
                            "date_start": period.date_from,
                            "date_end": period.date_to,
                            "struct_id": structure.id,
                        }
                    )
                    env["hr.payslip.employees"].with_context(active_id=run.id).create(
                        {"employee_ids": [(6, 0, employee_ids)]}
                    ).compute_sheet()
            finally:
                savepoint.close(rollback=True)
                env.invalidate_all()
            if name not in best or measure.seconds < best[name].seconds:
                best[name] = measure
    return best


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def print_table(results):
    header = (
        f"{'payslips':>8} {'compute s':>9} {'queries':>8} {'add s':>7} {'queries':>8} "
        f"{'(ins.)':>6} {'compute+ s':>10} {'queries':>8} {'kpi s':>7} {'queries':>8} "
        f"{'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        kpi_s = r["add_s"] + r["recompute_s"]
        print(
            f"{r['size']:>8} {r['compute_s']:>9.2f} {r['compute_q']:>8} {r['add_s']:>7.2f} "
            f"{r['add_q']:>8} {r['add_inserts']:>6} {r['recompute_s']:>10.2f} "
            f"{r['recompute_q']:>8} {kpi_s:>7.2f} {r['add_q'] + r['recompute_q']:>8} "
            f"{kpi_s / r['compute_s']:>6.3f}"
        )
    print(
        "  compute = compute_sheet() without KPI lines; add = action_add_kpi_lines() on the "
        "batch;\n  compute+ = compute_sheet() with the KPI lines; kpi = add + compute+; "
        "ratio = kpi / compute;\n  (ins.) = INSERT statements among the add queries (the ORM "
        "inserts 100 rows per statement); best of the rounds for each phase."
    )
    print()
    for r in results:
        print(
            f"  {r['size']} payslips: {r['linked']} linked to their evaluation; "
            f"{r['inputs']} KPI input lines (non-zero amounts); payslip lines "
            f"{r['plain_lines']} -> {r['kpi_lines']}; NET {r['nets'][0]:.2f}-{r['nets'][1]:.2f}"
        )
        print(
            f"    payslip batch wizard (generate + compute, as from the interface): "
            f"{r['wizard_base_s']:.2f} s without the KPI rules, {r['wizard_kpi_s']:.2f} s with "
            f"them and the KPI amounts "
            f"(+{100 * (r['wizard_kpi_s'] / r['wizard_base_s'] - 1):.1f} %)"
        )
        # Where the KPI share goes: OCA payroll computes and creates every payslip line
        # one payslip at a time, so each extra line (the KPI pay the structure shows)
        # costs about what a base line costs.
        extra = r["kpi_lines"] - r["plain_lines"]
        if extra > 0:
            per_slip = 1000 * r["compute_s"] / r["size"]
            per_line = 1000 * (r["recompute_s"] - r["compute_s"]) / extra
            base_lines = r["plain_lines"] / r["size"]
            print(
                f"    compute_sheet: {per_slip:.2f} ms per payslip of {base_lines:.1f} "
                f"lines; each of the {extra / r['size']:.2f} extra KPI lines per payslip adds "
                f"{per_line:.2f} ms (+{100 * (r['recompute_s'] / r['compute_s'] - 1):.1f} % "
                f"for the lines alone); Add KPI lines {1000 * r['add_s'] / r['size']:.2f} ms per "
                f"payslip (+{100 * r['add_s'] / r['compute_s']:.1f} %)"
            )


def evaluate_targets(results):
    targets = []
    at_target = next((r for r in results if r["size"] == TARGET_SIZE), None)
    label = (
        f"the KPI step adds under {100 * (TARGET_RATIO - 1):.0f} % to the batch at "
        f"{TARGET_SIZE:,} payslips"
    )
    if at_target:
        kpi_s = at_target["add_s"] + at_target["recompute_s"]
        ratio = kpi_s / at_target["compute_s"]
        targets.append(
            (
                ratio < TARGET_RATIO,
                f"{label}: add + compute {kpi_s:.2f} s vs compute {at_target['compute_s']:.2f} s "
                f"= x{ratio:.3f} (+{100 * (ratio - 1):.1f} %; add alone "
                f"{100 * at_target['add_s'] / at_target['compute_s']:.1f} % of compute)",
            )
        )
    else:
        targets.append((None, f"{label}: not measured ({TARGET_SIZE} is not in --sizes)"))
    label = "the queries of Add KPI lines do not grow with the number of payslips"
    if len(results) < 2:
        targets.append((None, f"{label}: needs two sizes"))
    else:
        small, large = results[0], results[-1]
        q_small = small["add_q"] - small["add_inserts"]
        q_large = large["add_q"] - large["add_inserts"]
        targets.append(
            (
                q_large <= q_small,
                f"{label}: {small['size']} -> {large['size']} payslips, queries other than "
                f"the INSERTs of the new lines {q_small} -> {q_large} (all queries "
                f"{small['add_q']} -> {large['add_q']})",
            )
        )
    return targets


def main(argv=None):
    args = parse_args(argv)
    registry, status = bench.open_database(args.db, ready=_has_structure)
    print(
        f"hr_kpi_service payroll benchmark: database {args.db} ({status}), payslips "
        f"{','.join(map(str, args.sizes))}; every run rolled back.",
        flush=True,
    )
    run_size(registry, WARMUP_SIZE, 1)
    print(f"(warm-up run of {WARMUP_SIZE} payslips done, not shown)\n", flush=True)
    results = []
    for size in args.sizes:
        results.append(run_size(registry, size, args.repeat))
        r = results[-1]
        print(
            f"  measured {size} payslips: compute {r['compute_s']:.2f} s, add "
            f"{r['add_s']:.2f} s, compute with KPI {r['recompute_s']:.2f} s",
            file=sys.stderr,
            flush=True,
        )
    print()
    print_table(results)
    return bench.print_targets(
        evaluate_targets(results),
        "Timings: time.perf_counter; queries: cr.sql_log_count. Each phase starts with an "
        "empty record cache and ends with flush + precommit hooks, as a commit would.",
    )


def _has_structure(registry):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        return bool(api.Environment(cr, SUPERUSER_ID, {}).ref(STRUCTURE, raise_if_not_found=False))


if __name__ == "__main__":
    sys.exit(main())
