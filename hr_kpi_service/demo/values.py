"""Believable, deterministic values of the demo story.

Values are made up but the same on every install: they are drawn from a
``random.Random`` seeded with the employee's badge number, the period and the
indicator code. The employees of SEED_VALUES give the seeds' round values, so
that their October payslips show the seeds' totals (DESIGN §7).
"""

import random

# The three seed payslips of DESIGN §7 appear in the demo's October payroll: these
# employees' raters give round values every month, so that the month scores are the
# seeds' (赵敏 85 → rep, 3 stars: 2000 + 1200 × 85 % + 200 = 3220; 张伟 85 → lead, 2
# stars: 2800 + 2000 × 85 % + 200 = 4700; 王建国 95 → 5000 × 95 % = 4750). Values
# read from records (complaint handling, training, cards) come from the records.
SEED_VALUES = {
    "hr_kpi_service.employee_zhao_min_demo": {
        "REP_WORKLOAD": 850.0,  # 85 % of 1000: 17 of 20
        "REP_ERROR_RATE": 1.5,  # 13 of 15
        "REP_SEAT_OCCUPANCY": 95.0,  # 15 of 15
        "REP_SATISFACTION": 90.0,  # 8 of 10
        "REP_CALLBACK_AUTHENTICITY": 2.0,  # 8 of 10
        "REP_DAILY_TASKS": 60.0,  # 6 of 10
        "REP_REPORT_TRUTHFULNESS": 1.0,  # 8 of 10; complaint handling (no complaint): 10
    },
    "hr_kpi_service.employee_zhang_wei_demo": {
        "LEAD_TEAM_WORKLOAD": 6400.0,  # 80 % of 8000: 12 of 15
        "LEAD_TEAM_SATISFACTION": 94.0,  # 8 of 10
        "LEAD_SEAT_COVERAGE": 85.5,  # 90 % of 95: 4.5 of 5
        "LEAD_FLOOR_PATROL": 1.0,  # 9 of 10
        "LEAD_HANDOVER": 1.0,  # 8 of 10
        "LEAD_TRAINING_PASS_RATE": 92.0,  # 10 of 10
        "LEAD_REPORT_TIMELINESS": 90.0,  # 8 of 10; records: 10 + 7.5 + 8
    },
    "hr_kpi_service.employee_wang_jianguo_demo": {
        "MGR_BUSINESS_TARGETS": 100.0,
        "MGR_TASK_COMPLETION": 100.0,
        "MGR_NO_MAJOR_INCIDENT": 1.0,
        "MGR_WORK_PROCEDURES": 0.0,
        "MGR_WEEKLY_MEETING": 0.0,
        "MGR_STAFF_TRAINING": 0.0,
        "MGR_STAFF_TURNOVER": 1.8,
        "MGR_STAFF_MORALE": 1.0,
        "MGR_TEAM_BUILDING": 90.0,
        "MGR_ANALYSIS": 90.0,
        "MGR_COMMUNICATION": 90.0,
        "MGR_INNOVATION": 90.0,
        "MGR_INTEGRITY": 0.0,
    },
}
# Over the summer the second team (张伟's) was still getting used to the new ticket
# system: its representatives' form is lower in the months before October.
HISTORY_FORM_SHIFT = {"hr_kpi_service.employee_zhang_wei_demo": -0.4}
# Typing tests (characters per minute) of the seed's example B (75: three stars).
SEED_SKILLS = {"hr_kpi_service.employee_zhao_min_demo": 75.0}


def rng(*keys):
    """A random generator seeded with `keys`: the same draws on every install."""
    return random.Random(":".join(str(key) for key in keys))


def employee_form(employee):
    """How good an employee usually is, 0.1..0.95, from his badge number."""
    badge = employee.barcode or employee.id
    return round(0.1 + 0.85 * rng(badge, "form").random(), 4)


def skill(env, employee, quarter):
    """The quarter's typing test (characters per minute), following the form."""
    for xmlid, score in SEED_SKILLS.items():
        if employee == env.ref(xmlid, raise_if_not_found=False):
            return score
    draw = rng(employee.barcode or employee.id, quarter.date_from, "skill")
    form = (employee_form(employee) - 0.1) / 0.85  # 0..1
    return float(round(62 + 30 * form + draw.uniform(-3, 3)))


def month_values(env, evaluations, form_shift=None):
    """{"form": {employee id: 0..1}, "line": {evaluation line id: value},
    "fixed": {employee id: {indicator code: value}}}.

    An employee's form (how good his month was) comes from his badge, moved by
    `form_shift` ({lead xmlid: shift} for his team); every value follows it with
    a little noise. A team lead's team figures are the sums and means of his
    representatives' figures. The employees of SEED_VALUES get those values.
    """
    forms = {employee.id: employee_form(employee) for employee in evaluations.employee_id}
    for lead_xmlid, shift in (form_shift or {}).items():
        lead = env.ref(lead_xmlid, raise_if_not_found=False)
        for member in lead.child_ids if lead else []:
            if member.id in forms:
                forms[member.id] = round(min(max(forms[member.id] + shift, 0.0), 1.0), 4)
    fixed = {}
    for xmlid, codes in SEED_VALUES.items():
        employee = env.ref(xmlid, raise_if_not_found=False)
        if employee:
            fixed[employee.id] = codes
    line_values = {}
    by_employee_code = {}
    # Representatives first: their leads' team figures are built from them.
    ordered = evaluations.sorted(lambda e: bool(e.employee_id.child_ids))
    for evaluation in ordered:
        employee = evaluation.employee_id
        trial = on_trial(employee, evaluation.period_id)
        for line in evaluation.line_ids:
            code = line.indicator_id.code or str(line.indicator_id.id)
            draw = rng(employee.barcode or employee.id, evaluation.period_id.date_from, code)
            value = _team_value(code, employee, by_employee_code)
            if value is None:
                value = _value(line.indicator_id, code, forms[employee.id], draw, trial)
            value = fixed.get(employee.id, {}).get(code, value)
            line_values[line.id] = value
            by_employee_code[(employee.id, code)] = value
    return {"form": forms, "line": line_values, "fixed": fixed}


def on_trial(employee, period):
    contract = employee.sudo().contract_id
    return bool(contract.trial_date_end and contract.trial_date_end >= period.date_from)


def _team_value(code, employee, by_employee_code):
    team = employee.child_ids
    if code == "LEAD_TEAM_WORKLOAD":
        calls = [by_employee_code.get((rep.id, "REP_WORKLOAD")) for rep in team]
        calls = [value for value in calls if value is not None]
        return float(sum(calls)) if calls else None
    if code == "LEAD_TEAM_SATISFACTION":
        rates = [by_employee_code.get((rep.id, "REP_SATISFACTION")) for rep in team]
        rates = [value for value in rates if value is not None]
        return round(sum(rates) / len(rates), 1) if rates else None
    return None


def _value(indicator, code, form, draw, trial=False):
    """A plausible actual value of `indicator` for an employee of `form` (0..1)."""

    def spread(worst, best, noise=0.0, digits=1):
        value = worst + (best - worst) * form + draw.uniform(-noise, noise)
        low, high = min(worst, best), max(worst, best)
        return round(min(max(value, low), high), digits)

    def count(worst, best=0):
        # Fewer findings for a better month; one in four months gets one more.
        value = round(worst - (worst - best) * form) + (draw.random() < 0.25)
        return float(max(value, 0))

    known = {
        # Representatives (one month of calls and tickets)
        "REP_WORKLOAD": lambda: float(
            round(spread(760, 860, 30, 0)) if trial else round(spread(880, 1180, 40, 0))
        ),
        "REP_ERROR_RATE": lambda: spread(2.2, 0.3, 0.2, 2),
        "REP_SEAT_OCCUPANCY": lambda: spread(88, 99.5, 1.5),
        "REP_COMPLAINT_HANDLING": lambda: 100.0 if form > 0.7 else spread(86, 100, 2),
        "REP_SATISFACTION": lambda: spread(88, 99.5, 1.5),
        "REP_CALLBACK_AUTHENTICITY": lambda: count(2),
        "REP_DAILY_TASKS": lambda: spread(72, 97, 3, 0),
        "REP_REPORT_TRUTHFULNESS": lambda: count(1),
        "REP_AUDIT_PENALTY": lambda: float(draw.choice((0, 0, 2, 3)) if form < 0.5 else 0),
        # Team leads
        "LEAD_SEAT_COVERAGE": lambda: spread(92, 99, 1),
        "LEAD_FLOOR_PATROL": lambda: count(2),
        "LEAD_HANDOVER": lambda: count(1),
        "LEAD_ATTITUDE_COMPLAINTS": lambda: count(1),
        "LEAD_TRAINING_SESSIONS": lambda: float(round(spread(3, 5, 0.4, 0))),
        "LEAD_TRAINING_PASS_RATE": lambda: spread(86, 98, 1.5),
        "LEAD_REPORT_TIMELINESS": lambda: 100.0 if form > 0.6 else spread(90, 100, 2),
        "LEAD_DAILY_MANAGEMENT": lambda: spread(80, 95, 2, 0),
        # Department manager
        "MGR_BUSINESS_TARGETS": lambda: spread(96, 108, 2),
        "MGR_TASK_COMPLETION": lambda: spread(92, 100, 1),
        "MGR_NO_MAJOR_INCIDENT": lambda: 1.0,
        "MGR_WORK_PROCEDURES": lambda: count(1),
        "MGR_WEEKLY_MEETING": lambda: 0.0,
        "MGR_STAFF_TRAINING": lambda: count(1),
        "MGR_STAFF_TURNOVER": lambda: spread(3.5, 1.2, 0.3, 1),
        "MGR_STAFF_MORALE": lambda: count(1),
        "MGR_TEAM_BUILDING": lambda: spread(80, 95, 3, 0),
        "MGR_ANALYSIS": lambda: spread(80, 92, 2, 0),
        "MGR_COMMUNICATION": lambda: spread(78, 95, 3, 0),
        "MGR_INNOVATION": lambda: spread(75, 90, 3, 0),
        "MGR_ATTITUDE": lambda: spread(85, 96, 2, 0),
        "MGR_INTEGRITY": lambda: 0.0,
    }
    if code in known:
        return known[code]()
    return _generic_value(indicator, form, draw)


def _generic_value(indicator, form, draw):
    """A value for an indicator the demo does not know (a changed scheme)."""
    method = indicator.scoring_method
    target = indicator.target or 0.0
    higher = indicator.direction != "lower"
    if method in ("deduction", "escalating"):
        return float(round(2 - 2 * form))
    if method == "penalty":
        return 0.0
    if method == "veto":
        return 1.0
    if method == "manual":
        low, high = indicator.manual_min, indicator.manual_max or 100.0
        return round(low + (high - low) * (0.7 + 0.25 * form), 0)
    if method == "likert":
        top = float(indicator.likert_scale or 5)
        return round(top * (0.7 + 0.25 * form), 2)
    if target:
        factor = 0.9 + 0.2 * form if higher else 1.1 - 0.2 * form
        return round(target * factor + draw.uniform(-0.01, 0.01) * target, 2)
    return 0.0


def rater_value(values, evaluation_line, rater):
    """The value one rater gives: raters of a shared line (peers, subordinates)
    differ a little around the employee's value."""
    value = values["line"][evaluation_line.id]
    fixed = values["fixed"].get(evaluation_line.employee_id.id, {})
    if (
        evaluation_line.rater_role not in ("peer", "subordinate")
        or (evaluation_line.scoring_method != "manual")
        or evaluation_line.indicator_id.code in fixed
    ):
        return value
    indicator = evaluation_line.indicator_id
    evaluated = evaluation_line.employee_id
    draw = rng(
        rater.barcode or rater.id,
        evaluated.barcode or evaluated.id,
        evaluation_line.evaluation_id.period_id.date_from,
        indicator.code or indicator.id,
    )
    high = indicator.manual_max or 100.0
    return float(min(max(round(value + draw.uniform(-4, 4)), indicator.manual_min), high))
