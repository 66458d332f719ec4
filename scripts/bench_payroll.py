#!/usr/bin/env python3
"""Benchmark of the payroll bridge on one payslip batch (issues 5 and 11).

    python3 scripts/bench_payroll.py [--db kpi_bench] [--sizes 1000,5000]
                                     [--repeat 3] [--rounds 5] [--profile]

For every size it builds, inside one cursor that is ROLLED BACK at the end
(nothing is ever committed), `size` employees on the shipped "Customer service"
structure with an open contract, a published monthly evaluation, a monthly star
and a few recorded facts (complaints, late arrivals, awards), and one payslip
batch holding a draft payslip per employee.

The batch as users run it (issue 11), the measure that matters. Alternating
rounds (--rounds, median kept; one count or one per size, e.g. 5,3), each undone
by a savepoint:

  computed  the payslip batch wizard (Generate, then OCA computes the sheets),
            the module filling the KPI amounts (facts of the whole batch read once)
  typed     the same employees and structure without the module's computation:
            OCA's own wizard (the module's wizard override and get_inputs bypassed
            in this process only, the wizard's compute left to the end), then the
            same input lines (codes, amounts, read after the timing of the first
            computed round) created in one create, as if typed, and compute_sheet once

It prints both medians, the ratio (target: computed / typed <= 1.05 at 1,000 and
5,000 payslips), whether both flows gave the same inputs and payslip lines, all
queries of a round, and the queries of the KPI part (the batch's facts and
amounts, filling the inputs, the holder checks), which must not grow with N; the
allocation guard's queries apart (it runs in both flows). --profile prints a
cProfile top of one round of each flow at the smallest size; --old-max N runs
the old measure below only up to N payslips.

The old measure (issue 5), on the fixture's batch, fastest of --repeat rounds:

  compute   compute_sheet() alone, the payslips holding no KPI line
  add       action_add_kpi_lines() (the bridge: evaluations, stars, awards,
            incidents, leaves and contracts read for all payslips at once)
  kpi       action_add_kpi_lines() + compute_sheet(), the sheet recomputed with
            the KPI lines (after putting the payslips back as they were: no
            lines, draft)

and prints both timings, their ratio and the query counts. Targets: the KPI step
adds under 15 % to the batch at 1,000 payslips (kpi / compute < 1.15), and the
queries of `add` do not grow with the number of payslips (same count at every
size, the INSERTs of the ORM's 100-row batches aside). Up to 1,000 payslips it
also times the wizard on the structure without its KPI rules against the whole
structure (superseded by the measure above).

Each phase starts with an empty record cache and ends with flush + precommit
hooks, as a commit would (see bench_evaluations.Measure). The database is shared
with bench_evaluations.py unless --db says otherwise: created without demo data
when missing, updated when the addon's schema or the bridge's data are missing.
"""

import argparse
import contextlib
import os
import statistics
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
# the batch as users run it (issue 11): computed vs typed, at these sizes
AS_RUN_SIZES = (1000, 5000)
AS_RUN_RATIO = 1.05
PREFETCH_KEY = "hr_kpi_service.payslip_inputs"  # the wizard's prefetch in cr.cache
WARMUP_SIZE = 20
BUCKETS = 5
SCORES = (95, 88, 85, 72, 55)  # one per bucket: full pay, cuts below 60...
STARS = ((5, 1800.0), (4, 1500.0), (3, 1200.0), (2, 1000.0), (1, 800.0))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kpi_bench", help="database (created if missing)")
    parser.add_argument(
        "--sizes", default="1000,5000", help="comma-separated payslip counts (default 1000,5000)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="rounds per size of the old measure, fastest kept (default 3)",
    )
    parser.add_argument(
        "--rounds",
        default="5",
        help="alternating rounds per size of the batch as users run it, median kept (default 5)",
    )
    parser.add_argument(
        "--old-max",
        type=int,
        default=None,
        help="run the old measure only up to this many payslips (default: every size)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print a cProfile top of one round of each flow (wizard computed, typed) "
        "at the smallest size",
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error("--sizes must be comma-separated integers, e.g. 100,1000")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs at least one positive payslip count")
    try:
        rounds = [int(value) for value in args.rounds.split(",") if value.strip()]
    except ValueError:
        parser.error("--rounds must be an integer, or one per size (e.g. 5,3)")
    if len(rounds) == 1:
        rounds *= len(args.sizes)
    if len(rounds) != len(args.sizes):
        parser.error("--rounds: one count, or one per size")
    args.rounds = dict(zip(args.sizes, rounds, strict=True))
    if args.repeat < 1 or min(rounds) < 1:
        parser.error("--repeat and --rounds must be at least 1")
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
    # A future month, so that no other data of the database falls in it (within the
    # dates the addon accepts: its year's data collection ends before 2100).
    period = env["hr.kpi.period"]._get_or_create(date(2098, 11, 1), "monthly", company)
    contracts = env["hr.contract"].create(
        [
            {
                "name": f"Contract {employee.name}",
                "employee_id": employee.id,
                "company_id": company.id,
                "wage": 2000 + 100 * (index % BUCKETS),
                "kpi_performance_base": 1000 if index % 10 == 0 else 0,
                "date_start": date(2098, 1, 1),
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

    def __init__(self, env, profile=False):
        super().__init__(env, profile=profile)
        self.inserts = 0

    def _hook(self, cr, query, params, start, delay):
        super()._hook(cr, query, params, start, delay)
        if isinstance(query, bytes):
            query = query.decode(errors="replace")
        if str(query).lstrip()[:6].upper() == "INSERT":
            self.inserts += 1


def run_size(registry, size, repeat, rounds=1, profile=False, old=True):
    """Measure the three phases `repeat` times on one batch; keep the fastest of each.
    Then the batch as users run it, `rounds` alternating rounds (medians)."""
    from odoo import SUPERUSER_ID, api

    cr = registry.cursor()
    cr.commit = bench._refuse_commit  # belt and braces: nothing of a run may stay
    try:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        fixture = build_fixture(env, size)
        run_id, slip_ids = fixture["run"].id, fixture["slips"].ids
        env.flush_all()
        cr.flush()
        # Planner statistics of the fixture's rows (ANALYZE samples the rows of its own
        # transaction; rolled back with them): a live database is analyzed by
        # autovacuum, while a fresh benchmark database says "0 rows" and gets
        # nested-loop plans that take seconds on thousands of uncommitted rows.
        cr.execute("ANALYZE")
        if not old:  # --old-max: the batch as users run it only
            return {"size": size, "as_run": _measure_as_run(env, fixture, rounds, profile=profile)}
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
        # superseded by the batch as users run it: only up to the old target size
        wizard = _measure_wizard(env, fixture, repeat) if size <= TARGET_SIZE else None
        as_run = _measure_as_run(env, fixture, rounds, profile=profile)
        return {
            "as_run": as_run,
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
            "wizard_base_s": wizard["base"].seconds if wizard else None,
            "wizard_kpi_s": wizard["kpi"].seconds if wizard else None,
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
# The batch as users run it (issue 11): KPI amounts computed vs the same typed
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _patched(cls, name, function):
    """Shadow `name` on the class `cls` for the block (this process only)."""
    had = name in cls.__dict__
    saved = cls.__dict__.get(name)
    setattr(cls, name, function)
    try:
        yield
    finally:
        if had:
            setattr(cls, name, saved)
        else:
            delattr(cls, name)


class KpiQueries:
    """Counts the queries of the module's KPI part in the batch wizard: reading the
    facts and computing the amounts for the whole batch (``_kpi_prefetch``), filling
    each employee's inputs (the module's ``get_inputs`` less OCA's own), the
    holder check of the new payslips (``_kpi_check_one_holder``); and apart, the
    allocation guard (``_kpi_sync_allocations``), which runs in both flows."""

    METHODS = (
        "_kpi_prefetch",
        "_kpi_check_one_holder",
        "_kpi_sync_allocations",
        "_kpi_lock",
        "get_inputs",
    )

    def __init__(self, env):
        self.env = env
        self.counts = dict.fromkeys((*self.METHODS, "oca_get_inputs"), 0)
        self._depth = 0
        self._stack = contextlib.ExitStack()

    def _wrap(self, key, method):
        counter = self

        def wrapper(*args, **kwargs):
            if counter._depth:
                return method(*args, **kwargs)
            counter._depth += 1
            before = counter.env.cr.sql_log_count
            try:
                return method(*args, **kwargs)
            finally:
                counter.counts[key] += counter.env.cr.sql_log_count - before
                counter._depth -= 1

        return wrapper

    def _wrap_oca(self, method):
        counter = self

        def wrapper(*args, **kwargs):  # nested in the module's get_inputs: no depth check
            before = counter.env.cr.sql_log_count
            try:
                return method(*args, **kwargs)
            finally:
                counter.counts["oca_get_inputs"] += counter.env.cr.sql_log_count - before

        return wrapper

    def __enter__(self):
        from odoo.addons.payroll.models.hr_payslip import HrPayslip as OcaPayslip

        cls = self.env.registry["hr.payslip"]
        for name in self.METHODS:
            self._stack.enter_context(_patched(cls, name, self._wrap(name, getattr(cls, name))))
        self._stack.enter_context(
            _patched(OcaPayslip, "get_inputs", self._wrap_oca(OcaPayslip.get_inputs))
        )
        return self

    def __exit__(self, *exc):
        self._stack.close()
        return False

    @property
    def kpi(self):
        """Queries of the KPI amounts (guard apart)."""
        c = self.counts
        return (
            c["_kpi_prefetch"] + c["_kpi_check_one_holder"] + c["get_inputs"] - c["oca_get_inputs"]
        )

    @property
    def guard(self):
        """Queries of the allocation guard: the sync, and the employee lock the
        batch wizard takes before it (the sync takes it itself elsewhere)."""
        return self.counts["_kpi_sync_allocations"] + self.counts["_kpi_lock"]


def _new_run(env, period, structure, name):
    return env["hr.payslip.run"].create(
        {
            "name": name,
            "date_start": period.date_from,
            "date_end": period.date_to,
            "struct_id": structure.id,
        }
    )


def _flow_kpi(env, employee_ids, period, structure):
    """As users run it with the module: the batch wizard, Generate (the module
    reads the KPI facts of the batch once and fills the amounts) and compute."""
    run = _new_run(env, period, structure, "Wizard KPI (bench)")
    env["hr.payslip.employees"].with_context(active_id=run.id).create(
        {"employee_ids": [(6, 0, employee_ids)]}
    ).compute_sheet()
    return run


def _flow_typed(env, employee_ids, period, structure, typed):
    """Without the module's computation: OCA's own batch wizard (the module's
    wizard override and get_inputs bypassed, in this process only) generates the
    payslips, whose compute is left to the end; the same input lines (codes,
    amounts) are then written in one create, as if typed, and the batch computed
    once. The wizard's compute is skipped here so that the sheet is computed once
    in both flows (a user would have it computed twice)."""
    from odoo.addons.payroll.models.hr_payslip import HrPayslip as OcaPayslip
    from odoo.addons.payroll.wizard.hr_payroll_payslips_by_employees import (
        HrPayslipEmployees as OcaWizard,
    )

    payslip_cls = env.registry["hr.payslip"]
    run = _new_run(env, period, structure, "Wizard typed (bench)")
    wizard = (
        env["hr.payslip.employees"]
        .with_context(active_id=run.id)
        .create({"employee_ids": [(6, 0, employee_ids)]})
    )
    with (
        _patched(payslip_cls, "get_inputs", OcaPayslip.get_inputs),
        _patched(payslip_cls, "compute_sheet", lambda self: True),
    ):
        OcaWizard.compute_sheet(wizard)
    slips = run.slip_ids
    env["hr.payslip.input"].create(
        [
            {
                "payslip_id": slip.id,
                "contract_id": slip.contract_id.id,
                "sequence": sequence,
                "code": code,
                "name": name,
                "amount": amount,
            }
            for slip in slips
            for sequence, code, name, amount in typed.get(slip.employee_id.id, ())
        ]
    )
    slips.compute_sheet()
    return run


def _outcome(run):
    """{employee id: (inputs (code, amount), payslip lines (code, total))}."""
    return {
        slip.employee_id.id: (
            tuple(sorted((i.code, round(i.amount, 2)) for i in slip.input_line_ids)),
            tuple(sorted((line.code, round(line.total, 2)) for line in slip.line_ids)),
        )
        for slip in run.slip_ids
    }


def _in_savepoint(env, function, *args, measure=None, keep=None):
    """Run function(env, *args) inside `measure`, then roll it back; `keep(run)`
    reads what is needed before the rollback."""
    savepoint = env.cr.savepoint()
    kept = None
    try:
        with measure or contextlib.nullcontext():
            run = function(env, *args)
        if keep:
            kept = keep(run)
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()
        env.cr.cache.pop(PREFETCH_KEY, None)
    return kept


def _measure_as_run(env, fixture, rounds, profile=False):
    """The batch wizard with the KPI amounts computed vs the same amounts typed, in
    alternating rounds (each rolled back, the computed flow first); medians. The
    amounts to type, and the payslips both flows must give, are read after the
    timing of the first rounds."""
    _reset(env, fixture["slips"].ids)
    employee_ids = fixture["slips"].employee_id.ids
    period, structure = fixture["period"], env.ref(STRUCTURE)
    args = (employee_ids, period, structure)

    def typed_inputs(run):
        return {
            slip.employee_id.id: [
                (line.sequence, line.code, line.name, line.amount) for line in slip.input_line_ids
            ]
            for slip in run.slip_ids
        }

    typed = kpi_outcome = None  # read after the timing of the first computed round
    outcomes = {}
    times = {"kpi": [], "typed": []}
    queries = {}
    for index in range(rounds):
        order = ("kpi", "typed") if index % 2 == 0 else ("typed", "kpi")
        for name in order:
            measure, counter = Measure(env), KpiQueries(env)
            with counter:
                if name == "kpi":
                    kept = _in_savepoint(
                        env,
                        _flow_kpi,
                        *args,
                        measure=measure,
                        keep=None
                        if typed is not None
                        else lambda run: (typed_inputs(run), _outcome(run)),
                    )
                    if kept:
                        typed, kpi_outcome = kept
                else:
                    outcomes[name] = _in_savepoint(
                        env,
                        _flow_typed,
                        *args,
                        typed,
                        measure=measure,
                        keep=None if outcomes else _outcome,  # read after the timing
                    ) or outcomes.get(name)
            times[name].append(measure.seconds)
            queries[name] = (
                measure.queries,
                measure.inserts,
                counter.kpi,
                counter.guard,
                dict(counter.counts),
            )
    if profile:
        for name in ("kpi", "typed"):
            print(f"\n--- cProfile, one round of the {name} flow, {len(employee_ids)} payslips")
            measure = Measure(env, profile=True)
            if name == "kpi":
                _in_savepoint(env, _flow_kpi, *args, measure=measure)
            else:
                _in_savepoint(env, _flow_typed, *args, typed, measure=measure)
    same = kpi_outcome == outcomes["typed"]
    return {
        "kpi_s": statistics.median(times["kpi"]),
        "typed_s": statistics.median(times["typed"]),
        "kpi_times": times["kpi"],
        "typed_times": times["typed"],
        "queries": queries,
        "same": same,
        "typed_inputs": sum(len(lines) for lines in typed.values()),
        "rounds": rounds,
    }


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
        if r["wizard_base_s"] is not None:  # measured up to TARGET_SIZE only
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


def print_as_run(results):
    """The batch as users run it: wizard with the KPI amounts computed vs typed."""
    print()
    print(
        "The batch as users run it: payslip batch wizard (generate + compute) with the KPI "
        "amounts computed by the module,\nvs the same employees, structure and input lines "
        "typed (OCA's wizard, inputs in one create, compute_sheet)"
    )
    header = (
        f"{'payslips':>8} {'rounds':>6} {'computed s':>10} {'typed s':>8} {'ratio':>6} "
        f"{'queries':>8} {'typed q':>8} {'KPI q':>6} {'guard q':>8} {'typed guard q':>13}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        a = r["as_run"]
        kpi_q, typed_q = a["queries"]["kpi"], a["queries"]["typed"]
        print(
            f"{r['size']:>8} {a['rounds']:>6} {a['kpi_s']:>10.2f} {a['typed_s']:>8.2f} "
            f"{a['kpi_s'] / a['typed_s']:>6.3f} {kpi_q[0]:>8} {typed_q[0]:>8} {kpi_q[2]:>6} "
            f"{kpi_q[3]:>8} {typed_q[3]:>13}"
        )
    print(
        "  computed = the module's batch wizard; typed = OCA's wizard (module's override and "
        "get_inputs bypassed,\n  compute left to the end), the same input lines created in "
        "one create, then compute_sheet;\n  medians of alternating rounds; queries = all "
        "queries of a round (INSERTs included);\n  KPI q = queries of the KPI part "
        "(facts + amounts of the batch, filling the inputs, holder check);\n  guard q = "
        "queries of the allocation guard (one holder per employee-month), in both flows."
    )
    for r in results:
        a = r["as_run"]
        rounds = ", ".join(
            f"{k:.2f}/{t:.2f}" for k, t in zip(a["kpi_times"], a["typed_times"], strict=True)
        )
        print(
            f"  {r['size']} payslips, rounds computed/typed s: {rounds}; {a['typed_inputs']} "
            f"input lines typed; same inputs and payslip lines in both flows: "
            f"{'yes' if a['same'] else 'NO'}"
        )
        c = a["queries"]["kpi"][4]
        print(
            f"    KPI part of the computed flow: facts and amounts of the batch "
            f"(_kpi_prefetch) {c['_kpi_prefetch']}, filling the inputs (get_inputs beyond "
            f"OCA's) {c['get_inputs'] - c['oca_get_inputs']}, holder checks "
            f"(_kpi_check_one_holder) {c['_kpi_check_one_holder']}"
        )


def evaluate_as_run(results):
    targets = []
    by_size = {r["size"]: r for r in results}
    for size in AS_RUN_SIZES:
        label = (
            f"the batch as users run it, KPI amounts computed vs typed, within "
            f"{100 * (AS_RUN_RATIO - 1):.0f} % at {size:,} payslips"
        )
        r = by_size.get(size)
        if not r:
            targets.append((None, f"{label}: not measured ({size} is not in --sizes)"))
            continue
        a = r["as_run"]
        ratio = a["kpi_s"] / a["typed_s"]
        targets.append(
            (
                ratio <= AS_RUN_RATIO and a["same"],
                f"{label}: {a['kpi_s']:.2f} s vs {a['typed_s']:.2f} s = x{ratio:.3f} "
                f"(median of {a['rounds']} rounds; same lines: {'yes' if a['same'] else 'NO'})",
            )
        )
    label = "the KPI part's queries in the batch wizard do not grow with the payslips"
    if len(results) < 2:
        targets.append((None, f"{label}: needs two sizes"))
    else:
        small, large = results[0], results[-1]
        q_small, q_large = (
            small["as_run"]["queries"]["kpi"][2],
            large["as_run"]["queries"]["kpi"][2],
        )
        targets.append(
            (
                q_large <= q_small,
                f"{label}: {small['size']} -> {large['size']} payslips, {q_small} -> {q_large}",
            )
        )
    return targets


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
    run_size(registry, WARMUP_SIZE, 1, rounds=1)
    print(f"(warm-up run of {WARMUP_SIZE} payslips done, not shown)\n", flush=True)
    results = []
    for size in args.sizes:
        results.append(
            run_size(
                registry,
                size,
                args.repeat,
                rounds=args.rounds[size],
                profile=args.profile and size == args.sizes[0],
                old=args.old_max is None or size <= args.old_max,
            )
        )
        r = results[-1]
        print(
            f"  measured {size} payslips: compute {r.get('compute_s', 0):.2f} s, add "
            f"{r.get('add_s', 0):.2f} s, compute with KPI {r.get('recompute_s', 0):.2f} s; as run: "
            f"computed {r['as_run']['kpi_s']:.2f} s, typed {r['as_run']['typed_s']:.2f} s "
            f"(x{r['as_run']['kpi_s'] / r['as_run']['typed_s']:.3f}, rounds "
            f"{r['as_run']['kpi_times']} / {r['as_run']['typed_times']}), KPI part queries "
            f"{r['as_run']['queries']['kpi'][4]}",
            file=sys.stderr,
            flush=True,
        )
    print()
    measured_old = [r for r in results if "compute_s" in r]
    if measured_old:
        print_table(measured_old)
    print_as_run(results)
    return bench.print_targets(
        (evaluate_targets(measured_old) if measured_old else []) + evaluate_as_run(results),
        "Timings: time.perf_counter; queries: cr.sql_log_count. Each phase starts with an "
        "empty record cache and ends with flush + precommit hooks, as a commit would.",
    )


def _has_structure(registry):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        return bool(api.Environment(cr, SUPERUSER_ID, {}).ref(STRUCTURE, raise_if_not_found=False))


if __name__ == "__main__":
    sys.exit(main())
