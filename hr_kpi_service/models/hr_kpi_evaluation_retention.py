"""Retention: the free text of old evaluations is anonymised (RELIABILITY #40).

A daily cron, per company: evaluations whose period ended more than
``res.company.kpi_retention_years`` ago lose their free text (the evaluation's
texts, its raters' comments, its appeals' reason and decision note, the bodies of
the chatter messages of the evaluation and its appeals, and the tracked old and new
values of text fields). Scores, grades, ranks, lines, amounts, states and payslip
links are kept. Skipped: evaluations under appeal, and evaluations linked to a
payslip (``hr.payslip.kpi_evaluation_id``) that ended less than
``kpi_payroll_retention_years`` ago. The run is idempotent (what is anonymised is
no longer selected) and writes in batch: a constant number of queries per company.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .kpi_policy import kpi_action_scope

EVALUATION_TEXT_FIELDS = ("strengths", "improvements", "improvement_plan", "reopen_reason")
# Manager-only note: anonymised as well when the evaluation model has it.
PRIVATE_TEXT_FIELDS = ("private_note",)
# An appeal's reason is required: it keeps this mark instead of the text.
ANONYMISED = "[已匿名化 / anonymised]"


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    @api.model
    def _cron_anonymise_old_texts(self):
        """Daily job (superuser): anonymise the free text past retention, company by
        company. Returns the number of evaluations whose texts were removed."""
        today = fields.Date.context_today(self)
        count = 0
        for company in self.env["res.company"].search([]):
            count += self.with_company(company)._anonymise_company_texts(company, today)
        return count

    def _retention_text_fields(self):
        return EVALUATION_TEXT_FIELDS + tuple(
            name for name in PRIVATE_TEXT_FIELDS if name in self._fields
        )

    def _retention_domain(self, company, today):
        """The company's evaluations past retention that may be anonymised."""
        cutoff = today - relativedelta(years=company.kpi_retention_years)
        payroll_cutoff = today - relativedelta(years=company.kpi_payroll_retention_years)
        return [
            ("company_id", "=", company.id),
            ("period_id.date_to", "<", cutoff),
            ("state", "!=", "appealed"),
            ("id", "not in", self._paid_recently(company, payroll_cutoff)),
        ]

    def _paid_recently(self, company, payroll_cutoff):
        """Ids of the evaluations paid by a payslip still in the payroll retention."""
        payslips = self.env["hr.payslip"].search_fetch(
            [
                ("company_id", "=", company.id),
                ("kpi_evaluation_id", "!=", False),
                ("date_to", ">=", payroll_cutoff),
            ],
            ["kpi_evaluation_id"],
        )
        return payslips.kpi_evaluation_id.ids

    def _anonymise_company_texts(self, company, today):
        """Anonymise one company's texts past retention; the number of evaluations."""
        names = self._retention_text_fields()
        domain = self._retention_domain(company, today)
        old = self.search(domain)
        if not old:
            return 0
        quiet = {"tracking_disable": True, "mail_notrack": True}
        texted = self.search(
            [
                ("id", "in", old.ids),
                *(["|"] * (len(names) - 1)),
                *((name, "!=", False) for name in names),
            ]
        )
        appeals = self.env["hr.kpi.appeal"].search([("evaluation_id", "in", old.ids)])
        ratings = self.env["hr.kpi.rating"].search(
            [("evaluation_id", "in", old.ids), ("comment", "!=", False)]
        )
        on_records = [
            "|",
            "&",
            ("model", "=", self._name),
            ("res_id", "in", old.ids),
            "&",
            ("model", "=", "hr.kpi.appeal"),
            ("res_id", "in", appeals.ids),
        ]
        messages = self.env["mail.message"].search(
            [*on_records, ("body", "!=", False), ("body", "!=", ANONYMISED)]
        )
        trackings = self.env["mail.tracking.value"].search(
            [("mail_message_id", "any", on_records), ("field_id.ttype", "=", "text")]
        )
        with kpi_action_scope(texted, ratings, appeals):
            texted.with_context(**quiet).write(dict.fromkeys(names, False))
            ratings.with_context(**quiet).write({"comment": False})
            appeals.filtered_domain(
                ["|", ("reason", "!=", ANONYMISED), ("decision_note", "!=", False)]
            ).with_context(**quiet).write({"reason": ANONYMISED, "decision_note": False})
        messages.write({"body": ANONYMISED})
        trackings.unlink()
        return len(texted)
