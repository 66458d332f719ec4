"""The lines an evaluation still misses, and where their value comes from (issue 20,
finding 2): the list a refusal opens, and a button to the records of a sourced line."""

from odoo import fields, models

from ..engine.readiness import READY

# The records each source reads: (model, its employee field, its date field).
SOURCE_MODELS = {
    "incident_count": ("hr.kpi.incident", "employee_id", "date"),
    "incident_points": ("hr.kpi.incident", "employee_id", "date"),
    "ratio": ("hr.kpi.incident", "employee_id", "date"),
    "survey_average": ("hr.kpi.survey", "employee_id", "date"),
    "activity_hours": ("hr.kpi.activity.record", "participant_ids", "date"),
    "activity_count": ("hr.kpi.activity.record", "participant_ids", "date"),
    "sla_compliance": ("hr.kpi.sla.record", "employee_id", "received"),
}


class HrKpiEvaluationLine(models.Model):
    _inherit = "hr.kpi.evaluation.line"

    readiness_note = fields.Char(
        string="Missing Because",
        compute="_compute_readiness_note",
        help="What this line still waits for: a rater, the records its value comes from, "
        "or HR in HR review.",
    )
    value_source = fields.Char(
        string="Value From",
        compute="_compute_readiness_note",
        help="Where the value of the line comes from.",
    )

    def _compute_readiness_note(self):
        reasons = {}
        for items in self.evaluation_id._readiness().values():
            reasons.update({line.id: reason for line, reason in items})
        for line in self:
            reason = reasons.get(line._origin.id or line.id, READY)
            line.readiness_note = (
                line.evaluation_id._readiness_text(line, reason) if reason != READY else False
            )
            line.value_source = line._value_source_label()

    def _value_source_label(self):
        """The indicator's source as the user reads it (with its record types)."""
        self.ensure_one()
        indicator = self.indicator_id
        label = dict(indicator._fields["source_type"]._description_selection(self.env))[
            indicator.source_type
        ]
        detail = ""
        if indicator.source_type in ("incident_count", "incident_points", "ratio"):
            detail = ", ".join(indicator.source_incident_type_ids.mapped("name"))
        elif indicator.source_type == "survey_average" and indicator.source_card_type:
            detail = dict(
                indicator._fields["source_card_type"]._description_selection(self.env)
            )[indicator.source_card_type]
        elif indicator.source_type.startswith("activity_") and indicator.source_activity_type:
            detail = dict(
                indicator._fields["source_activity_type"]._description_selection(self.env)
            )[indicator.source_activity_type]
        return f"{label} ({detail})" if detail else label

    def _action_open_missing(self):
        """The lines as a list, with what each waits for and a button to its records."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Missing Values"),
            "res_model": "hr.kpi.evaluation.line",
            "view_mode": "list",
            "views": [
                (self.env.ref("hr_kpi_service.hr_kpi_evaluation_line_view_list_missing").id, "list")
            ],
            "domain": [("id", "in", self.ids)],
            "context": {"create": False, "edit": False, "delete": False},
            "target": "current",
        }

    def action_open_value_source(self):
        """The records the value of this line is read from (the employee's, in the
        evaluation's period); an imported value: the import jobs."""
        self.ensure_one()
        source = self.indicator_id.source_type
        if source not in SOURCE_MODELS:
            return self.env["ir.actions.act_window"]._for_xml_id(
                "hr_kpi_service.action_hr_kpi_import_job"
            ) if source == "import" else {"type": "ir.actions.act_window_close"}
        model, employee_field, date_field = SOURCE_MODELS[source]
        period = self.evaluation_id.period_id
        domain = [
            (employee_field, "in", self.employee_id.ids),
            (date_field, ">=", period.date_from),
            (date_field, "<=", period.date_to),
        ]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(indicator)s: records of %(employee)s",
                indicator=self.indicator_id.name,
                employee=self.employee_id.name,
            ),
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {f"default_{employee_field}": self.employee_id.id}
            if employee_field == "employee_id"
            else {},
        }
