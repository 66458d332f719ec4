"""Raters are told that work is waiting (issue 20, finding 5) and HR can send a
rating back (finding 3).

* Each pending rating is an activity of its rater, due at the end of the period's
  data collection (res.company ``kpi_collection_day_to``, kept on the period as
  ``collection_date_to``; else the period's last day). The activity is done when he
  submits and goes with the rating when a manager removes the rater.
* A daily cron (``_cron_remind_raters``) reminds each rater once, ``reminder days``
  before the due date (system parameter ``hr_kpi_service.rating_reminder_days``,
  default 2), and tells him once when the rating is overdue (``kpi_overdue``).
* HR (an officer, not the rater, not about his own evaluation) sends a submitted
  rating back with a reason while its evaluation is rated or in HR review; an
  evaluation in HR review goes back to rating. The rater gets a new activity.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .kpi_policy import kpi_action

RATING_OPEN_STATES = ("self_assessment", "rating")
SEND_BACK_STATES = ("rating", "hr_review")
REMINDER_DAYS_PARAM = "hr_kpi_service.rating_reminder_days"
DEFAULT_REMINDER_DAYS = 2
ACTIVITY_TYPE = "hr_kpi_service.mail_activity_type_kpi_rating"


class HrKpiRating(models.Model):
    _name = "hr.kpi.rating"
    _inherit = ["hr.kpi.rating", "mail.activity.mixin"]

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
    kpi_notice = fields.Selection(
        [("reminded", "Reminded"), ("overdue", "Told it is overdue")],
        string="Rater Notified",
        readonly=True,
        help="The daily reminder's last notice to the rater (each is sent once).",
    )

    # ------------------------------------------------------------------
    # Due and overdue
    # ------------------------------------------------------------------
    @api.depends("evaluation_id.period_id.collection_date_to", "evaluation_id.period_id.date_to")
    def _compute_kpi_due_date(self):
        for rating in self:
            period = rating.evaluation_id.period_id
            rating.kpi_due_date = period.collection_date_to or period.date_to

    def _today(self):
        # The context's date only shifts "today" for the reports' what-if views; it
        # grants nothing.
        return fields.Date.to_date(self.env.context.get("date")) or fields.Date.context_today(
            self
        )

    @api.depends("state", "evaluation_state", "kpi_due_date")
    @api.depends_context("date")
    def _compute_kpi_overdue(self):
        today = self._today()
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
        today = self._today()
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

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._schedule_rating_activities()
        return ratings

    def _schedule_rating_activities(self, note=None):
        """A to-do for the rater of each pending rating (a rater without a login is
        rated for by HR: no activity). Written by the system after the step's checks
        (a rater's to-do is not the scheduler's to own), in one batch (a month's start
        proposes thousands of ratings) and without an e-mail each: the daily reminder
        tells the raters."""
        pending = self.filtered(lambda r: r.state == "todo" and r.rater_user_id)
        if not pending:
            return
        activity_type = self.env.ref(ACTIVITY_TYPE)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": rating.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": rating.kpi_due_date or today,
                    "summary": self.env._(
                        "Rate %(employee)s (%(period)s)",
                        employee=rating.employee_id.name,
                        period=rating.period_id.name,
                    ),
                    "note": note or rating.display_name,
                    "user_id": rating.rater_user_id.id,
                }
                for rating in pending
            ]
        )

    def _finish_rating_activities(self):
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(ACTIVITY_TYPE)
        )
        if activities:
            activities.action_feedback(feedback=self.env._("Rating submitted."))

    def action_submit(self):
        result = super().action_submit()
        self._finish_rating_activities()
        return result

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    @api.model
    def _reminder_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(REMINDER_DAYS_PARAM)
        try:
            days = int(value) if value else DEFAULT_REMINDER_DAYS
        except ValueError:
            days = DEFAULT_REMINDER_DAYS
        return max(days, 0)

    @api.model
    @kpi_action
    def _cron_remind_raters(self):
        """Daily: remind each rater once `_reminder_days()` before his rating is due,
        and tell him once when it is overdue. Returns the ratings notified."""
        today = self._today()
        soon = fields.Date.add(today, days=self._reminder_days())
        pending = self.search(
            [
                ("state", "=", "todo"),
                ("evaluation_id.state", "in", RATING_OPEN_STATES),
                ("rater_user_id", "!=", False),
                ("kpi_notice", "!=", "overdue"),
            ]
        )
        notified = self.browse()
        for rating in pending:
            due = rating.kpi_due_date
            if not due:
                continue
            if due < today:
                rating._notify_rater(
                    self.env._(
                        "Your rating of %(employee)s for %(period)s was due on %(date)s and "
                        "is overdue. Please submit it now.",
                        employee=rating.employee_id.name,
                        period=rating.period_id.name,
                        date=due,
                    )
                )
                rating.kpi_notice = "overdue"
            elif due <= soon and not rating.kpi_notice:
                rating._notify_rater(
                    self.env._(
                        "Reminder: your rating of %(employee)s for %(period)s is due on "
                        "%(date)s.",
                        employee=rating.employee_id.name,
                        period=rating.period_id.name,
                        date=due,
                    )
                )
                rating.kpi_notice = "reminded"
            else:
                continue
            notified |= rating
        return notified

    def _notify_rater(self, body):
        self.ensure_one()
        partner = self.rater_user_id.partner_id
        self.message_post(
            body=body,
            partner_ids=partner.ids,
            message_type="notification",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # Sent back by HR
    # ------------------------------------------------------------------
    @kpi_action
    def action_send_back(self, reason=None):
        """Officer: reopen submitted ratings for their raters, with a reason."""
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise AccessError(self.env._("Only HR sends a rating back to its rater."))
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give a reason to send a rating back."))
        self.evaluation_id.check_access("write")
        self.evaluation_id._lock_rows()
        self.invalidate_recordset(["state", "evaluation_state"])
        for rating in self:
            if rating.employee_id.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You cannot send back a rating of your own evaluation; another "
                        "HR officer must."
                    )
                )
            if rating.rater_user_id == self.env.user:
                raise AccessError(
                    self.env._("You cannot send back your own rating; another HR officer must.")
                )
            if rating.state != "submitted":
                raise UserError(
                    self.env._(
                        "The rating of %(employee)s by %(rater)s is not submitted: there is "
                        "nothing to send back.",
                        employee=rating.employee_id.name,
                        rater=rating.rater_employee_id.name,
                    )
                )
            if rating.evaluation_state not in SEND_BACK_STATES:
                raise UserError(
                    self.env._(
                        "The evaluation of %(employee)s is past HR review: its ratings are "
                        "no longer sent back (reopen it first).",
                        employee=rating.employee_id.name,
                    )
                )
        in_review = self.evaluation_id.filtered(lambda e: e.state == "hr_review")
        if in_review:
            in_review._set_state("rating")
        self.write({"state": "todo", "kpi_notice": False})
        for rating in self:
            body = self.env._(
                "Sent back to %(rater)s by %(user)s: %(reason)s",
                rater=rating.rater_employee_id.name,
                user=self.env.user.name,
                reason=reason,
            )
            rating._notify_rater(body)
            rating.evaluation_id.message_post(body=body)
            rating._schedule_rating_activities(note=reason)
        return True

    def action_open_send_back_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Back to the Rater"),
            "res_model": "hr.kpi.rating.send.back",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rating_ids": self.ids},
        }
