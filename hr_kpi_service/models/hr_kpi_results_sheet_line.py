from odoo import api, fields, models

from ..engine import NO_RAISE, SALARY_DOWN, rank_consequences
from .kpi_policy import KpiPolicy


class HrKpiResultsSheetLine(models.Model):
    """One employee's result as the results sheet shows it to its signers: score,
    grade and proposed consequences, copied from the evaluation when the sheet is
    drawn up or submitted (the signers read what they sign, whatever their rights on
    the evaluations)."""

    _name = "hr.kpi.results.sheet.line"
    _description = "KPI Results Sheet Line"
    _order = "sheet_id, sequence, id"
    _rec_name = "employee_name"
    _inherit = ["hr.kpi.protected.mixin"]
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        protected=(
            "sheet_id",
            "evaluation_id",
            "sequence",
            "employee_id",
            "employee_name",
            "job_name",
            "score",
            "rank_department",
            "grade_band_id",
            "consequences",
        ),
        unlink="action",
    )

    sheet_id = fields.Many2one(
        "hr.kpi.results.sheet", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="sheet_id.company_id", store=True, index=True)
    evaluation_id = fields.Many2one("hr.kpi.evaluation", ondelete="set null", index=True)
    sequence = fields.Integer(readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    # names as on the sheet: its signers read them without rights on employees or jobs
    employee_name = fields.Char(string="Name", readonly=True)
    job_name = fields.Char(string="Job Position", readonly=True)
    score = fields.Float(digits=(16, 2), readonly=True)
    rank_department = fields.Integer(
        string="Rank in Department",
        readonly=True,
        help="The result's rank in its department for the period (ties share a rank), "
        "as the period ranked it; a confirmed calibration move ranks it again.",
    )
    grade_band_id = fields.Many2one("hr.kpi.grade.band", string="Grade", readonly=True)
    consequences = fields.Text(string="Proposed Consequences", readonly=True)

    @api.model
    def _values_of(self, evaluations):
        """[line values] of `evaluations` (sudo: the caller checked its rights), best
        score first."""
        Consequence = self.env["hr.kpi.consequence"]
        labels = dict(Consequence._fields["rule"]._description_selection(self.env))
        suggested = Consequence.sudo().search(
            [("evaluation_ids", "in", evaluations.ids), ("state", "!=", "dismissed")]
        )
        ranked = {}
        for evaluation in evaluations.filtered("rank_department"):
            ranked.setdefault(evaluation.department_id, []).append(evaluation)
        values = []
        ordered = evaluations.sorted(lambda e: (-e.total_score, e.employee_id.name or ""))
        for sequence, evaluation in enumerate(ordered, start=1):
            rules = [c.rule for c in suggested if evaluation in c.evaluation_ids]
            band = evaluation.grade_band_id
            peers = ranked.get(evaluation.department_id, [])
            if evaluation in peers:
                count = max(len(peers), max(e.rank_department for e in peers))
                rules += [
                    c.rule
                    for c in rank_consequences(evaluation.id, evaluation.rank_department, count)
                    if c.rule not in rules
                ]
            if band.no_raise and NO_RAISE not in rules:
                rules.append(NO_RAISE)
            if band.salary_down and SALARY_DOWN not in rules:
                rules.append(SALARY_DOWN)
            values.append(
                {
                    "evaluation_id": evaluation.id,
                    "sequence": sequence,
                    "employee_id": evaluation.employee_id.id,
                    "employee_name": evaluation.employee_id.name,
                    "job_name": evaluation.job_id.name or "",
                    "score": evaluation.total_score,
                    "rank_department": evaluation.rank_department,
                    "grade_band_id": band.id,
                    "consequences": "; ".join(labels[rule] for rule in dict.fromkeys(rules)),
                }
            )
        return values
