from collections import defaultdict

from odoo import api, models
from odoo.addons.hr_kpi_service.engine.payplan import (
    KPI_BACK,
    KPI_COMMISSION,
    KPI_STANDBY,
    KPI_TEAM,
    fmt,
)
from odoo.addons.hr_kpi_service.models.hr_payslip import (
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

from .report_kpi_common import report_lang


class ReportPayrollPayslip(models.AbstractModel):
    """Values of OCA payroll's payslip report plus its KPI appendix: the score,
    grade and star of the payslip's evaluation and each KPI input with the
    formula that produced it, in the employee's language.

    The amounts printed are the payslip's own input lines, with the formula the
    engine's pay plan wrote on each line (``kpi_explanation``); the notes (and
    the formula of a line written before the formulas were stored) come from the
    engine's pay plan on the payslip's facts (hr.payslip._kpi_input_values).

    Odoo reads a QWeb report's values from the model named ``report.`` + the
    report's name, so this model carries OCA's report name (OCA defines none for
    it: without this addon the report gets Odoo's default values, which are the
    first three keys here). A payslip whose structure has no KPI rule prints
    OCA's payslip alone (no appendix).
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
            if may_read_kpi and slip.contract_id and slip._kpi_structure_carries_kpi():
                by_dates[(slip.date_from, slip.date_to, langs[slip.id])].append(slip)
        for (date_from, date_to, lang), slips in by_dates.items():
            # the pay plan in the employee's language (award names, notes)
            slips = docs.concat(*slips).with_context(lang=lang)
            plans = slips._kpi_input_values(slips.contract_id, date_from, date_to)
            for slip in slips:
                plan = {code: plans.get((slip.contract_id.id, code)) for code in KPI_CODES}
                appendix[slip.id] = self.with_env(slip.env)._appendix(slip, plan)
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
            KPI_COMMISSION: _("Service advisor commission"),
            KPI_TEAM: _("Team reward"),
            KPI_BACK: _("Performance pay paid back"),
            KPI_STANDBY: _("Unpaid standby training"),
        }

    def _appendix(self, slip, plan):
        """{evaluation, score, grade, stars, rows, wage_formula} of one payslip;
        `plan`: {code: the engine's PayLine, or None}."""
        contract = slip.contract_id.sudo()
        evaluation = slip.sudo().kpi_evaluation_id
        amounts, stored = defaultdict(float), {}
        for line in slip.input_line_ids:
            if line.code in KPI_CODES:
                amounts[line.code] += line.amount
                stored[line.code] = line.kpi_explanation
        labels = self._labels()
        rows, terms = [], []
        for code in KPI_CODES:
            if code not in amounts:
                continue
            amount, line = amounts[code], plan.get(code)
            computed = line is not None and not slip.company_id.currency_id.compare_amounts(
                line.amount, amount
            )
            expression = line.expression if computed else ""
            note = slip._kpi_notes(line) if computed else ""
            formula = stored.get(code) or (
                f"{expression} = {fmt(amount)}" if expression else fmt(amount)
            )
            if amount or expression or note:
                rows.append(
                    {
                        "code": code,
                        "label": labels[code],
                        "formula": formula,
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
            "stars": slip.sudo().kpi_stars,
            "rows": rows,
            "wage": contract.wage,
            "wage_formula": wage_formula,
        }
