"""Payroll bridge, the adapter of the pay plan: the facts of a batch of payslips
in a constant number of queries, the engine's ``pay_plan`` once per
employee-month (``engine/payplan.py`` decides every amount: cuts, veto,
probation floors, deferral, rounding), its amounts and formulas as KPI inputs.
"""

from collections import defaultdict
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import (
    ContractTerms,
    KpiEngineError,
    PayMonth,
    PayRules,
    StandbyDays,
    full_attendance,
    pay_plan,
)
from .hr_kpi_star_level import LEAD
from .hr_kpi_star_review import ATTENDANCE_INCIDENT_TYPES
from .hr_payslip import (
    ABSENCE_TYPES,
    COMPLAINT_TYPES,
    INCIDENT_TYPES,
    PAYABLE_DOMAIN,
    is_payable,
)


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    # ------------------------------------------------------------------
    # Amounts
    # ------------------------------------------------------------------
    def _kpi_input_values(self, contracts, date_from, date_to):
        """{(contract id, code): engine PayLine (amount, formula)} of every KPI code,
        for the contracts' employees over the payslip dates: the engine's
        ``pay_plan`` once per employee-month.

        Every amount is rounded once, by the engine, to the company currency's
        rounding step (RELIABILITY #33), half away from zero as
        ``res.currency.round`` does.

        One contract per employee (the latest started) carries the amounts: OCA
        payroll evaluates the rules once per contract and looks inputs up by code
        only, so a second contract would pay them twice or hide them. When `self`
        holds payslips, their chosen KPI evaluation wins over the one found.
        Facts are read for all contracts at once, as superuser (the callers check
        the payroll group), with a constant number of queries.
        """
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        contracts = contracts.sudo()
        primary = {}
        for contract in contracts.sorted(lambda c: (c.date_start or date_from, c.id)):
            primary[contract.employee_id.id] = contract
        if not primary:
            return {}
        facts = self._kpi_facts(contracts, date_from, date_to)
        rules = {
            company: PayRules.from_settings(
                company._kpi_pay_settings(), rounding=company.currency_id.rounding
            )
            for company in contracts.company_id
        }
        values = {}
        for contract in primary.values():
            try:
                plan = pay_plan(
                    self._kpi_pay_month(contract, facts),
                    self._kpi_terms(contract),
                    rules[contract.company_id],
                )
            except KpiEngineError as err:
                raise UserError(
                    self.env._(
                        "KPI lines of %(employee)s: %(reason)s",
                        employee=contract.employee_id.name,
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err
            values.update({(contract.id, code): line for code, line in plan.items()})
        return values

    @api.model
    def _kpi_notes(self, line):
        """The translated notes of an engine PayLine, as one text."""
        return " ".join(
            self.env._(template, **params) for template, params in line.notes
        ).strip()

    @api.model
    def _kpi_evaluations(self, employees, companies, date_from, date_to, months=None, strict=True):
        """{employee id: evaluation}: the payable evaluation of each employee for the
        month of the dates (the month overlapping them most): the month's, or the
        quarter's where the month ends a quarter (seed 004 assesses after-sales staff
        per quarter; their quarter pays with its last month, once signed off).

        Two schemes: an employee with two payable evaluations in the month (one per
        scheme) is not paid on either silently. `strict`: refuse with a UserError
        naming both; otherwise (the payslip's displayed evaluation) leave him out.
        """
        if months is None:
            months = self._kpi_months(companies, date_from, date_to)
        if not months:
            return {}
        paid_periods = {
            company_id: month | self._kpi_quarter_ending(month)
            for company_id, month in months.items()
        }
        evaluations = (
            self.env["hr.kpi.evaluation"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("period_id", "in", [p.id for ps in paid_periods.values() for p in ps]),
                    *PAYABLE_DOMAIN,
                ],
                order="id desc",
            )
        )
        by_employee = defaultdict(lambda: self.env["hr.kpi.evaluation"])
        for evaluation in evaluations:
            if evaluation.period_id in paid_periods.get(evaluation.company_id.id, ()):
                by_employee[evaluation.employee_id.id] |= evaluation
        several = {emp: found for emp, found in by_employee.items() if len(found) > 1}
        if several and strict:
            raise UserError(
                self.env._(
                    "An employee is paid on one evaluation per month; these have several "
                    "payable evaluations (one per scheme): %(employees)s. Reopen the "
                    "evaluation that should not pay, then add the KPI lines again.",
                    employees="; ".join(
                        self.env._(
                            "%(employee)s: %(evaluations)s",
                            employee=found.employee_id.name,
                            evaluations=", ".join(
                                f"{e.display_name} ({e.scheme_id.name})" for e in found
                            ),
                        )
                        for found in several.values()
                    ),
                )
            )
        return {emp: found for emp, found in by_employee.items() if emp not in several}

    @api.model
    def _kpi_quarter_ending(self, month):
        """The quarter of `month`'s company that ends with `month` (its quarterly
        evaluations pay with this month), or an empty recordset."""
        return (
            self.env["hr.kpi.period"]
            .sudo()
            .search(
                [
                    ("company_id", "=", month.company_id.id),
                    ("period_type", "=", "quarterly"),
                    ("date_to", "=", month.date_to),
                ],
                limit=1,
            )
        )

    @api.model
    def _kpi_months(self, companies, date_from, date_to):
        """{company id: monthly KPI period} overlapping the dates most (the later on a tie)."""
        periods = (
            self.env["hr.kpi.period"]
            .sudo()
            .search(
                [
                    ("company_id", "in", companies.ids),
                    ("period_type", "=", "monthly"),
                    ("date_from", "<=", date_to),
                    ("date_to", ">=", date_from),
                ]
            )
        )

        def overlap(period):
            days = (min(period.date_to, date_to) - max(period.date_from, date_from)).days
            return (days, period.date_from)

        months = {}
        for period in periods:
            best = months.get(period.company_id.id)
            if not best or overlap(period) > overlap(best):
                months[period.company_id.id] = period
        return months

    def _kpi_facts(self, contracts, date_from, date_to):
        """Everything the pay formulas need for `contracts` (sudo), in constant queries."""
        env = self.sudo().env
        employees = contracts.employee_id
        companies = contracts.company_id
        months = self._kpi_months(companies, date_from, date_to)
        evaluations = self._kpi_evaluations(employees, companies, date_from, date_to, months)
        for slip in self.sudo():
            chosen = slip.kpi_evaluation_id
            if is_payable(chosen):
                evaluations[slip.employee_id.id] = chosen
        periods = env["hr.kpi.period"].union(
            *months.values(), *(e.period_id for e in evaluations.values())
        )
        return {
            "months": months,
            "evaluations": evaluations,
            "stars": self._kpi_star_months(employees, periods),
            "awards": self._kpi_awards(employees, periods),
            "annual": self._kpi_annual_scores(contracts, date_from, date_to),
            "incidents": self._kpi_incident_counts(employees, date_from, date_to),
            "leaves": self._kpi_leave_counts(employees, date_from, date_to),
            "pool_holders": self._kpi_pool_holders(contracts, date_from, date_to),
            "commission": env["hr.kpi.commission.month"]._groups(employees, periods),
            "team": env["hr.kpi.team.reward"]._paid_shares(employees, periods),
            "back_pay": env["hr.kpi.evaluation.line"]._back_pay_items(
                env["hr.kpi.evaluation"].union(*evaluations.values()), self
            ),
            "standby": env["hr.kpi.consequence"]._standby_decisions(employees, periods, self),
        }

    @api.model
    def _kpi_star_months(self, employees, periods):
        """{(employee id, period id): hr.kpi.star.month} (star reviews, when installed)."""
        if not periods:
            return {}
        records = (
            self.env["hr.kpi.star.month"]
            .sudo()
            .search([("employee_id", "in", employees.ids), ("period_id", "in", periods.ids)])
        )
        return {(m.employee_id.id, m.period_id.id): m for m in records}

    @api.model
    def _kpi_awards(self, employees, periods):
        """{(employee id, period id): [(award name, amount)]} of the month's awards."""
        if not periods:
            return {}
        awards = (
            self.env["hr.kpi.award"]
            .sudo()
            .search(
                [("employee_id", "in", employees.ids), ("period_id", "in", periods.ids)],
                order="id",
            )
        )
        names = dict(awards._fields["award_type"]._description_selection(self.env))
        res = defaultdict(list)
        for award in awards:
            key = (award.employee_id.id, award.period_id.id)
            res[key].append((names.get(award.award_type, award.award_type), award.amount))
        return res

    @api.model
    def _kpi_annual_scores(self, contracts, date_from, date_to):
        """{employee id: annual score} of the KPI years ending within the dates:
        the annual result (mean of the quarters), else an approved annual evaluation."""
        employees = contracts.filtered("kpi_annual_bonus_base").employee_id
        if not employees:
            return {}
        domain = [
            ("employee_id", "in", employees.ids),
            ("period_id.period_type", "=", "annual"),
            ("period_id.date_to", ">=", date_from),
            ("period_id.date_to", "<=", date_to),
        ]
        scores = {}
        evaluations = (
            self.env["hr.kpi.evaluation"]
            .sudo()
            .search([*domain, *PAYABLE_DOMAIN], order="id")
        )
        for evaluation in evaluations:
            scores[evaluation.employee_id.id] = evaluation.total_score
        for result in self.env["hr.kpi.result"].sudo().search(domain, order="id"):
            scores[result.employee_id.id] = result.score
        return scores

    @api.model
    def _kpi_incident_counts(self, employees, date_from, date_to):
        """{(employee id, type code): confirmed incidents within the dates}."""
        groups = (
            self.env["hr.kpi.incident"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("confirmed", "=", True),
                    ("type_code", "in", INCIDENT_TYPES),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["employee_id", "type_code"],
                ["__count"],
            )
        )
        return {(employee.id, code): count for employee, code, count in groups}

    @api.model
    def _kpi_leave_counts(self, employees, date_from, date_to):
        """{employee id: approved time off overlapping the dates}, of the types each
        company counts for attendance: the star review's own count (one query per
        company)."""
        Review = self.env["hr.kpi.star.review"]
        counts = {}
        for company in employees.company_id:
            counts.update(
                Review._leave_counts(
                    employees.filtered(lambda e, c=company: e.company_id == c),
                    date_from,
                    date_to,
                    company,
                )
            )
        return counts

    @api.model
    def _kpi_pool_holders(self, contracts, date_from, date_to):
        """{company id: contracts holding a profit pool position within the dates}."""
        pooled = contracts.filtered("kpi_pool_position")
        if not pooled:
            return {}
        holders = (
            self.env["hr.contract"]
            .sudo()
            .search(
                [
                    ("company_id", "in", pooled.company_id.ids),
                    ("kpi_pool_position", "!=", False),
                    ("state", "in", ("open", "close")),
                    ("date_start", "<=", date_to),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", date_from),
                ]
            )
        )
        res = defaultdict(lambda: self.env["hr.contract"])
        for contract in holders | pooled:
            res[contract.company_id.id] |= contract
        return res

    @api.model
    def _kpi_full_attendance(self, employee_id, facts, settings):
        """Seed 003 全勤, the engine's ``full_attendance`` (also the monthly awards'
        condition) on the recorded facts of one employee."""
        events, absences = self._kpi_attendance(employee_id, facts)
        return full_attendance(events, absences, settings["attendance_limit"])

    @api.model
    def _kpi_attendance(self, employee_id, facts):
        """(attendance events, absences) of one employee: approved time off, late
        arrivals and early leaves; absenteeism."""
        incidents = facts["incidents"]
        absences = sum(incidents.get((employee_id, code), 0) for code in ABSENCE_TYPES)
        events = facts["leaves"].get(employee_id, 0) + sum(
            incidents.get((employee_id, code), 0) for code in ATTENDANCE_INCIDENT_TYPES
        )
        return events, absences

    @api.model
    def _kpi_terms(self, contract):
        """The contract's KPI settings, as the engine takes them."""
        return ContractTerms(
            wage=contract.wage,
            performance_base=contract.kpi_performance_base,
            performance_method=contract.kpi_performance_method or "",
            reception_staff=contract.kpi_reception_staff,
            annual_bonus_base=contract.kpi_annual_bonus_base,
            pool_position=contract.kpi_pool_position or "",
        )

    @api.model
    def _kpi_pay_month(self, contract, facts):
        """The facts of the contract's employee-month (a PayMonth), read from `facts`."""
        employee_id = contract.employee_id.id
        evaluation = facts["evaluations"].get(employee_id)
        month = facts["months"].get(contract.company_id.id)
        # the month's facts (stars, commission, awards, ...), also when a quarter's
        # evaluation pays with its last month
        quarterly = evaluation and evaluation.period_id.period_type != "monthly"
        period = evaluation.period_id if evaluation and not quarterly else month
        star = facts["stars"].get((employee_id, period.id)) if evaluation else None
        events, absences = self._kpi_attendance(employee_id, facts)
        incidents = facts["incidents"]
        holders = facts["pool_holders"].get(contract.company_id.id, ()) if evaluation else ()
        members, own_month = (
            facts["commission"].get((employee_id, period.id), ((), None)) if period else ((), None)
        )
        return PayMonth(
            evaluated=bool(evaluation),
            score=evaluation.total_score if evaluation else 0.0,
            vetoed=bool(evaluation and evaluation.vetoed),
            stars=star.stars if star else None,
            star_pay=star.pay if star else 0.0,
            probation=bool(star and star.probation),
            lead=bool(star and star.role == LEAD),
            attendance_events=events,
            absences=absences,
            complaints=sum(incidents.get((employee_id, code), 0) for code in COMPLAINT_TYPES),
            awards=tuple(facts["awards"].get((employee_id, period.id), ())) if period else (),
            annual_score=facts["annual"].get(employee_id),
            pool_gross_profit=period.pool_gross_profit if evaluation else 0.0,
            pool_revenue=period.pool_revenue if evaluation else 0.0,
            pool_holders=tuple((h.id, h.kpi_pool_position) for h in holders),
            pool_key=contract.id,
            commission_members=members,
            commission_key=own_month,
            team_rewards=tuple(facts["team"].get((employee_id, period.id), ())) if period else (),
            back_pay=facts["back_pay"].get(evaluation.id, ()) if evaluation else (),
            **self._kpi_standby(contract, period, facts),
        )

    @api.model
    def _kpi_standby(self, contract, period, facts):
        """{standby}: the unpaid standby-training days HR decided (seed 004 待岗培训)
        that the contract's employee-month deducts: those of the month, and those of
        earlier months decided after their payslip; each with its month's working
        days on the contract's working calendar, public holidays left out (the day
        rate is the contract wage over them)."""
        decisions = [
            decision
            for decision in facts["standby"].get(contract.employee_id.id, ())
            if period and decision.standby_period_id.date_from <= period.date_from
        ]
        if not decisions:
            return {}
        calendar = contract.resource_calendar_id or contract.company_id.resource_calendar_id
        items = []
        for decision in decisions:
            month = decision.standby_period_id
            items.append(
                StandbyDays(
                    month.date_from.strftime("%Y-%m"),
                    decision.standby_days,
                    self._kpi_working_days(calendar, month),
                    late=month.date_from < period.date_from,
                    key=decision.id,
                )
            )
        return {"standby": tuple(items)}

    @api.model
    def _kpi_working_days(self, calendar, period):
        """The working days of `period` on `calendar`, public holidays left out."""
        if not calendar:
            return 0.0
        tz = pytz.timezone(calendar.tz or "UTC")
        start = tz.localize(datetime.combine(period.date_from, time.min))
        stop = tz.localize(datetime.combine(period.date_to, time.max))
        return round(calendar.get_work_duration_data(start, stop, compute_leaves=True)["days"], 2)
