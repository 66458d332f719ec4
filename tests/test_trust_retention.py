"""Retention and subject access (RELIABILITY #40, issue 10).

The daily cron anonymises the free text of evaluations past each company's
retention (res.company.kpi_retention_years), keeps scores, grades and payslip
links, skips evaluations under appeal and those paid by a payslip still inside the
payroll retention, runs per company and changes nothing the second time, with a
constant number of queries. An employee reads and exports his own closed
evaluation, never the manager-private note.
"""

from datetime import date

from odoo.addons.hr_kpi_service.models.hr_kpi_evaluation_retention import ANONYMISED
from odoo.addons.hr_kpi_service.models.kpi_policy import kpi_action_scope
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP_USER, KpiCase

OLD_DAY = date(2020, 3, 10)  # older than 5 years (and than 2) on any day from 2026
RECENT_DAY = date(2026, 10, 10)
TEXTS = {
    "strengths": "耐心，客户评价高",
    "improvements": "首次响应偏慢",
    "improvement_plan": "每周复盘两次通话",
    "private_note": "家庭原因，考虑调岗",
}


@tagged("post_install", "-at_install")
class TestRetention(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._scheme([{"name": "月度绩效", "weight": 100, "scoring_method": "manual"}])
        cls.scheme_b = cls._scheme(
            [{"name": "月度绩效", "weight": 100, "scoring_method": "manual"}],
            company_id=cls.other_company.id,
        )
        cls.old_period = cls._period(OLD_DAY, cls.company)
        cls.recent_period = cls._period(RECENT_DAY, cls.company)
        cls.old_period_b = cls._period(OLD_DAY, cls.other_company)
        cls.rep = cls._employee("刘洋")
        cls.rep_user = new_test_user(
            cls.env,
            "kpi_retention_rep_t",
            groups=f"base.group_user,base.group_allow_export,{GROUP_USER}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.rep.user_id = cls.rep_user
        cls.paid_rep = cls._employee("陈静")
        cls.appealing_rep = cls._employee("杨帆")
        cls.rep_b = cls._employee("外司员工", company=cls.other_company, department=False)
        cls.old = cls._closed(cls.rep, cls.old_period, 88.5, with_appeal=True)
        cls.paid = cls._closed(cls.paid_rep, cls.old_period, 91.0)
        cls.appealed = cls._closed(cls.appealing_rep, cls.old_period, 70.0, state="appealed")
        cls.recent = cls._closed(cls.rep, cls.recent_period, 95.0)
        cls.old_b = cls._closed(cls.rep_b, cls.old_period_b, 80.0, scheme=cls.scheme_b)
        # Company A keeps payroll records 10 years: the 2020 payslip protects its evaluation.
        cls.company.write({"kpi_retention_years": 5, "kpi_payroll_retention_years": 10})
        cls.other_company.write({"kpi_retention_years": 10})
        cls.payslip = cls.env["hr.payslip"].create(
            {
                "employee_id": cls.paid_rep.id,
                "company_id": cls.company.id,
                "date_from": date(2020, 3, 1),
                "date_to": date(2020, 3, 31),
            }
        )

    @classmethod
    def _period(cls, day, company):
        return cls.env["hr.kpi.period"].with_company(company)._get_or_create(
            day, "monthly", company
        )

    @classmethod
    def _closed(cls, employee, period, score, state="closed", with_appeal=False, scheme=None):
        """An evaluation with free text everywhere, moved to `state` (superuser set-up)."""
        scheme = scheme or cls.scheme
        evaluation = cls.env["hr.kpi.evaluation"].create(
            {
                "employee_id": employee.id,
                "scheme_id": scheme.id,
                "period_id": period.id,
                "company_id": period.company_id.id,
                "department_id": employee.department_id.id,
                "line_ids": [
                    (0, 0, {"indicator_id": indicator.id, "weight": indicator.weight})
                    for indicator in scheme.indicator_ids
                ],
                **TEXTS,
            }
        )
        evaluation.write({"reopen_reason": "复核客户录音后重新评分", "total_score": score})
        evaluation.write({"state": state})
        cls.env["hr.kpi.rating"].create(
            {
                "evaluation_id": evaluation.id,
                "role": "superior",
                "rater_employee_id": cls._boss(period.company_id).id,
                "comment": "态度积极，但记录不完整",
            }
        )
        evaluation.message_post(body="Reopened by 王建国: 复核客户录音后重新评分")
        if with_appeal:
            appeal = cls.env["hr.kpi.appeal"].create(
                {
                    "evaluation_id": evaluation.id,
                    "reason": "投诉不属实，有录音为证",
                    "state": "rejected",
                }
            )
            with kpi_action_scope(appeal):  # HR's decision, as its action writes it
                appeal.write({"decision_note": "录音显示确有不当"})
            # the tracked change of the decision note, as mail.thread logs it
            field = cls.env["ir.model.fields"]._get("hr.kpi.appeal", "decision_note")
            appeal._message_log(
                tracking_value_ids=[
                    (0, 0, {"field_id": field.id, "new_value_text": appeal.decision_note})
                ]
            )
            appeal.message_post(body="Appeal lodged: 投诉不属实，有录音为证")
        return evaluation

    @classmethod
    def _boss(cls, company):
        """The rater of the fixtures' ratings, one per company."""
        bosses = cls.__dict__.get("_bosses") or {}
        if company not in bosses:
            bosses[company] = cls._employee("王建国", company=company, department=False)
        cls._bosses = bosses
        return bosses[company]

    def _texts(self, evaluation):
        return {name: evaluation[name] for name in TEXTS}

    def _bodies(self, records):
        return self.env["mail.message"].search(
            [("model", "=", records._name), ("res_id", "in", records.ids), ("body", "!=", False)]
        ).mapped(lambda message: str(message.body))

    def test_old_texts_anonymised_scores_grades_and_links_kept(self):
        """RELIABILITY #40: the retention cron anonymises the free text of evaluations
        older than N years, keeps amounts and payslip links, skips evaluations paid
        inside the legal payroll period and those under appeal."""
        self.assertEqual(self.payslip.kpi_evaluation_id, self.paid)
        appeal = self.old.appeal_ids
        trackings = self.env["mail.tracking.value"].search(
            [("mail_message_id.model", "=", "hr.kpi.appeal"), ("mail_message_id.res_id", "=", appeal.id)]
        )
        self.assertTrue(trackings.filtered(lambda t: t.field_id.name == "decision_note"))
        scores = {e: (e.total_score, e.state) for e in self.old | self.paid | self.recent}

        count = self.env["hr.kpi.evaluation"]._cron_anonymise_old_texts()

        self.assertEqual(count, 1)
        self.assertEqual(self._texts(self.old), dict.fromkeys(TEXTS, False))
        self.assertFalse(self.old.reopen_reason)
        self.assertEqual((appeal.reason, appeal.decision_note, appeal.state), (ANONYMISED, False, "rejected"))
        self.assertEqual(self.old.rating_ids.mapped("comment"), [False])
        self.assertEqual(self.paid.rating_ids.mapped("comment"), ["态度积极，但记录不完整"])
        self.assertTrue(self._bodies(self.old))
        self.assertTrue(all(ANONYMISED in body for body in self._bodies(self.old)))
        self.assertTrue(all(ANONYMISED in body for body in self._bodies(appeal)))
        self.assertFalse(trackings.exists().filtered(lambda t: t.field_id.ttype == "text"))
        # kept: scores, states, the payslip link
        self.assertEqual({e: (e.total_score, e.state) for e in scores}, scores)
        self.assertEqual(self.old.total_score, 88.5)
        self.assertEqual(self.payslip.kpi_evaluation_id, self.paid)
        # skipped: paid inside the payroll retention, under appeal, recent, company B (10 years)
        for evaluation in (self.paid, self.appealed, self.recent, self.old_b):
            with self.subTest(evaluation=evaluation.name):
                self.assertEqual(self._texts(evaluation), TEXTS)
                self.assertEqual(evaluation.reopen_reason, "复核客户录音后重新评分")
                self.assertIn("复核客户录音", " ".join(self._bodies(evaluation)))

    def test_payslip_out_of_payroll_retention_no_longer_protects(self):
        """RELIABILITY #40: at the legal minimum (2 years) a 2020 payslip is past it."""
        self.company.kpi_payroll_retention_years = 2
        self.assertEqual(self.env["hr.kpi.evaluation"]._cron_anonymise_old_texts(), 2)
        self.assertEqual(self._texts(self.paid), dict.fromkeys(TEXTS, False))
        self.assertEqual((self.paid.total_score, self.payslip.kpi_evaluation_id), (91.0, self.paid))

    def test_second_run_changes_nothing(self):
        """RELIABILITY #40: idempotent; the second run writes nothing."""
        Evaluation = self.env["hr.kpi.evaluation"]
        self.assertEqual(Evaluation._cron_anonymise_old_texts(), 1)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT max(write_date) FROM hr_kpi_evaluation WHERE id IN %s",
            [tuple((self.old | self.paid | self.old_b).ids)],
        )
        stamp = self.env.cr.fetchone()[0]
        self.env.cr.execute("SELECT max(write_date) FROM mail_message")
        message_stamp = self.env.cr.fetchone()[0]
        self.assertEqual(Evaluation._cron_anonymise_old_texts(), 0)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT max(write_date) FROM hr_kpi_evaluation WHERE id IN %s",
            [tuple((self.old | self.paid | self.old_b).ids)],
        )
        self.assertEqual(self.env.cr.fetchone()[0], stamp)
        self.env.cr.execute("SELECT max(write_date) FROM mail_message")
        self.assertEqual(self.env.cr.fetchone()[0], message_stamp)
        self.assertEqual(self.old.appeal_ids.reason, ANONYMISED)

    def test_per_company_setting(self):
        """RELIABILITY #40: runs per company, with each company's own retention."""
        self.env["hr.kpi.evaluation"]._cron_anonymise_old_texts()
        self.assertEqual(self._texts(self.old_b), TEXTS)
        self.other_company.kpi_retention_years = 5
        self.assertEqual(self.env["hr.kpi.evaluation"]._cron_anonymise_old_texts(), 1)
        self.assertEqual(self._texts(self.old_b), dict.fromkeys(TEXTS, False))
        self.assertEqual(self.old_b.total_score, 80.0)

    def test_constant_number_of_queries(self):
        """RELIABILITY #40: batch writes, the queries do not grow with the evaluations."""
        Evaluation = self.env["hr.kpi.evaluation"]
        Evaluation._cron_anonymise_old_texts()  # the fixtures' evaluations
        period = self._period(date(2019, 6, 5), self.company)

        def queries(count):
            people = [self._employee(f"员工{count}-{n}") for n in range(count)]
            for employee in people:
                self._closed(employee, period, 75.0, with_appeal=True)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertEqual(Evaluation._cron_anonymise_old_texts(), count)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(2), queries(7))

    def test_cron_record_runs_daily_as_superuser(self):
        cron = self.env.ref("hr_kpi_service.ir_cron_hr_kpi_anonymise_old_texts")
        self.assertEqual(
            (cron.active, cron.interval_number, cron.interval_type, cron.user_id.id),
            (True, 1, "days", 1),
        )
        self.assertEqual(cron.code.strip(), "model._cron_anonymise_old_texts()")
        cron.method_direct_trigger()
        self.assertEqual(self._texts(self.old), dict.fromkeys(TEXTS, False))

    def test_retention_settings_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "0 years is outside 1 to 50 years"):
            self.company.kpi_retention_years = 0
        with self.assertRaisesRegex(
            ValidationError, "1 years is outside 2 \\(the legal minimum for wage records\\)"
        ):
            self.other_company.kpi_payroll_retention_years = 1
        self.assertEqual(
            self.env["res.company"].create({"name": "新公司"}).read(
                ["kpi_retention_years", "kpi_payroll_retention_years"]
            )[0],
            {
                "id": self.env["res.company"].search([("name", "=", "新公司")]).id,
                "kpi_retention_years": 5,
                "kpi_payroll_retention_years": 2,
            },
        )

    # ------------------------------------------------------------------
    # Subject access (RELIABILITY #40, second part)
    # ------------------------------------------------------------------
    def test_employee_reads_and_exports_own_closed_evaluation(self):
        """RELIABILITY #40: emp_a can read and export his own final evaluation,
        without the manager-private note."""
        self.env.flush_all()
        self.env.invalidate_all()
        mine = self.recent.with_user(self.rep_user)
        values = mine.read(["total_score", "state", "strengths", "improvements"])[0]
        self.assertEqual(
            (values["total_score"], values["state"], values["strengths"]),
            (95.0, "closed", TEXTS["strengths"]),
        )
        exported = mine.export_data(["total_score", "strengths", "improvement_plan"])["datas"]
        self.assertEqual(exported, [[95.0, TEXTS["strengths"], TEXTS["improvement_plan"]]])
        self.assertNotIn("private_note", mine.fields_get())
        with self.assertRaises(AccessError):
            mine.read(["private_note"])
        with self.assertRaises(AccessError):
            mine.export_data(["total_score", "private_note"])
        # not someone else's
        with self.assertRaises(AccessError):
            self.paid.with_user(self.rep_user).read(["total_score"])
        self.assertNotIn(
            self.paid.id, self.env["hr.kpi.evaluation"].with_user(self.rep_user).search([]).ids
        )
