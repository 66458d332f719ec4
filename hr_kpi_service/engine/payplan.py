"""The pay plan of one employee-month: every KPI payslip code with its formula.

``pay_plan(month, contract, rules)`` is the whole pay plan (DESIGN §7) as one
pure function: the ORM gathers the facts of a batch of payslips, calls it once
per employee-month and writes the amounts as payslip input lines.  Every
decision lives here: which cut applies when, what a veto zeroes, the probation
floor, the deferral, and rounding (once, to the currency's rounding step).

Each code gets a :class:`PayLine`: the amount, the formula that produced it
(numbers only, the same in every language: ``"1200 × 85 %"``) and notes
(English ``_lt`` templates with their parameters, translated by the caller).

>>> plan = pay_plan(PayMonth(score=85, stars=3, star_pay=1200), ContractTerms(wage=2000),
...                 PayRules())
>>> tuple(plan[KPI_STAR])
(1020.0, '1200 × 85 % = 1020')
>>> plan[KPI_ATT].amount
200.0
"""

from dataclasses import dataclass, field, replace

from .backpay import back_pay
from .commission import CommissionRules, group_commission
from .errors import _lt
from .pay import (
    ATTENDANCE_BONUS,
    CENT,
    COMPLAINT_STEPS,
    DEFERRAL_PCT,
    FULL_ATTENDANCE_LIMIT,
    LOW_SCORE_CUT_PCT,
    LOW_SCORE_THRESHOLD,
    POOL_PCT,
    POOL_RATIO_PCT,
    RECEPTION_CUT_PCT,
    RECEPTION_THRESHOLD,
    SEED_000_POOL_COEFFICIENTS,
    SEED_003_BELOW_CUT_PCT,
    SEED_003_RESULT_TABLE,
    _money,
    annual_bonus,
    check_result_table,
    complaint_cut,
    complaint_rate,
    deferral,
    full_attendance,
    low_score_cut,
    performance_pay,
    profit_pool,
    result_table_rate,
    star_pay,
)
from .paylines import PayLine, fmt, note
from .sanctions import StandbyDays, standby_deduction, standby_deductions
from .stars import LEAD_PROBATION_FLOOR, REP_PROBATION_FLOOR, probation_score

# Payslip input codes (DESIGN §7, §10: stable names).
KPI_STAR = "KPI_STAR"  # star performance pay x month score %
KPI_PERF = "KPI_PERF"  # performance pay / commission base x score % (or result table)
KPI_LOW = "KPI_LOW"  # score < 60: -30 % of the pay; result table < 70: fixed pay cut
KPI_ATT = "KPI_ATT"  # full-attendance bonus
KPI_AWARD = "KPI_AWARD"  # monthly awards
KPI_ANNUAL = "KPI_ANNUAL"  # annual bonus base x annual score %
KPI_COMPLAINT = "KPI_COMPLAINT"  # commission cut for complaints (and reception score)
KPI_DEFER = "KPI_DEFER"  # commission above the base salary held to year end (positive)
KPI_POOL = "KPI_POOL"  # profit pool share
KPI_COMMISSION = "KPI_COMMISSION"  # service advisor's commission (engine/commission.py)
KPI_TEAM = "KPI_TEAM"  # shares of approved team rewards (engine/targets.py)
KPI_BACK = "KPI_BACK"  # months missed, achieved in the quarter or year to date (engine/backpay.py)
KPI_STANDBY = "KPI_STANDBY"  # unpaid standby-training days (negative, engine/sanctions.py)
KPI_CODES = (
    KPI_STAR,
    KPI_PERF,
    KPI_LOW,
    KPI_ATT,
    KPI_AWARD,
    KPI_ANNUAL,
    KPI_COMPLAINT,
    KPI_DEFER,
    KPI_POOL,
    KPI_COMMISSION,
    KPI_TEAM,
    KPI_BACK,
    KPI_STANDBY,
)
BY_SCORE_PAY = "score"  # performance pay = base x score %
BY_RESULT_TABLE = "table"  # performance pay = base x the result table's row %


@dataclass(frozen=True)
class PayRules:
    """A company's pay rules (its KPI settings) and its currency's rounding step."""

    attendance_bonus: float = ATTENDANCE_BONUS
    attendance_limit: int = FULL_ATTENDANCE_LIMIT
    low_threshold: float = LOW_SCORE_THRESHOLD
    low_cut: float = LOW_SCORE_CUT_PCT
    complaint_steps: tuple = COMPLAINT_STEPS
    reception_threshold: float = RECEPTION_THRESHOLD
    reception_cut: float = RECEPTION_CUT_PCT
    deferral: float = DEFERRAL_PCT
    pool_ratio: float = POOL_RATIO_PCT
    pool_pct: float = POOL_PCT
    pool_coefficients: tuple = tuple(SEED_000_POOL_COEFFICIENTS.items())
    result_table: tuple = SEED_003_RESULT_TABLE
    result_cut: float = SEED_003_BELOW_CUT_PCT
    commission: CommissionRules = field(default_factory=CommissionRules)
    rounding: float = CENT

    @classmethod
    def from_settings(cls, settings, rounding=CENT):
        """The rules of a ``res.company._kpi_pay_settings()`` dictionary."""
        values = {key: value for key, value in settings.items() if key in cls.__dataclass_fields__}
        values["complaint_steps"] = tuple(values.get("complaint_steps", COMPLAINT_STEPS))
        values["pool_coefficients"] = tuple(dict(settings.get("pool_coefficients", {})).items())
        values["result_table"] = tuple(tuple(row) for row in values.get("result_table", ()))
        return cls(**values, rounding=rounding)

    def coefficient(self, position):
        return dict(self.pool_coefficients)[position]


@dataclass(frozen=True)
class ContractTerms:
    """The contract's KPI settings."""

    wage: float = 0.0
    performance_base: float = 0.0
    performance_method: str = BY_SCORE_PAY
    reception_staff: bool = False
    annual_bonus_base: float = 0.0
    pool_position: str = ""


@dataclass(frozen=True)
class PayMonth:
    """The facts of one employee-month.

    ``evaluated``: a payable (approved) monthly evaluation exists; without one only
    attendance, awards and the annual bonus are paid.  ``stars`` is None without a
    star month.  ``attendance_events`` counts approved time off, late arrivals and
    early leaves; ``awards`` are ``(name, amount)`` pairs; ``annual_score`` is None
    without an annual result.  The profit pool: the month's gross profit and
    revenue, and ``pool_holders``, the ``(key, position)`` pairs of every position
    holder of the company (this contract's is ``pool_key``).  The service
    advisor's commission: ``commission_members``, the ``(key, AdvisorMonth)``
    pairs of the advisor's group (his own is ``commission_key``), empty for
    an employee without commission facts.  ``team_rewards``: the ``(name,
    share)`` pairs of the approved team rewards paid in the month.
    ``back_pay``: the :class:`~.backpay.MissedMonth` items this month pays back
    (seed 000); ``standby_days``: unpaid standby-training days HR decided for the
    month, ``working_days`` its working days (seed 004); ``standby``: the
    :class:`~.sanctions.StandbyDays` items this month deducts instead, each at its
    own month's day rate (a month decided after its payslip included).
    """

    evaluated: bool = True
    score: float = 0.0
    vetoed: bool = False
    stars: int | None = None
    star_pay: float = 0.0
    probation: bool = False
    lead: bool = False
    attendance_events: int = 0
    absences: int = 0
    complaints: int = 0
    awards: tuple = ()
    annual_score: float | None = None
    pool_gross_profit: float = 0.0
    pool_revenue: float = 0.0
    pool_holders: tuple = ()
    pool_key: object = None
    commission_members: tuple = ()
    commission_key: object = None
    team_rewards: tuple = ()
    back_pay: tuple = ()
    standby_days: int = 0
    working_days: float = 0.0
    standby: tuple = ()


VETO_STAR = _lt("A veto item was not achieved: no star pay.")
VETO_PERF = _lt("A veto item was not achieved: no performance pay.")
VETO_COMMISSION = _lt("A veto item was not achieved: no commission.")
STAR_LEVEL = _lt("%(stars)s-star pay")
PROBATION = _lt("Probation: the score %(score)s counts as %(floor)s.")
TABLE_ROW = _lt("Result table: score %(score)s pays %(pct)s %% of the base.")
BELOW = _lt("Score %(score)s is below %(threshold)s.")
ATTENDANCE = _lt("Full attendance: %(events)s attendance event(s), at most %(limit)s allowed.")
AWARDS = "%(awards)s"  # the awards' names and amounts, nothing to translate
ANNUAL = _lt("Annual score %(score)s.")
COMPLAINTS = _lt("%(count)s substantiated complaint(s) in the month.")
DEFERRED = _lt("Part of the commission above the base salary, paid at year end.")


_note = note


def pay_plan(month, contract, rules):
    """Return ``{code: PayLine}`` for every KPI code of one employee-month.

    Seed 003 rep: ``1200 × 85 % = 1020`` star pay and the 200 full-attendance
    bonus (2000 + 1020 + 200 = 3220).  A veto zeroes the star and performance pay
    (and so their cuts); the result-table cut of the fixed pay still applies.
    """
    lines = dict.fromkeys(KPI_CODES, PayLine())
    if month.evaluated:
        lines.update(_score_lines(month, contract, rules))
    lines[KPI_ATT] = _attendance_line(month, rules)
    lines[KPI_AWARD] = _named_amounts(month.awards, rules)
    lines[KPI_TEAM] = _named_amounts(month.team_rewards, rules)
    lines[KPI_ANNUAL] = _annual_line(month, contract, rules)
    if month.back_pay and contract.performance_method == BY_SCORE_PAY:
        # months of an earlier pay run, not vetoed then: paid also under this month's veto
        lines[KPI_BACK] = back_pay(
            contract.performance_base, month.back_pay, rounding=rules.rounding
        )
    if month.standby:
        lines[KPI_STANDBY] = standby_deductions(
            contract.wage, month.standby, rounding=rules.rounding
        )
    elif month.standby_days:
        lines[KPI_STANDBY] = standby_deduction(
            contract.wage, month.working_days, month.standby_days, rounding=rules.rounding
        )
    return lines


def _pay_score(month):
    """Seed 003: a probation month counts as at least 70 (reps) or 80 (leads)."""
    if month.stars is None or not month.probation:
        return month.score
    return probation_score(month.score, LEAD_PROBATION_FLOOR if month.lead else REP_PROBATION_FLOOR)


def _score_lines(month, contract, rules):
    """The lines that follow from the month's score."""
    score, pay_score, rounding = month.score, _pay_score(month), rules.rounding
    lines = {KPI_STAR: _star_line(month, pay_score, rules)}
    lines[KPI_COMMISSION] = _advisor_line(month, rules)
    commission = lines[KPI_COMMISSION].amount
    base = contract.performance_base
    if contract.performance_method == BY_RESULT_TABLE:
        # Seed 003 department manager: a bonus share by row; below the last row no
        # bonus, and the fixed pay is cut (also under a veto).
        pct, _cut = result_table_rate(score, rules.result_table, rules.result_cut)
        lines[KPI_PERF] = _perf_line(
            month,
            base,
            pct,
            rounding,
            _note(TABLE_ROW, score=fmt(score), pct=fmt(pct)),
        )
        lowest = check_result_table(rules.result_table)[-1][0]
        cut = low_score_cut(contract.wage, score, lowest, rules.result_cut, rounding=rounding)
        lines[KPI_LOW] = PayLine(
            cut,
            f"−{fmt(contract.wage)} × {fmt(rules.result_cut)} %" if cut else "",
            _note(BELOW, score=fmt(score), threshold=fmt(lowest)) if cut else (),
        )
    else:
        lines[KPI_PERF] = _perf_line(month, base, score, rounding, ())
        commission += lines[KPI_PERF].amount
        # The cut is a share of the pay as paid (rounded), itself rounded once.
        paid = lines[KPI_STAR].amount + lines[KPI_PERF].amount
        cut = low_score_cut(paid, pay_score, rules.low_threshold, rules.low_cut, rounding=rounding)
        lines[KPI_LOW] = PayLine(
            cut,
            f"−{fmt(paid)} × {fmt(rules.low_cut)} %" if cut else "",
            _note(BELOW, score=fmt(pay_score), threshold=fmt(rules.low_threshold)) if cut else (),
        )
    # Seed 000: complaints and the year-end deferral concern the commission total
    # (the commission base x score, and the service advisor's commission).
    lines.update(_commission_lines(month, contract, commission, rules))
    lines[KPI_POOL] = _pool_line(month, contract, rules)
    return lines


def _star_line(month, pay_score, rules):
    if month.stars is None:
        return PayLine()
    if month.vetoed:
        return PayLine(0.0, "", _note(VETO_STAR))
    notes = _note(STAR_LEVEL, stars=month.stars)
    if pay_score != month.score:
        notes += _note(PROBATION, score=fmt(month.score), floor=fmt(pay_score))
    amount = star_pay(month.star_pay, pay_score, rounding=rules.rounding)
    return PayLine(amount, f"{fmt(month.star_pay)} × {fmt(pay_score)} %", notes)


def _perf_line(month, base, pct, rounding, notes):
    if not base:
        return PayLine()
    if month.vetoed:
        return PayLine(0.0, "", _note(VETO_PERF))
    amount = performance_pay(base, pct, rounding=rounding)
    return PayLine(amount, f"{fmt(base)} × {fmt(pct)} %", notes)


def _advisor_line(month, rules):
    """The service advisor's commission (seed 000 业务接待), his group's share."""
    if not month.commission_members:
        return PayLine()
    if month.vetoed:
        return PayLine(0.0, "", _note(VETO_COMMISSION))
    group = group_commission(
        dict(month.commission_members), replace(rules.commission, rounding=rules.rounding)
    )
    return group[month.commission_key]


def _commission_lines(month, contract, commission, rules):
    """KPI_COMPLAINT and KPI_DEFER of a commission (seed 000)."""
    reception = month.score if contract.reception_staff else None
    cut = complaint_cut(
        commission,
        month.complaints,
        rules.complaint_steps,
        reception,
        rules.reception_threshold,
        rules.reception_cut,
        rounding=rules.rounding,
    )
    complaint = PayLine()
    if cut:
        rate = complaint_rate(
            month.complaints,
            rules.complaint_steps,
            reception,
            rules.reception_threshold,
            rules.reception_cut,
        )
        notes = _note(COMPLAINTS, count=month.complaints) if month.complaints else ()
        if reception is not None and reception < rules.reception_threshold:
            notes += _note(BELOW, score=fmt(reception), threshold=fmt(rules.reception_threshold))
        complaint = PayLine(cut, f"−{fmt(commission)} × {fmt(rate)} %", notes)
    held = deferral(commission, contract.wage, rules.deferral, rounding=rules.rounding)
    defer = PayLine()
    if held:
        defer = PayLine(
            held,
            f"({fmt(commission)} − {fmt(contract.wage)}) × {fmt(rules.deferral)} %",
            _note(DEFERRED),
        )
    return {KPI_COMPLAINT: complaint, KPI_DEFER: defer}


def _pool_line(month, contract, rules):
    """Seed 000 profit pool: (gross profit - revenue x 34 %) x 3 % x score, split
    between the company's position holders by their coefficients (3 : 5 : 2)."""
    if not contract.pool_position or not (month.pool_gross_profit or month.pool_revenue):
        return PayLine()
    holders = dict(month.pool_holders)
    holders.setdefault(month.pool_key, contract.pool_position)
    weights = {key: rules.coefficient(position) for key, position in holders.items()}
    shares = profit_pool(
        month.pool_gross_profit,
        month.pool_revenue,
        month.score,
        weights,
        rules.pool_ratio,
        rules.pool_pct,
        rounding=rules.rounding,
    )
    own, total = weights[month.pool_key], sum(weights.values())
    expression = (
        f"({fmt(month.pool_gross_profit)} − {fmt(month.pool_revenue)} × "
        f"{fmt(rules.pool_ratio)} %) × {fmt(rules.pool_pct)} % × {fmt(month.score)} % × "
        f"{fmt(own)}/{fmt(total)}"
    )
    return PayLine(shares[month.pool_key], expression)


def _attendance_line(month, rules):
    """Seed 003 全勤: no absenteeism and at most the company's number of events."""
    if not full_attendance(month.attendance_events, month.absences, rules.attendance_limit):
        return PayLine()
    amount = _money(rules.attendance_bonus, rules.rounding)
    return PayLine(
        amount,
        "",
        _note(ATTENDANCE, events=month.attendance_events, limit=rules.attendance_limit),
    )


def _named_amounts(items, rules):
    """The month's awards (or team reward shares): ``(name, amount)`` pairs summed
    then rounded once, named in the note."""
    if not items:
        return PayLine()
    amount = _money(sum(value for _name, value in items), rules.rounding)
    expression = " + ".join(fmt(value) for _name, value in items)
    names = "、".join(f"{name} {fmt(value)}" for name, value in items)
    return PayLine(amount, expression if len(items) > 1 else "", _note(AWARDS, awards=names))


def _annual_line(month, contract, rules):
    base = contract.annual_bonus_base
    if month.annual_score is None or not base:
        return PayLine()
    amount = annual_bonus(base, month.annual_score, rounding=rules.rounding)
    return PayLine(
        amount,
        f"{fmt(base)} × {fmt(month.annual_score)} %",
        _note(ANNUAL, score=fmt(month.annual_score)),
    )


__all__ = [
    "BY_RESULT_TABLE",
    "BY_SCORE_PAY",
    "KPI_BACK",
    "KPI_CODES",
    "KPI_COMMISSION",
    "KPI_STANDBY",
    "KPI_TEAM",
    "ContractTerms",
    "PayLine",
    "PayMonth",
    "PayRules",
    "StandbyDays",
    "fmt",
    "pay_plan",
]
