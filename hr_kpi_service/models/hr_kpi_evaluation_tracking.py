"""The chatter of evaluations at month-end: one tracking message per evaluation and
transaction, written for the whole batch at once.

Score, veto, grade and state are tracked fields of the evaluation (payroll depends on
them). Mail logs each record's tracking with one ``mail.message`` create per record,
and each message's tracking values with another create: at 2,000 evaluations, Compute
Scores and Approve each spent 1.3 to 1.6 s there (2,000 messages, 6,000 to 8,000
tracking values; ``bench_evaluations --profile score,approve``), the largest item of
both profiles. The same rows are written here with one INSERT of the messages and one
of their tracking values: exactly the values mail's own ``_message_log_batch`` gives a
note (author and his address, the note subtype, one Message-Id and reply-to for the
batch, internal, no notification), and the tracking values mail computed. Raw SQL for
a measured reason (``bench_evaluations``: see README); the rows are those of the ORM,
which the tests compare (``tests/test_evaluation_tracking.py``).
"""

from collections import defaultdict
from contextvars import ContextVar

from markupsafe import escape

from odoo import models
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

# The tracking messages being collected by _message_track (None: log at once).
_TRACKING_LOGS = ContextVar("hr_kpi_evaluation_tracking_logs", default=None)
# Below this many messages, mail's own batch log is as quick (and used).
BULK_MESSAGES = 50


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    def _message_track(self, fields_iter, initial_values_dict):
        """Collect the tracking messages mail would log one by one, then write them
        together (``_kpi_log_tracking``)."""
        logs = []
        token = _TRACKING_LOGS.set(logs)
        try:
            tracking = super()._message_track(fields_iter, initial_values_dict)
        finally:
            _TRACKING_LOGS.reset(token)
        by_author = defaultdict(list)
        for record, kwargs in logs:
            by_author[kwargs.get("author_id")].append((record, kwargs))
        for author_id, items in by_author.items():
            self._kpi_log_tracking(author_id, items)
        return tracking

    def _message_log(self, **kwargs):
        logs = _TRACKING_LOGS.get()
        if logs is None or set(kwargs) - {"body", "author_id", "tracking_value_ids"}:
            return super()._message_log(**kwargs)
        logs.append((self, kwargs))
        return self.env["mail.message"]

    def _kpi_log_tracking(self, author_id, items):
        """Write [(evaluation, {body, tracking_value_ids})] as notes of `author_id`."""
        records = self.browse([record.id for record, _kwargs in items])
        if len(items) < BULK_MESSAGES:
            messages = records._message_log_batch(
                {record.id: kwargs.get("body", "") for record, kwargs in items},
                author_id=author_id,
            )
            self.env["mail.tracking.value"].sudo().create(
                [
                    dict(command[2], mail_message_id=message.id)
                    for message, (_record, kwargs) in zip(messages, items, strict=True)
                    for command in kwargs["tracking_value_ids"]
                ]
            )
            return messages
        author_id, email_from = self._message_compute_author(
            author_id, None, raise_on_email=False
        )
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False]
        now, uid = self.env.cr.now(), self.env.uid
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        self.env["mail.message"].flush_model()
        rows = SQL(", ").join(
            SQL("(%s, %s)", record.id, str(escape(kwargs.get("body", "") or "")))
            for record, kwargs in items
        )
        message_by_record = dict(
            (res_id, message_id)
            for message_id, res_id in self.env.execute_query(
                SQL(
                    """INSERT INTO mail_message (
                           res_id, body, model, message_type, subtype_id, is_internal,
                           author_id, email_from, reply_to, message_id, reply_to_force_new,
                           email_add_signature, date, create_uid, create_date, write_uid,
                           write_date)
                       SELECT row.res_id, row.body, %(model)s, 'notification', %(subtype)s,
                              TRUE, %(author)s, %(email_from)s, %(reply_to)s, %(message_id)s,
                              FALSE, FALSE, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                         FROM (VALUES %(rows)s) AS row(res_id, body)
                                            RETURNING id, res_id""",
                    model=self._name,
                    subtype=subtype_id,
                    author=author_id or None,
                    email_from=email_from or None,
                    reply_to=reply_to or None,
                    message_id=generate_tracking_message_id("message-notify"),
                    now=now,
                    uid=uid,
                    rows=rows,
                )
            )
        )
        tracking_rows = [
            dict(command[2], mail_message_id=message_by_record[record.id])
            for record, kwargs in items
            for command in kwargs["tracking_value_ids"]
        ]
        if tracking_rows:
            self._kpi_insert_tracking_values(tracking_rows, now, uid)
        records.invalidate_recordset(["message_ids"])
        return self.env["mail.message"].browse(sorted(message_by_record.values()))

    def _kpi_insert_tracking_values(self, rows, now, uid):
        """One INSERT of mail.tracking.value rows (the columns mail's values name)."""
        Tracking = self.env["mail.tracking.value"]
        Tracking.flush_model()
        columns = sorted({name for row in rows for name in row})
        fields = [Tracking._fields[name] for name in columns]
        values = SQL(", ").join(
            SQL(
                "(%s)",
                SQL(", ").join(
                    [
                        *(
                            field.convert_to_column_insert(row[field.name], Tracking)
                            if field.name in row
                            else None
                            for field in fields
                        ),
                        uid,
                        now,
                        uid,
                        now,
                    ]
                ),
            )
            for row in rows
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO mail_tracking_value (%s, create_uid, create_date, write_uid, "
                "write_date) VALUES %s",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                values,
            )
        )
        Tracking.invalidate_model()
