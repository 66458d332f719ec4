"""Recorded facts as hostile users would touch them (issue 10, item 7 and item 9).

Every test acts through ``with_user`` and checks both the clean error and that
nothing changed. Facts: incidents, survey cards and their answers, activity records
(card 3) and service-level records.
"""

import base64
import csv
import io
from contextlib import contextmanager
from datetime import date, datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP_MANAGER, GROUP_OFFICER, KpiCase

OCT_9 = date(2026, 10, 9)


class TrustFactsCase(KpiCase):
    """Two leads with one rep each, an officer who is an employee too, and a
    second company with its own officer and rep."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ctx_a = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        ctx_b = {
            "company_id": cls.other_company.id,
            "company_ids": [(6, 0, cls.other_company.ids)],
        }
        cls.lead_a = new_test_user(
            cls.env, "trust_lead_a", groups=f"base.group_user,{GROUP_MANAGER}", **ctx_a
        )
        cls.lead_b = new_test_user(
            cls.env, "trust_lead_b", groups=f"base.group_user,{GROUP_MANAGER}", **ctx_a
        )
        cls.rep_a_user = new_test_user(cls.env, "trust_rep_a", groups="base.group_user", **ctx_a)
        cls.officer_b = new_test_user(
            cls.env, "trust_officer_b", groups=f"base.group_user,{GROUP_OFFICER}", **ctx_b
        )
        cls.lead_a_emp = cls._employee("领班甲")
        cls.lead_a_emp.user_id = cls.lead_a
        cls.lead_b_emp = cls._employee("领班乙")
        cls.lead_b_emp.user_id = cls.lead_b
        cls.rep_a = cls._employee("代表甲")
        cls.rep_a.write({"parent_id": cls.lead_a_emp.id, "user_id": cls.rep_a_user.id})
        cls.rep_b = cls._employee("代表乙")
        cls.rep_b.parent_id = cls.lead_b_emp
        cls.officer_emp = cls._employee("人事专员")
        cls.officer_emp.user_id = cls.officer
        cls.rep_other = cls._employee("外司代表", department=False, company=cls.other_company)
        cls.Incident = cls.env["hr.kpi.incident"]
        cls.complaint = cls.env.ref("hr_kpi_service.incident_type_valid_complaint")
        cls.commendation = cls.env.ref("hr_kpi_service.incident_type_commendation")
        cls.card_supervisor = cls.env.ref("hr_kpi_service.survey_card_supervisor")

    @contextmanager
    def _refused(self, exception, regex):
        """Expect a clean `exception` matching `regex`; what the call wrote is rolled
        back as the RPC transaction would be, so the test can check nothing changed."""
        with self.assertRaisesRegex(exception, regex) as caught, self.env.cr.savepoint():
            yield caught

    @classmethod
    def _incident(cls, employee, incident_type, confirmed=False, points=0.0):
        incident = cls.Incident.create(
            {
                "employee_id": employee.id,
                "company_id": employee.company_id.id,
                "type_id": incident_type.id,
                "date": OCT_9,
                "points": points,
            }
        )
        if confirmed:
            incident.sudo()._kpi_write({"confirmed": True})
        return incident

    @classmethod
    def _survey(cls, employee, comment="说话太冲"):
        question = cls.card_supervisor.question_ids[:1]
        return cls.env["hr.kpi.survey"].create(
            {
                "card_id": cls.card_supervisor.id,
                "company_id": employee.company_id.id,
                "employee_id": employee.id,
                "date": OCT_9,
                "respondent": "主管",
                "comment": comment,
                "answer_ids": [(0, 0, {"question_id": question.id, "answer": "B"})],
            }
        )

    @classmethod
    def _sla(cls, employee, name):
        return cls.env["hr.kpi.sla.record"].create(
            {
                "name": name,
                "employee_id": employee.id,
                "company_id": employee.company_id.id,
                "priority": "general",
                "received": datetime(2026, 10, 9, 2, 0),
                "first_response": datetime(2026, 10, 9, 3, 0),
            }
        )

    @classmethod
    def _activity(cls, participants, company=None):
        return cls.env["hr.kpi.activity.record"].create(
            {
                "activity_type": "training",
                "company_id": (company or cls.company).id,
                "date": OCT_9,
                "hours": 2.0,
                "participant_ids": [(6, 0, participants.ids)],
            }
        )


@tagged("post_install", "-at_install")
class TestFactRecordRules(TrustFactsCase):
    """Issue 10 item 7: leads read their own org subtree only, facts included."""

    def test_lead_reads_only_his_team_sla_records(self):
        """RELIABILITY #4 (facts): a lead no longer reads every SLA record of the company."""
        own = self._sla(self.rep_a, "REQ-A")
        peer = self._sla(self.rep_b, "REQ-B")
        peer_lead = self._sla(self.lead_b_emp, "REQ-LB")
        Sla = self.env["hr.kpi.sla.record"].with_user(self.lead_a)
        self.assertEqual(Sla.search([]), own)
        self.assertEqual(Sla.search_count([("id", "in", (peer | peer_lead).ids)]), 0)
        with self.assertRaises(AccessError):
            Sla.browse(peer.id).read(["name", "compliant"])
        with self.assertRaises(AccessError):
            Sla.browse(peer.id).write({"first_response": datetime(2026, 10, 9, 2, 1)})
        self.assertEqual(peer.first_response, datetime(2026, 10, 9, 3, 0))
        # the officer reads every one of his company
        self.assertEqual(
            self.env["hr.kpi.sla.record"].with_user(self.officer).search([]),
            own | peer | peer_lead,
        )

    def test_lead_cannot_read_peer_lead_survey_cards(self):
        """RELIABILITY #4 (facts): the survey cards (and comments) about a peer lead
        stay hidden, answers included."""
        about_peer = self._survey(self.lead_b_emp, comment="对下属态度差")
        about_rep = self._survey(self.rep_a)
        Survey = self.env["hr.kpi.survey"].with_user(self.lead_a)
        self.assertEqual(Survey.search([]), about_rep)
        with self.assertRaises(AccessError):
            Survey.browse(about_peer.id).read(["comment"])
        Answer = self.env["hr.kpi.survey.answer"].with_user(self.lead_a)
        self.assertEqual(Answer.search([]), about_rep.answer_ids)
        with self.assertRaises(AccessError):
            Answer.browse(about_peer.answer_ids.id).write({"answer": "A"})
        self.assertEqual(about_peer.answer_ids.answer, "B")

    def test_survey_answers_isolated_across_companies(self):
        """RELIABILITY #13 (survey answers): no read nor write across companies."""
        survey_b = self._survey(self.rep_other)
        answer_b = survey_b.answer_ids
        Answer = self.env["hr.kpi.survey.answer"].with_user(self.officer)
        self.assertFalse(Answer.search([("id", "=", answer_b.id)]))
        with self.assertRaises(AccessError):
            Answer.browse(answer_b.id).read(["answer"])
        with self.assertRaises(AccessError):
            Answer.browse(answer_b.id).write({"answer": "E"})
        with self.assertRaises(AccessError):
            Answer.browse(answer_b.id).unlink()
        self.assertEqual(answer_b.answer, "B")
        self.assertTrue(answer_b.exists())
        # company B's officer reads it
        self.assertEqual(
            self.env["hr.kpi.survey.answer"]
            .with_user(self.officer_b)
            .with_context(allowed_company_ids=self.other_company.ids)
            .search([]),
            answer_b,
        )

    def test_activity_records_follow_the_org_chart(self):
        """RELIABILITY #4 (facts): activity records no longer carry [(1, '=', 1)]."""
        own_team = self._activity(self.rep_a)
        other_team = self._activity(self.rep_b)
        other_company = self._activity(self.rep_other, company=self.other_company)
        Activity = self.env["hr.kpi.activity.record"]
        self.assertEqual(Activity.with_user(self.lead_a).search([]), own_team)
        self.assertEqual(Activity.with_user(self.rep_a_user).search([]), own_team)
        with self.assertRaises(AccessError):
            Activity.with_user(self.lead_a).browse(other_team.id).write({"hours": 40})
        self.assertEqual(other_team.hours, 2.0)
        self.assertEqual(Activity.with_user(self.officer).search([]), own_team | other_team)
        self.assertNotIn(other_company, Activity.with_user(self.officer).search([]))

    def test_rep_reads_only_his_confirmed_incidents(self):
        """RELIABILITY #1 (facts): a rep reads his own confirmed incidents, nobody else's."""
        own = self._incident(self.rep_a, self.complaint, confirmed=True)
        draft = self._incident(self.rep_a, self.complaint)
        other = self._incident(self.rep_b, self.complaint, confirmed=True)
        Incident = self.Incident.with_user(self.rep_a_user)
        self.assertEqual(Incident.search([]), own)
        for hidden in (draft, other):
            with self.assertRaises(AccessError):
                Incident.browse(hidden.id).read(["points"])


@tagged("post_install", "-at_install")
class TestFactConfirmation(TrustFactsCase):
    """Issue 10 items 7 and 9: confirmation only through the actions, never about oneself."""

    def test_lead_cannot_create_a_confirmed_commendation_for_himself(self):
        """RELIABILITY #23: four-eyes on facts; `confirmed` is refused on create."""
        Incident = self.Incident.with_user(self.lead_a)
        before = self.Incident.search_count([("employee_id", "=", self.lead_a_emp.id)])
        with self._refused(AccessError, "workflow buttons"):
            Incident.create(
                {
                    "employee_id": self.lead_a_emp.id,
                    "type_id": self.commendation.id,
                    "date": OCT_9,
                    "confirmed": True,
                }
            )
        self.assertEqual(
            self.Incident.search_count([("employee_id", "=", self.lead_a_emp.id)]), before
        )
        # a context default does not confirm it either (the mixin drops it)
        own = Incident.with_context(default_confirmed=True).create(
            {"employee_id": self.lead_a_emp.id, "type_id": self.commendation.id}
        )
        self.assertFalse(own.confirmed)
        # and his own Confirm button refuses (four-eyes)
        with self._refused(UserError, "nobody confirms an incident about himself"):
            own.action_confirm()
        self.assertFalse(own.confirmed)
        # someone else (the officer) may
        own.with_user(self.officer).action_confirm()
        self.assertTrue(own.confirmed)

    def test_lead_cannot_unconfirm_a_complaint_against_himself(self):
        """RELIABILITY #3 (facts): a plain write of `confirmed` is refused, the
        officer-only action too, and the confirmed points stay locked."""
        complaint = self._incident(self.lead_a_emp, self.complaint, confirmed=True, points=6)
        mine = self.Incident.with_user(self.lead_a).browse(complaint.id)
        with self._refused(AccessError, "Confirmed"):
            mine.write({"confirmed": False})
        with self._refused(UserError, "Only a KPI officer"):
            mine.action_unconfirm()
        with self._refused(UserError, "confirmed incident is locked"):
            mine.write({"points": 0})
        with self._refused(UserError, "confirmed incident is locked"):
            mine.write({"type_id": self.commendation.id})
        with self.assertRaises(UserError):
            mine.unlink()
        self.assertTrue(complaint.confirmed)
        self.assertEqual(complaint.points, 6)
        self.assertEqual(complaint.type_id, self.complaint)

    def test_officer_cannot_withdraw_or_confirm_about_himself(self):
        """RELIABILITY #23: the officer is an employee too."""
        about_officer = self._incident(self.officer_emp, self.complaint, confirmed=True)
        with self._refused(UserError, "about himself"):
            about_officer.with_user(self.officer).action_unconfirm()
        self.assertTrue(about_officer.confirmed)
        praise = self._incident(self.officer_emp, self.commendation)
        with self._refused(UserError, "about himself"):
            praise.with_user(self.officer).action_confirm()
        self.assertFalse(praise.confirmed)

    def test_officer_withdraws_then_corrects(self):
        """The workflow still works: withdraw, correct the points, confirm again."""
        finding = self._incident(self.rep_a, self.complaint, confirmed=True, points=5)
        finding.with_user(self.officer).action_unconfirm()
        finding.with_user(self.officer).write({"points": 2})
        finding.with_user(self.lead_a).action_confirm()
        self.assertTrue(finding.confirmed)
        self.assertEqual(finding.points, 2)

    def test_rep_cannot_confirm(self):
        """RELIABILITY #6 (facts): a rep calls the action over RPC."""
        incident = self._incident(self.rep_b, self.complaint)
        with self._refused(UserError, "Only a KPI manager or officer"):
            incident.with_user(self.rep_a_user).action_confirm()
        self.assertFalse(incident.confirmed)

    def test_lead_cannot_confirm_outside_his_team(self):
        """A lead confirms facts of his own team only (record rules on the action)."""
        incident = self._incident(self.rep_b, self.complaint)
        with self.assertRaises(AccessError):
            incident.with_user(self.lead_a).action_confirm()
        self.assertFalse(incident.confirmed)

    def test_nobody_records_a_survey_card_about_himself(self):
        """RELIABILITY #23 (issue 10 item 9): an officer who is also evaluated."""
        Survey = self.env["hr.kpi.survey"]
        before = Survey.search_count([])
        with self._refused(UserError, "nobody records a survey card about himself"):
            Survey.with_user(self.officer).create(
                {
                    "card_id": self.card_supervisor.id,
                    "employee_id": self.officer_emp.id,
                    "respondent": "自己",
                }
            )
        self.assertEqual(Survey.search_count([]), before)
        # nor answers one recorded by someone else about him
        about_officer = self._survey(self.officer_emp)
        question = self.card_supervisor.question_ids[1:2]
        with self._refused(UserError, "about himself"):
            self.env["hr.kpi.survey.answer"].with_user(self.officer).create(
                {"survey_id": about_officer.id, "question_id": question.id, "answer": "A"}
            )
        self.assertEqual(len(about_officer.answer_ids), 1)

    def _import_incidents(self, user, rows):
        stream = io.StringIO(newline="")
        writer = csv.writer(stream)
        writer.writerow(["姓名 / Name", "日期 / Date", "类型 / Type", "已确认 / Confirmed"])
        writer.writerows(rows)
        wizard = (
            self.env["hr.kpi.import"]
            .with_user(user)
            .create(
                {
                    "import_type": "incident",
                    "filename": "incidents.csv",
                    "file": base64.b64encode(stream.getvalue().encode()),
                }
            )
        )
        return wizard.action_import()

    def test_import_confirms_through_the_action(self):
        """RELIABILITY #23: a "confirmed" column is no back door. A lead importing a
        confirmed commendation about himself is refused (all or nothing); rows about
        his team are confirmed as by the Confirm button."""
        Incident = self.env["hr.kpi.incident"]
        before = Incident.search_count([])
        with self._refused(UserError, "nobody confirms an incident about himself"):
            self._import_incidents(
                self.lead_a,
                [
                    [self.rep_a.name, "2026-10-09", "valid_complaint", "否"],
                    [self.lead_a_emp.name, "2026-10-09", "commendation", "是"],
                ],
            )
        self.assertEqual(Incident.search_count([]), before)
        self._import_incidents(
            self.lead_a, [[self.rep_a.name, "2026-10-09", "valid_complaint", "是"]]
        )
        imported = Incident.search([("employee_id", "=", self.rep_a.id)])
        self.assertEqual(len(imported), 1)
        self.assertTrue(imported.confirmed)


@tagged("post_install", "-at_install")
class TestFactNumbers(TrustFactsCase):
    """Issue 10 item 10: NaN, infinity and absurd numbers on facts."""

    def test_nan_incident_points_refused(self):
        """RELIABILITY #18: NaN, infinity, negative and absurd points are refused."""
        Incident = self.Incident.with_user(self.officer)
        before = self.Incident.search_count([])
        for bad, limit in (
            (float("nan"), "finite"),
            (float("inf"), "finite"),
            (float("-inf"), "finite"),
            (-5, "below 0"),
            (1e7, "above 1000000"),
        ):
            with self.subTest(points=bad), self._refused(ValidationError, limit) as caught:
                Incident.create(
                    {"employee_id": self.rep_a.id, "type_id": self.complaint.id, "points": bad}
                )
            self.assertIn("Points", str(caught.exception))
        self.assertEqual(self.Incident.search_count([]), before)
        incident = self._incident(self.rep_a, self.complaint, points=3)
        with self._refused(ValidationError, "Points must be a finite number"):
            incident.with_user(self.officer).write({"points": float("nan")})
        self.assertEqual(incident.points, 3)

    def test_activity_hours_refused(self):
        """RELIABILITY #18: hours of an activity record."""
        record = self._activity(self.rep_a)
        for bad in (float("nan"), -1, 1e9):
            with self.subTest(hours=bad), self._refused(ValidationError, "Hours"):
                record.with_user(self.officer).write({"hours": bad})
        self.assertEqual(record.hours, 2.0)
