from odoo import api, fields, models

from ..models.kpi_policy import KpiPolicy


class HrKpiEvaluationStep(models.TransientModel):
    """The summary of a bulk transition of evaluations: per evaluation, done or
    skipped and why (issue 20, finding 2)."""

    _name = "hr.kpi.evaluation.step"
    _inherit = ["hr.kpi.protected.mixin"]
    # A summary: its rows are what the bulk action wrote; nothing here changes pay.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "KPI Evaluations Moved in Bulk"
    _rec_name = "step"

    step = fields.Char(readonly=True)
    line_ids = fields.One2many(
        "hr.kpi.evaluation.step.line", "step_id", string="Evaluations", readonly=True
    )
    done_count = fields.Integer(string="Done", compute="_compute_counts")
    skipped_count = fields.Integer(string="Skipped", compute="_compute_counts")

    @api.depends("line_ids.done")
    def _compute_counts(self):
        for step in self:
            step.done_count = len(step.line_ids.filtered("done"))
            step.skipped_count = len(step.line_ids) - step.done_count

    @api.model
    def _open_summary(self, label, rows):
        summary = self.create(
            {
                "step": label,
                "line_ids": [
                    fields.Command.create(
                        {
                            "evaluation_id": evaluation.id,
                            "done": done,
                            "reason": reason or False,
                            "missing_line_ids": [fields.Command.set(missing.ids)]
                            if missing
                            else [],
                        }
                    )
                    for evaluation, done, reason, missing in rows
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(step)s: %(done)s done, %(skipped)s skipped",
                step=label,
                done=summary.done_count,
                skipped=summary.skipped_count,
            ),
            "res_model": self._name,
            "res_id": summary.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_close(self):
        return {"type": "ir.actions.client", "tag": "soft_reload"}
