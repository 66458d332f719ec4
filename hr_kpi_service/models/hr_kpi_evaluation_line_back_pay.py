"""Back-pay facts (seed 000 补发): the months of each indicator that the pay run of a
month pays back, read for a batch of payslips in a constant number of queries."""

from collections import defaultdict
from datetime import date

from odoo import api, models

from ..engine import (
    KpiEngineError,
    MissedMonth,
    back_paid_months,
    score_indicator,
    weighted_contribution,
)
from .hr_kpi_evaluation import APPROVED_STATES


class HrKpiEvaluationLine(models.Model):
    _inherit = "hr.kpi.evaluation.line"

    @api.model
    def _back_pay_items(self, evaluations, paying_slips):
        """{evaluation id: (MissedMonth, ...)}: the earlier months the pay run of each
        (monthly, payable) evaluation's month pays back.

        Only indicators whose quarter or year to date counts (``attainment_lenient``)
        and that are no veto item (否决项: never paid back); only months whose
        evaluation is payable and not vetoed (a vetoed month's reward is 0 and stays
        0); never a month another payslip than `paying_slips` already pays back
        (``hr.kpi.back.pay``). Each month's figures are those its evaluation line
        holds (the actual value and the person's target), as the scoring reads them.
        As superuser: the payroll bridge checks the payroll group.
        """
        evaluations = evaluations.sudo().filtered(
            lambda e: e.period_id.period_type == "monthly" and e.state in APPROVED_STATES
        )
        indicators = evaluations.line_ids.indicator_id.filtered(
            lambda i: i.attainment_lenient and not i.is_veto
        )
        if not indicators:
            return {}
        starts = evaluations.period_id.mapped("date_from")
        lines = self.sudo().search(
            [
                ("indicator_id", "in", indicators.ids),
                ("employee_id", "in", evaluations.employee_id.ids),
                ("has_actual", "=", True),
                ("evaluation_id.period_id.period_type", "=", "monthly"),
                ("evaluation_id.period_id.date_from", ">=", date(min(starts).year, 1, 1)),
                ("evaluation_id.period_id.date_from", "<=", max(starts)),
            ]
        )
        paid = set(
            self.env["hr.kpi.back.pay"]
            .sudo()
            .search(
                [
                    ("evaluation_line_id", "in", lines.ids),
                    # the payslips being computed (new ones of a form have no id yet)
                    ("payslip_id", "not in", [i for i in paying_slips._origin.ids if i]),
                ]
            )
            .evaluation_line_id.ids
        )
        # {(employee, indicator, year): {month index: line}}; the newest evaluation of a
        # month wins (one payable evaluation per month and scheme)
        by_year = defaultdict(dict)
        for line in lines.sorted("id"):
            start = line.evaluation_id.period_id.date_from
            by_year[(line.employee_id.id, line.indicator_id.id, start.year)][start.month - 1] = line
        res = {}
        for evaluation in evaluations:
            start = evaluation.period_id.date_from
            items = []
            for line in evaluation.line_ids.filtered(lambda ln: ln.indicator_id in indicators):
                known = by_year.get((evaluation.employee_id.id, line.indicator_id.id, start.year))
                if not known or not line.has_actual:
                    continue
                known = {**known, start.month - 1: line}
                items += self._missed_months(line, known, start.month - 1, paid)
            if items:
                res[evaluation.id] = tuple(items)
        return res

    @api.model
    def _missed_months(self, line, known, index, paid):
        """[MissedMonth] of one indicator that month `index` pays back."""
        indicator = line.indicator_id
        months = [
            (known[m].actual_value, known[m].target) if m in known else None
            for m in range(index + 1)
        ]
        try:
            back = back_paid_months(
                months,
                index,
                indicator.attainment_basis,
                indicator.direction,
                indicator.attainment_aggregate,
            )
        except KpiEngineError:
            return []  # a month without usable figures pays nothing back
        items = []
        for month in back:
            missed = known[month]
            evaluation = missed.evaluation_id
            if missed.id in paid or evaluation.state not in APPROVED_STATES or evaluation.vetoed:
                continue
            items.append(
                MissedMonth(
                    month + 1,
                    indicator.name,
                    missed._achieved_contribution(),
                    missed.weighted_score,
                    missed.id,
                )
            )
        return items

    def _achieved_contribution(self):
        """The weighted points this line scores when its actual value meets its
        target: what an achieved month is paid."""
        self.ensure_one()
        indicator = self.indicator_id
        params = dict(indicator._engine_params(), target=self.target)
        if self.stretch:
            params["stretch"] = self.stretch
        score = score_indicator(indicator.scoring_method, self.target, params)
        return weighted_contribution(score, self.weight)
