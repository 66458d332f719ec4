from collections import defaultdict

from odoo import api, models
from odoo.addons.hr_kpi_service.engine import (
    check_result_table,
    complaint_rate,
    probation_score,
    result_table_rate,
)
from odoo.addons.hr_kpi_service.models.hr_payslip import (
    ATTENDANCE_INCIDENT_TYPES,
    COMPLAINT_TYPES,
    KPI_ANNUAL,
    KPI_ATT,
    KPI_AWARD,
    KPI_CODES,
    KPI_COMPLAINT,
    KPI_DEFER,
    KPI_LOW,
    KPI_PERF,
    KPI_POOL,
    KPI_STAR,
)

from .report_kpi_common import report_lang, selection_labels


def fmt(value):
    """A number as the seeds write it: 1200, 85, 1020.5 (no useless decimals)."""
    text = format(round(value or 0.0, 2), ".2f").rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class ReportPayrollPayslip(models.AbstractModel):
    """Values of OCA payroll's payslip report plus its KPI appendix: the score,
    grade and star of the payslip's evaluation and each KPI input with the
    formula that produced it, in the employee's language.

    The formulas are those of hr_kpi_service's payroll bridge
    (hr.payslip._kpi_amounts), rebuilt from the same facts it reads; the
    amounts printed are the payslip's own input lines.
    """

    _name = "report.payroll.report_payslip"
    _description = "Payslip Report with KPI Appendix"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["hr.payslip"].browse(docids)
        docs.check_access("read")
        appendix, langs = {}, {}
        may_read_kpi = self.env["hr.payslip"]._kpi_may_read()
        by_dates = defaultdict(list)
        for slip in docs:
            langs[slip.id] = report_lang(slip.employee_id)
            if may_read_kpi and slip.contract_id:
                by_dates[(slip.date_from, slip.date_to)].append(slip)
        for (date_from, date_to), slips in by_dates.items():
            slips = docs.concat(*slips)
            facts = slips._kpi_facts(slips.contract_id, date_from, date_to)
            for slip in slips:
                env = self.with_context(lang=langs[slip.id]).env
                appendix[slip.id] = self.with_env(env)._appendix(
                    slip.with_env(env), facts
                )
        return {
            "doc_ids": docs.ids,
            "doc_model": "hr.payslip",
            "docs": docs,
            "kpi_appendix": appendix,
            "kpi_lang": langs,
        }

    # ------------------------------------------------------------------
    def _labels(self):
        _ = self.env._
        return {
            KPI_STAR: _("Star performance pay"),
            KPI_PERF: _("Performance pay"),
            KPI_LOW: _("Low-score cut"),
            KPI_ATT: _("Full-attendance bonus"),
            KPI_AWARD: _("Monthly awards"),
            KPI_ANNUAL: _("Annual bonus"),
            KPI_COMPLAINT: _("Complaint cut"),
            KPI_DEFER: _("Held to year end"),
            KPI_POOL: _("Profit pool share"),
        }

    def _appendix(self, slip, facts):
        """{evaluation, score, grade, stars, rows, wage_formula} of one payslip."""
        contract = slip.contract_id.sudo()
        company = slip.company_id
        settings = company._kpi_pay_settings()
        evaluation = slip.sudo().kpi_evaluation_id
        amounts = defaultdict(float)
        for line in slip.input_line_ids:
            if line.code in KPI_CODES:
                amounts[line.code] += line.amount
        context = self._formula_context(slip, contract, evaluation, facts, settings)
        labels = self._labels()
        rows, terms = [], []
        for code in KPI_CODES:
            if code not in amounts:
                continue
            amount = amounts[code]
            expression, note = self._formula(code, amount, context)
            if amount or expression or note:
                rows.append(
                    {
                        "code": code,
                        "label": labels[code],
                        "formula": f"{expression} = {fmt(amount)}" if expression else fmt(amount),
                        "note": note,
                        "amount": amount,
                    }
                )
            if amount and code != KPI_DEFER:
                terms.append((amount, expression or fmt(abs(amount))))
        wage_formula = ""
        if contract.wage and terms:
            text = fmt(contract.wage)
            for amount, expression in terms:
                text += f" − {expression.lstrip('−')}" if amount < 0 else f" + {expression}"
            total = contract.wage + sum(amount for amount, _expr in terms)
            wage_formula = f"{text} = {fmt(total)}"
        return {
            "evaluation": evaluation,
            "score": evaluation.total_score if evaluation else 0.0,
            "grade": evaluation.grade_band_id if evaluation else False,
            "stars": context["star"].stars if context["star"] else slip.sudo().kpi_stars,
            "rows": rows,
            "wage": contract.wage,
            "wage_formula": wage_formula,
        }

    def _formula_context(self, slip, contract, evaluation, facts, settings):
        employee_id = slip.employee_id.id
        star = pay_score = None
        score = evaluation.total_score if evaluation else 0.0
        if evaluation:
            star = facts["stars"].get((employee_id, evaluation.period_id.id))
        pay_score = score
        if star and star.probation:
            pay_score = probation_score(
                score, slip._kpi_probation_floor(star)
            )
        period = evaluation.period_id if evaluation else facts["months"].get(slip.company_id.id)
        return {
            "slip": slip,
            "contract": contract,
            "evaluation": evaluation,
            "score": score,
            "pay_score": pay_score,
            "star": star,
            "period": period,
            "facts": facts,
            "settings": settings,
            "employee_id": employee_id,
        }

    def _formula(self, code, amount, ctx):
        """(expression, note) that produced `amount` for `code` (the methods below,
        one per KPI code, mirror hr.payslip._kpi_amounts)."""
        return getattr(self, f"_formula_{code.lower()}")(amount, ctx)

    def _formula_kpi_star(self, amount, ctx):
        _ = self.env._
        evaluation, star, score = ctx["evaluation"], ctx["star"], ctx["score"]
        if not star:
            return "", ""
        if evaluation.vetoed:
            return "", _("A veto item was not achieved: no star pay.")
        note = ""
        if star.probation and ctx["pay_score"] != score:
            note = _(
                "Probation: the score %(score)s counts as %(floor)s.",
                score=fmt(score),
                floor=fmt(ctx["pay_score"]),
            )
        stars = _("%(stars)s-star pay", stars=star.stars)
        return f"{fmt(star.pay)} × {fmt(ctx['pay_score'])} %", f"{stars}. {note}".strip()

    def _formula_kpi_perf(self, amount, ctx):
        _ = self.env._
        contract, settings, score = ctx["contract"], ctx["settings"], ctx["score"]
        base = contract.kpi_performance_base
        if not base or not ctx["evaluation"]:
            return "", ""
        if ctx["evaluation"].vetoed:
            return "", _("A veto item was not achieved: no performance pay.")
        if contract.kpi_performance_method == "table":
            pct, _cut = result_table_rate(score, settings["result_table"], settings["result_cut"])
            return f"{fmt(base)} × {fmt(pct)} %", _(
                "Result table: score %(score)s pays %(pct)s %% of the base.",
                score=fmt(score),
                pct=fmt(pct),
            )
        return f"{fmt(base)} × {fmt(score)} %", ""

    def _formula_kpi_low(self, amount, ctx):
        _ = self.env._
        contract, settings = ctx["contract"], ctx["settings"]
        if not amount:
            return "", ""
        if contract.kpi_performance_method == "table":
            lowest = check_result_table(settings["result_table"])[-1][0]
            return f"−{fmt(contract.wage)} × {fmt(settings['result_cut'])} %", _(
                "Score %(score)s is below %(threshold)s.",
                score=fmt(ctx["score"]),
                threshold=fmt(lowest),
            )
        paid = self._paid(ctx, (KPI_STAR, KPI_PERF))
        return f"−{fmt(paid)} × {fmt(settings['low_cut'])} %", _(
            "Score %(score)s is below %(threshold)s.",
            score=fmt(ctx["pay_score"]),
            threshold=fmt(settings["low_threshold"]),
        )

    def _formula_kpi_att(self, amount, ctx):
        if not amount:
            return "", ""
        return "", self.env._(
            "Full attendance: %(events)s attendance event(s), at most %(limit)s allowed.",
            events=self._attendance_events(ctx),
            limit=ctx["settings"]["attendance_limit"],
        )

    def _formula_kpi_award(self, amount, ctx):
        if not amount or not ctx["period"]:
            return "", ""
        awards = (
            self.env["hr.kpi.award"]
            .sudo()
            .search(
                [("employee_id", "=", ctx["employee_id"]), ("period_id", "=", ctx["period"].id)]
            )
        )
        types = selection_labels(self.env, "hr.kpi.award", "award_type")
        names = "、".join(
            f"{types.get(award.award_type, award.award_type)} {fmt(award.amount)}"
            for award in awards
        )
        expression = " + ".join(fmt(award.amount) for award in awards) if len(awards) > 1 else ""
        return expression, names

    def _formula_kpi_annual(self, amount, ctx):
        contract = ctx["contract"]
        annual = ctx["facts"]["annual"].get(ctx["employee_id"])
        if annual is None or not contract.kpi_annual_bonus_base:
            return "", ""
        return f"{fmt(contract.kpi_annual_bonus_base)} × {fmt(annual)} %", self.env._(
            "Annual score %(score)s.", score=fmt(annual)
        )

    def _formula_kpi_complaint(self, amount, ctx):
        contract, settings = ctx["contract"], ctx["settings"]
        if not amount:
            return "", ""
        incidents = ctx["facts"]["incidents"]
        complaints = sum(incidents.get((ctx["employee_id"], kind), 0) for kind in COMPLAINT_TYPES)
        rate = complaint_rate(
            complaints,
            settings["complaint_steps"],
            ctx["score"] if contract.kpi_reception_staff else None,
            settings["reception_threshold"],
            settings["reception_cut"],
        )
        commission = self._paid(ctx, (KPI_PERF,))
        return f"−{fmt(commission)} × {fmt(rate)} %", self.env._(
            "%(count)s substantiated complaint(s) in the month.", count=complaints
        )

    def _formula_kpi_defer(self, amount, ctx):
        if not amount:
            return "", ""
        commission = self._paid(ctx, (KPI_PERF,))
        wage, pct = ctx["contract"].wage, ctx["settings"]["deferral"]
        return (
            f"({fmt(commission)} − {fmt(wage)}) × {fmt(pct)} %",
            self.env._("Part of the commission above the base salary, paid at year end."),
        )

    def _formula_kpi_pool(self, amount, ctx):
        period, settings = ctx["period"], ctx["settings"]
        if not amount or not period:
            return "", ""
        return (
            f"({fmt(period.pool_gross_profit)} − {fmt(period.pool_revenue)} × "
            f"{fmt(settings['pool_ratio'])} %) × {fmt(settings['pool_pct'])} % × "
            f"{fmt(ctx['score'])} % × {self._pool_share(ctx)}",
            "",
        )

    def _paid(self, ctx, codes):
        slip = ctx["slip"]
        return sum(line.amount for line in slip.input_line_ids if line.code in codes)

    def _attendance_events(self, ctx):
        facts, employee_id = ctx["facts"], ctx["employee_id"]
        return facts["leaves"].get(employee_id, 0) + sum(
            facts["incidents"].get((employee_id, kind), 0) for kind in ATTENDANCE_INCIDENT_TYPES
        )

    def _pool_share(self, ctx):
        contract, settings = ctx["contract"], ctx["settings"]
        coefficients = settings["pool_coefficients"]
        holders = ctx["facts"]["pool_holders"].get(contract.company_id.id) or contract
        total = sum(coefficients[holder.kpi_pool_position] for holder in holders)
        return f"{fmt(coefficients[contract.kpi_pool_position])}/{fmt(total)}"
