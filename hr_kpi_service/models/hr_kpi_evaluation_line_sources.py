"""Where an evaluation line's value comes from, and the records that feed it.

Scoring (``hr.kpi.evaluation._compute_scores``) fills some lines itself: the lines of
a sourced indicator from the period's recorded facts (``_kpi_filled_actuals``),
the rated lines from the submitted ratings, an overridden line from HR's override.
A value typed into such a line would be replaced at the next scoring, at the latest
at approval: it is refused when typed, with a message that names the records, and
the line links to them (``action_view_sources``). A line of a reopened evaluation
changes only through a correction (``hr.kpi.evaluation.correction``), which records
who, when and why.

The records are found with the same filters as the aggregates of scoring
(``hr.kpi.evaluation._source_values``: ``hr.kpi.incident._counts``,
``hr.kpi.survey._averages``, ``hr.kpi.activity.record._totals``,
``hr.kpi.sla.record._compliance``); tests/test_kpi_corrections.py compares them.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .hr_kpi_indicator import COMPUTED_SOURCES, TEAM_SOURCES

RATED_ROLES = ("self", "superior", "peer", "subordinate", "group")
INCIDENT_SOURCES = ("incident_count", "incident_points", "ratio")
# Records named in a message; the others are counted.
NAMED_RECORDS = 5


class HrKpiEvaluationLine(models.Model):
    _inherit = "hr.kpi.evaluation.line"

    source_summary = fields.Char(
        string="Source Records",
        compute="_compute_source_summary",
        help="The records scoring reads this line's value from (the period's recorded "
        "facts, the submitted ratings or HR's override); empty when the value is typed.",
    )

    def _compute_source_summary(self):
        for line in self:
            line.source_summary = line._source_text() if line._scoring_source() else False

    # ------------------------------------------------------------------
    # What fills the value
    # ------------------------------------------------------------------
    def _scoring_source(self, rated=None):
        """What replaces a typed value of this line when it is scored: "override"
        (HR's override), "facts" (recorded facts), "ratings" (submitted ratings),
        "import" (imported, never typed), or False (the typed value stays).
        `rated`: the ids of the lines that ratings fill, when the caller read them
        for a batch (_rated_line_ids)."""
        self.ensure_one()
        if self.override_active:
            return "override"
        source = self.indicator_id.source_type
        if source in COMPUTED_SOURCES:
            return "facts"
        if source == "import":
            return "import"
        if rated is not None:
            return "ratings" if self.id in rated else False
        if self.rater_role in RATED_ROLES and self._rating_lines():
            return "ratings"
        return False

    def _rating_lines(self):
        """The submitted rating values of this line (what scoring averages): read as
        the system, so that whether a typed value would be lost never depends on
        what the typist may read; named with his own rights (_source_text)."""
        return (
            self.env["hr.kpi.rating.line"]
            .sudo()
            .search(
                [
                    ("evaluation_line_id", "=", self.id),
                    ("rating_id.state", "=", "submitted"),
                    ("has_value", "=", True),
                ]
            )
        )

    def _rated_line_ids(self):
        """The ids of these lines that submitted ratings fill (one grouped query, read
        as the system like _rating_lines)."""
        groups = (
            self.env["hr.kpi.rating.line"]
            .sudo()
            ._read_group(
                [
                    ("evaluation_line_id", "in", self.ids),
                    ("rating_id.state", "=", "submitted"),
                    ("has_value", "=", True),
                ],
                ["evaluation_line_id"],
            )
        )
        return {line.id for (line,) in groups if line.rater_role in RATED_ROLES}

    def _source_records(self):
        """The records that feed this line's value: recorded facts (incidents, survey
        cards, activity records, service-level records) or submitted ratings; an
        empty recordset for a typed or imported line. Read as the system (the counts
        scoring uses)."""
        self.ensure_one()
        source = self.indicator_id.source_type
        if source in COMPUTED_SOURCES:
            model, domain = self._facts_domain()
            return self.env[model].sudo().search(domain) if model else self.env["hr.kpi.incident"]
        if self.rater_role in RATED_ROLES:
            return self._rating_lines().rating_id
        return self.env["hr.kpi.rating"]

    def _facts_domain(self):
        """(model, domain) of the recorded facts scoring reads for this line."""
        indicator = self.indicator_id
        period = self.evaluation_id.period_id
        start, end = period.date_from, period.date_to
        source = indicator.source_type
        employees = self.employee_id
        if indicator.source_scope == "team" and source in TEAM_SOURCES:
            employees = employees.child_ids
        if source in INCIDENT_SOURCES:
            types = (
                indicator.source_incident_type_ids
                | indicator.source_major_type_ids
                | indicator.source_denominator_type_ids
            )
            return "hr.kpi.incident", [
                ("employee_id", "in", employees.ids),
                ("confirmed", "=", True),
                ("type_code", "in", types.mapped("code")),
                ("date", ">=", start),
                ("date", "<=", end),
            ]
        if source == "survey_average":
            domain = [
                ("card_type", "=", indicator.source_card_type),
                ("date", ">=", start),
                ("date", "<=", end),
            ]
            Survey = self.env["hr.kpi.survey"].sudo()
            own = [*domain, ("employee_id", "in", employees.ids)]
            if Survey.search_count(own, limit=1):
                return "hr.kpi.survey", own
            # no card about the employee: his department's cards count (_averages)
            return "hr.kpi.survey", [
                *domain,
                ("employee_id", "=", False),
                ("department_id", "in", employees.department_id.ids),
            ]
        if source in ("activity_hours", "activity_count"):
            return "hr.kpi.activity.record", [
                ("activity_type", "=", indicator.source_activity_type),
                ("date", ">=", start),
                ("date", "<=", end),
                ("participant_ids", "in", employees.ids),
            ]
        if source == "sla_compliance":
            calendar = (
                employees.company_id[:1].resource_calendar_id
                or self.env.company.resource_calendar_id
            )
            tz = pytz.timezone(calendar.tz or "UTC")

            def utc(day):
                local = tz.localize(datetime.combine(day, time.min))
                return local.astimezone(pytz.utc).replace(tzinfo=None)

            domain = [
                ("employee_id", "in", employees.ids),
                ("received", ">=", utc(start)),
                ("received", "<", utc(end + timedelta(days=1))),
            ]
            if indicator.source_sla_priority:
                domain.append(("priority", "=", indicator.source_sla_priority))
            return "hr.kpi.sla.record", domain
        return None, []

    def _source_text(self):
        """The line's source in words, naming its records: "Survey card average, 3 in
        all: …" (the names the user may read, the others counted)."""
        self.ensure_one()
        kind = self._scoring_source()
        if kind == "override":
            correction = self.correction_ids.filtered(lambda c: c.kind == "override")[:1]
            return self.env._(
                "HR's override %(value)s (%(who)s: %(reason)s)",
                value=self._format_value(self.override_value),
                who=correction.corrected_by_id.name or "",
                reason=correction.reason or "",
            )
        if kind == "import":
            return self.env._(
                "the import of indicator actuals (last written by %(user)s on %(date)s)",
                user=self.write_uid.name or "",
                date=fields.Date.to_string(self.write_date) if self.write_date else "",
            )
        records = self._source_records()
        labels = dict(self.indicator_id._fields["source_type"]._description_selection(self.env))
        origin = (
            self.env._("submitted ratings")
            if kind == "ratings"
            else labels.get(self.indicator_id.source_type, "")
        )
        readable = records.with_env(self.env)._filtered_access("read")
        names = "; ".join(readable[:NAMED_RECORDS].mapped("display_name"))
        more = len(records) - min(len(readable), NAMED_RECORDS)
        if not records:
            return self.env._(
                "no record yet (%(origin)s of %(employee)s in %(period)s)",
                origin=origin,
                employee=self.employee_id.name,
                period=self.evaluation_id.period_id.name,
            )
        text = self.env._(
            "%(origin)s, %(count)s in all: %(names)s",
            count=len(records),
            origin=origin,
            names=names,
        )
        if more > 0:
            text += self.env._(" and %(more)s more", more=more)
        return text

    def _format_value(self, value):
        digits = max(self.indicator_id.value_digits or 0, 0)
        return f"{value:.{digits}f}" if digits else f"{value:g}"

    def _check_typed_value_kept(self, rated=None):
        """Refuse a typed value that would not stay: one that scoring replaces (naming
        its records), or one of a reopened evaluation, which is corrected with a
        reason (the correction keeps who, when and why). `rated`: as _scoring_source."""
        self.ensure_one()
        kind = self._scoring_source(rated)
        indicator = self.indicator_id.name
        # AccessError, as before: nobody types them
        if kind == "override":
            raise AccessError(
                self.env._(
                    "%(indicator)s: its value is %(records)s. An officer removes the "
                    "override (Correct) before another value counts.",
                    indicator=indicator,
                    records=self._source_text(),
                )
            )
        if kind:
            raise AccessError(
                self.env._(
                    "%(indicator)s: its value comes from %(records)s, and scoring would "
                    "replace a typed value. Correct these records, or have a KPI officer "
                    "override the value with a reason (Correct, in HR review).",
                    indicator=indicator,
                    records=self._source_text(),
                )
            )
        evaluation = self.evaluation_id
        if evaluation.reopen_reason and evaluation.state == "hr_review":
            raise UserError(
                self.env._(
                    "%(evaluation)s was reopened (%(reason)s): its values change through "
                    "Correct, with a reason, so that who, when and why are kept.",
                    evaluation=evaluation.name,
                    reason=evaluation.reopen_reason,
                )
            )

    # ------------------------------------------------------------------
    # Links
    # ------------------------------------------------------------------
    def action_view_sources(self):
        """Open the records that feed this line's value."""
        self.ensure_one()
        records = self._source_records().with_env(self.env)._filtered_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sources of %(line)s", line=self.display_name),
            "res_model": records._name,
            "view_mode": "list,form",
            "domain": [("id", "in", records.ids)],
            "context": {"create": False},
        }
