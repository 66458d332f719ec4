from odoo import api, fields, models

RATING_OPEN_STATES = ("self_assessment", "rating")


class HrKpiRating(models.Model):
    _inherit = "hr.kpi.rating"

    kpi_due_date = fields.Date(
        string="Rating Due",
        compute="_compute_kpi_due_date",
        help="End of the period's data collection (else the period's last day).",
    )
    kpi_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_kpi_overdue",
        search="_search_kpi_overdue",
        help="Not submitted while its evaluation waits for ratings, after the due date.",
    )

    @api.depends("evaluation_id.period_id.collection_date_to", "evaluation_id.period_id.date_to")
    def _compute_kpi_due_date(self):
        for rating in self:
            period = rating.evaluation_id.period_id
            rating.kpi_due_date = period.collection_date_to or period.date_to

    @api.depends("state", "evaluation_state", "kpi_due_date")
    @api.depends_context("date")
    def _compute_kpi_overdue(self):
        today = fields.Date.to_date(self.env.context.get("date")) or fields.Date.context_today(self)
        for rating in self:
            rating.kpi_overdue = bool(
                rating.state != "submitted"
                and rating.evaluation_state in RATING_OPEN_STATES
                and rating.kpi_due_date
                and rating.kpi_due_date < today
            )

    def _search_kpi_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError
        today = fields.Date.to_date(self.env.context.get("date")) or fields.Date.context_today(self)
        overdue = [
            ("state", "!=", "submitted"),
            ("evaluation_id.state", "in", RATING_OPEN_STATES),
            "|",
            ("evaluation_id.period_id.collection_date_to", "<", today),
            "&",
            ("evaluation_id.period_id.collection_date_to", "=", False),
            ("evaluation_id.period_id.date_to", "<", today),
        ]
        if (operator == "=") == value:
            return overdue
        return [("id", "not in", self._search(overdue))]
