from odoo import api, fields, models

from .kpi_policy import KpiPolicy

CORRECTION_KINDS = [
    ("typed", "Typed value corrected"),
    ("override", "Sourced value overridden"),
    ("release", "Override removed"),
    ("facts", "Re-read from the corrected records"),
]


class HrKpiEvaluationCorrection(models.Model):
    """One correction of an evaluation line by HR (更正), after an upheld appeal or a
    reopen: the value before and after, the evaluation's score before and after, the
    kind, the reason, who and when.

    Made only by ``hr.kpi.evaluation.line.action_correct`` (a KPI officer, in HR
    review, never on his own evaluation: four-eyes), which writes it as the system
    after its checks, with the values it computed (the policy's ``system_owned``:
    users read corrections, nobody creates or changes one by hand); never changed or
    deleted afterwards, by the superuser either: a correction is always history.

    The officer who corrects may be the one who upheld the appeal: seed 003 (六、申诉与
    复核) has the HR department receive the appeal, organise the review and decide it
    finally; carrying out its own final decision is the same department's duty, and a
    company with one KPI officer must be able to do it. Four-eyes is kept where the
    seeds put it: nobody decides, corrects or approves about himself.
    """

    _name = "hr.kpi.evaluation.correction"
    _description = "KPI Evaluation Correction"
    _inherit = ["hr.kpi.protected.mixin"]
    _order = "correction_date desc, id desc"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        system_owned=True,
        locked_when="_kpi_history",
        unlink="action",
    )

    evaluation_id = fields.Many2one(
        "hr.kpi.evaluation", required=True, index=True, ondelete="restrict", readonly=True
    )
    line_id = fields.Many2one(
        "hr.kpi.evaluation.line",
        string="Indicator Line",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    indicator_id = fields.Many2one(related="line_id.indicator_id")
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    employee_id = fields.Many2one(related="evaluation_id.employee_id", store=True, index=True)
    kind = fields.Selection(
        CORRECTION_KINDS, string="Correction Type", required=True, readonly=True
    )
    old_has_value = fields.Boolean(string="Had a Value", readonly=True)
    old_value = fields.Float(string="Value Before", digits=(16, 4), readonly=True)
    new_has_value = fields.Boolean(string="Has a Value", readonly=True)
    new_value = fields.Float(string="Value After", digits=(16, 4), readonly=True)
    score_before = fields.Float(digits=(16, 2), readonly=True, aggregator=None)
    score_after = fields.Float(digits=(16, 2), readonly=True, aggregator=None)
    reason = fields.Text(required=True, readonly=True)
    source_note = fields.Text(
        string="Source Records",
        readonly=True,
        help="The records the line's value was read from when it was corrected.",
    )
    appeal_id = fields.Many2one(
        "hr.kpi.appeal",
        string="Upheld Appeal",
        readonly=True,
        ondelete="set null",
        check_company=True,
        help="The upheld appeal this correction carries out, if any.",
    )
    corrected_by_id = fields.Many2one("res.users", required=True, readonly=True)
    correction_date = fields.Datetime(string="Corrected On", required=True, readonly=True)

    @api.depends("line_id.indicator_id.name", "old_value", "new_value", "kind")
    def _compute_display_name(self):
        for correction in self:
            correction.display_name = self.env._(
                "%(indicator)s: %(old)s → %(new)s",
                indicator=correction.line_id.indicator_id.name or "",
                old=correction._value_text(correction.old_has_value, correction.old_value),
                new=correction._value_text(correction.new_has_value, correction.new_value),
            )

    def _value_text(self, has_value, value):
        if not has_value:
            return "-"
        return self.line_id._format_value(value) if self.line_id else f"{value:g}"

    def _kpi_history(self):
        """Every correction is history (the policy's lock)."""
        return self

    def _kpi_locked_message(self, locked, fnames):
        return self.env._("A correction is kept as it was made; make a new correction instead.")

    def _kpi_unlink_message(self):
        return self.env._("A correction is kept as it was made; make a new correction instead.")

    def _kind_label(self):
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def _chatter_text(self):
        """The note posted on the evaluation."""
        self.ensure_one()
        text = self.env._(
            "Correction of %(indicator)s by %(user)s (%(kind)s): %(old)s → %(new)s; score "
            "%(before).2f → %(after).2f. Reason: %(reason)s",
            indicator=self.line_id.indicator_id.name,
            user=self.corrected_by_id.name,
            kind=self._kind_label(),
            old=self._value_text(self.old_has_value, self.old_value),
            new=self._value_text(self.new_has_value, self.new_value),
            before=self.score_before,
            after=self.score_after,
            reason=self.reason,
        )
        if self.source_note:
            text += " " + self.env._("Source: %(records)s", records=self.source_note)
        return text
