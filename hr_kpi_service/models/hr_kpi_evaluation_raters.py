from odoo import models


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    def unlink(self):
        """Deleting an evaluation deletes its ratings in PostgreSQL (ON DELETE
        CASCADE), past the ORM: their raters' to-dos go with them here."""
        rating_ids = self.rating_ids.ids
        result = super().unlink()
        if rating_ids:
            self.env["mail.activity"].sudo().search(
                [("res_model", "=", "hr.kpi.rating"), ("res_id", "in", rating_ids)]
            ).unlink()
        return result
