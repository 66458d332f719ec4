#!/usr/bin/env python3
"""Benchmark of the payslip batch in bulk against OCA payroll's own wizard (issue 23).

    python3 scripts/bench_payslip_batch.py [--db kpi_bench] [--sizes 1000,5000]
                                           [--rounds 3,2] [--profile]

For every size it builds, inside one cursor that is ROLLED BACK at the end
(nothing is ever committed), `size` employees on the shipped "Customer service"
structure with contracts, published evaluations, stars and facts
(bench_payroll.build_fixture, its draft payslips removed) and a payroll officer.
Then, side by side on the same employees, in alternating rounds each undone by a
savepoint (median kept), the payslip batch wizard run by that officer:

  oca   OCA payroll's own wizard alone, the reference: OCA's compute_sheet of the
        wizard and of the payslips, get_inputs, get_lines_dict and the payslip
        names, the addons' overrides bypassed in this process only (the addons'
        fields, constraints and value checks stay: they are in the registry);
  one   the addons' wizard as it was before the bulk batch (issue 11): OCA's
        path one payslip at a time with the KPI amounts read once beforehand
        (``_kpi_compute_sheet_one_by_one``), for information;
  bulk  the addons' wizard: the payslips in one create, the sheets computed
        together (hr_payslip_bulk).

It prints wall time, SQL queries and queries per payslip of each, the ratio
bulk / oca, and the targets of issue 23 as met or not met: at most 5 queries per
payslip and at most 0.5 x OCA's wizard time, at 1,000 and at 5,000 payslips.
Each run starts with an empty record cache and ends with flush + precommit
hooks, as a commit would (bench_evaluations.Measure). The database is shared
with bench_payroll.py (created without demo data when missing, updated when the
addon's schema is out of date).
"""

import argparse
import contextlib
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_evaluations as bench
import bench_payroll

TARGET_SIZES = (1000, 5000)
TARGET_QUERIES = 5.0
TARGET_RATIO = 0.5
WARMUP_SIZE = 20
FLOWS = ("oca", "one", "bulk")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kpi_bench", help="database (created if missing)")
    parser.add_argument("--sizes", default="1000,5000", help="payslip counts (default 1000,5000)")
    parser.add_argument(
        "--rounds", default="3,2", help="alternating rounds per size, or one count (default 3,2)"
    )
    parser.add_argument(
        "--without-before",
        action="store_true",
        help="leave out the addons' one-at-a-time wizard (informative; saves its time)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one bulk round at the smallest size"
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
        rounds = [int(value) for value in args.rounds.split(",") if value.strip()]
    except ValueError:
        parser.error("--sizes and --rounds take comma-separated integers")
    if not args.sizes or min(args.sizes) < 1 or not rounds or min(rounds) < 1:
        parser.error("--sizes and --rounds need positive integers")
    if len(rounds) == 1:
        rounds *= len(args.sizes)
    if len(rounds) != len(args.sizes):
        parser.error("--rounds: one count, or one per size")
    args.rounds = dict(zip(args.sizes, rounds, strict=True))
    return args


@contextlib.contextmanager
def oca_only(env):
    """OCA payroll's own wizard path: the addons' overrides of the methods the
    wizard runs replaced by OCA's, in this process only, for the block. OCA's
    compute_sheet writes the payslips' state, a field the addons' policy protects:
    the block runs inside an action's grant on hr.payslip (what the addons' own
    compute_sheet holds)."""
    from odoo.addons.hr_kpi_service.models.kpi_policy import kpi_action_scope
    from odoo.addons.payroll.models.hr_payslip import HrPayslip as OcaPayslip
    from odoo.addons.payroll.wizard.hr_payroll_payslips_by_employees import (
        HrPayslipEmployees as OcaWizard,
    )

    payslip_cls = env.registry["hr.payslip"]
    wizard_cls = env.registry["hr.payslip.employees"]
    with contextlib.ExitStack() as stack:
        for name in ("get_inputs", "compute_sheet", "get_lines_dict", "_compute_name"):
            stack.enter_context(
                bench_payroll._patched(payslip_cls, name, getattr(OcaPayslip, name))
            )
        stack.enter_context(
            bench_payroll._patched(wizard_cls, "compute_sheet", OcaWizard.compute_sheet)
        )
        stack.enter_context(kpi_action_scope("hr.payslip"))
        yield


def _wizard(env, fixture, officer, name):
    period = fixture["period"]
    run = (
        env["hr.payslip.run"]
        .with_user(officer)
        .create(
            {
                "name": f"{name} (bench)",
                "date_start": period.date_from,
                "date_end": period.date_to,
                "struct_id": env.ref(bench_payroll.STRUCTURE).id,
            }
        )
    )
    return run, (
        env["hr.payslip.employees"]
        .with_user(officer)
        .with_context(active_id=run.id)
        .create({"employee_ids": [(6, 0, fixture["employee_ids"])], "kpi_confirm_missing": True})
    )


def _flow(env, fixture, officer, name):
    run, wizard = _wizard(env, fixture, officer, name)
    if name == "oca":
        with oca_only(env):
            wizard.compute_sheet()
    elif name == "one":
        wizard._kpi_compute_sheet_one_by_one()
    else:
        wizard.compute_sheet()
    return run


def _outcome(run):
    """(payslips, lines, inputs, NET total) of the run, read before the rollback."""
    slips = run.sudo().slip_ids
    nets = sum(slip.get_salary_line_total("NET") for slip in slips)
    return len(slips), len(slips.line_ids), len(slips.input_line_ids), round(nets, 2)


def run_size(registry, size, rounds, profile=False, flows=FLOWS):
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    cr.commit = bench._refuse_commit
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        fixture = bench_payroll.build_fixture(env, size)
        fixture["employee_ids"] = fixture["slips"].employee_id.ids
        fixture["slips"].unlink()  # the wizard makes the payslips
        company = env.ref("base.main_company")
        login = f"bench_payslip_officer_{time.time_ns()}"
        officer = env["res.users"].create(
            {
                "name": "Payroll officer (bench)",
                "login": login,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            env.ref("base.group_user").id,
                            env.ref("payroll.group_payroll_manager").id,
                        ],
                    )
                ],
            }
        )
        env.flush_all()
        cr.flush()
        cr.execute("ANALYZE")  # planner statistics of the fixture (see bench_payroll)
        times = {flow: [] for flow in flows}
        queries, outcomes = {}, {}
        for index in range(rounds):
            order = flows if index % 2 == 0 else tuple(reversed(flows))
            for flow in order:
                savepoint = cr.savepoint()
                try:
                    with bench.Measure(env) as measure:
                        run = _flow(env, fixture, officer, flow)
                    outcomes.setdefault(flow, _outcome(run))
                finally:
                    savepoint.close(rollback=True)
                    env.invalidate_all()
                times[flow].append(measure.seconds)
                queries[flow] = measure.queries
        if profile:
            print(f"\n--- cProfile, one bulk round, {size} payslips")
            savepoint = cr.savepoint()
            try:
                with bench.Measure(env, profile=True, name="bulk"):
                    _flow(env, fixture, officer, "bulk")
            finally:
                savepoint.close(rollback=True)
                env.invalidate_all()
        return {
            "size": size,
            "rounds": rounds,
            "times": times,
            "seconds": {flow: statistics.median(values) for flow, values in times.items()},
            "queries": queries,
            "outcomes": outcomes,
        }
    finally:
        cr.rollback()
        cr.close()


def print_results(results):
    print(
        "The payslip batch wizard, side by side on the same employees (medians of "
        "alternating rounds, each rolled back)"
    )
    header = (
        f"{'payslips':>8} {'rounds':>6} {'OCA s':>7} {'q/slip':>7} {'before s':>8} "
        f"{'q/slip':>7} {'bulk s':>7} {'q/slip':>7} {'bulk/OCA':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        s, q, n = r["seconds"], r["queries"], r["size"]
        print(
            f"{n:>8} {r['rounds']:>6} {s['oca']:>7.2f} {q['oca'] / n:>7.2f} "
            + (f"{s['one']:>8.2f} {q['one'] / n:>7.2f} " if "one" in s else f"{'-':>8} {'-':>7} ")
            + f"{s['bulk']:>7.2f} {q['bulk'] / n:>7.2f} "
            f"{s['bulk'] / s['oca']:>8.3f}"
        )
    print(
        "  OCA = OCA payroll's own wizard alone (the addons' overrides bypassed); before = "
        "the addons' wizard one payslip\n  at a time (issue 11); bulk = the addons' wizard in "
        "bulk (issue 23); q/slip = all SQL queries of the run / payslips."
    )
    for r in results:
        rounds = "; ".join(
            f"{flow} " + ", ".join(f"{value:.2f}" for value in r["times"][flow])
            for flow in r["times"]
        )
        print(f"  {r['size']} payslips, rounds (s): {rounds}")
        for flow in r["times"]:
            slips, lines, inputs, net = r["outcomes"][flow]
            print(
                f"    {flow}: {slips} payslips, {lines} lines, {inputs} input lines, NET total "
                f"{net:,.2f}"
            )


def evaluate(results):
    by_size = {r["size"]: r for r in results}
    targets = []
    for size in TARGET_SIZES:
        r = by_size.get(size)
        for label in (
            f"at most {TARGET_QUERIES:g} queries per payslip in bulk at {size:,} payslips",
            f"bulk batch at most {TARGET_RATIO:g} x OCA's wizard time at {size:,} payslips",
        ):
            if not r:
                targets.append((None, f"{label}: not measured ({size} is not in --sizes)"))
            elif label.startswith("at most"):
                per_slip = r["queries"]["bulk"] / size
                targets.append(
                    (
                        per_slip <= TARGET_QUERIES,
                        f"{label}: {per_slip:.2f} (OCA {r['queries']['oca'] / size:.2f})",
                    )
                )
            else:
                ratio = r["seconds"]["bulk"] / r["seconds"]["oca"]
                targets.append(
                    (
                        ratio <= TARGET_RATIO,
                        f"{label}: {r['seconds']['bulk']:.2f} s vs "
                        f"{r['seconds']['oca']:.2f} s = x{ratio:.3f}",
                    )
                )
    return targets


def main(argv=None):
    args = parse_args(argv)
    registry, status = bench.open_database(args.db, ready=bench_payroll._has_structure)
    print(
        f"hr_kpi_service payslip batch benchmark: database {args.db} ({status}), payslips "
        f"{','.join(map(str, args.sizes))}; every run rolled back.",
        flush=True,
    )
    run_size(registry, WARMUP_SIZE, 1)
    print(f"(warm-up run of {WARMUP_SIZE} payslips done, not shown)\n", flush=True)
    results = []
    for size in args.sizes:
        results.append(
            run_size(
                registry,
                size,
                args.rounds[size],
                profile=args.profile and size == args.sizes[0],
                flows=tuple(flow for flow in FLOWS if not (args.without_before and flow == "one")),
            )
        )
        r = results[-1]
        print(
            f"  measured {size} payslips: "
            + ", ".join(
                f"{flow} {r['seconds'][flow]:.2f} s / {r['queries'][flow]} q" for flow in r["times"]
            ),
            file=sys.stderr,
            flush=True,
        )
    print()
    print_results(results)
    verdicts = evaluate(results)
    print()
    print("Targets (issue 23)")
    for passed, text in verdicts:
        verdict = "n/a    " if passed is None else ("met    " if passed else "NOT MET")
        print(f"  [{verdict}] {text}")
    print()
    print(
        "Timings: time.perf_counter; queries: cr.sql_log_count. Each run starts with an empty "
        "record cache and ends with flush + precommit hooks, as a commit would."
    )
    return 1 if any(passed is False for passed, _text in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
