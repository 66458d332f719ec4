"""Issue 19 item 9: locks as narrow as the data (RELIABILITY #39 and section H).

Two real cursors, as clients of a server with several workers, on fixtures
committed for each test and removed after it: three customer-service reps 甲 乙 丙
rated by their boss (superior) and by each other (peers), plus a value HR types.
Who locks what, and why a transaction that waited is retried with a fresh snapshot
(Odoo's transactions are REPEATABLE READ), is explained in
hr_kpi_service/models/hr_kpi_row_locks.py. Where a test says "retried", it runs
the call through ``odoo.service.model.retrying``, as Odoo's request layer does.
"""

import threading
import time
import uuid
from datetime import date
from unittest.mock import patch

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import GROUP_MANAGER, GROUP_OFFICER

ROW_LOCKS = "odoo.addons.hr_kpi_service.models.hr_kpi_row_locks"
# the tests' wait for a held row: short, the conflicts below are held on purpose
SHORT_WAIT = "400ms"


@tagged("post_install", "-at_install")
class TestNarrowLocks(TransactionCase):
    def _commit_fixtures(self):
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].create({"name": f"窄锁 {tag}"})
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            ctx = {"company_id": company.id, "company_ids": [(6, 0, company.ids)]}
            users = {
                role: new_test_user(env, f"lock_{role}_{tag}", groups=groups, **ctx)
                for role, groups in (
                    ("hr", f"base.group_user,{GROUP_OFFICER}"),
                    ("boss", f"base.group_user,{GROUP_MANAGER}"),
                    ("甲", "base.group_user"),
                    ("乙", "base.group_user"),
                    ("丙", "base.group_user"),
                )
            }
            department = env["hr.department"].create(
                {"name": f"客服部 {tag}", "company_id": company.id}
            )
            job = env["hr.job"].create({"name": f"客服 {tag}", "company_id": company.id})
            boss = env["hr.employee"].create(
                {
                    "name": "上级",
                    "company_id": company.id,
                    "department_id": department.id,
                    "user_id": users["boss"].id,
                }
            )
            reps = env["hr.employee"].create(
                [
                    {
                        "name": name,
                        "company_id": company.id,
                        "department_id": department.id,
                        "job_id": job.id,
                        "parent_id": boss.id,
                        "user_id": users[name].id,
                    }
                    for name in ("甲", "乙", "丙")
                ]
            )
            scheme = env["hr.kpi.scheme"].create(
                {"name": f"窄锁 {tag}", "company_id": company.id, "job_ids": [(6, 0, job.ids)]}
            )
            env["hr.kpi.indicator"].create(
                [
                    {
                        "scheme_id": scheme.id,
                        "name": name,
                        "weight": weight,
                        "scoring_method": "manual",
                        "rater_role": role,
                    }
                    for name, weight, role in (
                        ("上级评价", 40, "superior"),
                        ("同事评价", 40, "peer"),
                        ("人事评价", 20, "hr"),
                    )
                ]
            )
            scheme.action_activate()
            period = env["hr.kpi.period"].with_company(company)._get_or_create(
                date(2026, 10, 1), "monthly", company
            )
            evaluations = env["hr.kpi.evaluation"].with_company(company)._generate(period)
            evaluations.action_start()
            evaluations.action_to_rating()
            by_name = {e.employee_id.name: e.id for e in evaluations}
            ratings = {
                (e.employee_id.name, r.rater_employee_id.name): r.id
                for e in evaluations
                for r in e.rating_ids
            }
            ids = {
                "company": company.id,
                "users": {role: user.id for role, user in users.items()},
                "evaluations": by_name,
                "ratings": ratings,
                "period": period.id,
                "periods": period.ids + period.parent_id.ids + period.parent_id.parent_id.ids,
                "scheme": scheme.id,
                "employees": (boss | reps).ids,
                "job": job.id,
                "department": department.id,
            }
        self.addCleanup(self._remove_fixtures, ids)
        return ids

    def _remove_fixtures(self, ids):
        with self.registry.cursor() as cr:
            evaluation_ids = tuple(ids["evaluations"].values())
            cr.execute("DELETE FROM hr_kpi_evaluation WHERE id IN %s", [evaluation_ids])
            cr.execute("DELETE FROM hr_kpi_indicator WHERE scheme_id = %s", [ids["scheme"]])
            cr.execute("DELETE FROM hr_kpi_scheme WHERE id = %s", [ids["scheme"]])
            cr.execute("DELETE FROM hr_kpi_job_batch WHERE period_id IN %s", [tuple(ids["periods"])])
            cr.execute("DELETE FROM hr_kpi_period WHERE id IN %s", [tuple(ids["periods"])])
            cr.execute("DELETE FROM hr_employee WHERE id IN %s", [tuple(ids["employees"])])
            cr.execute("DELETE FROM hr_job WHERE id = %s", [ids["job"]])
            cr.execute("DELETE FROM hr_department WHERE id = %s", [ids["department"]])
            cr.execute(
                "UPDATE res_users SET active = FALSE WHERE id IN %s",
                [tuple(ids["users"].values())],
            )

    def _env(self, cr, ids, role):
        return api.Environment(
            cr, ids["users"][role], {"allowed_company_ids": [ids["company"]], "lang": "en_US"}
        )

    def _rating(self, env, ids, employee, rater):
        return env["hr.kpi.rating"].browse(ids["ratings"][(employee, rater)])

    def _read(self, ids, employee):
        """(state, score, {rater: (rating state, value)}) of `employee`'s evaluation,
        committed, read in a new cursor."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            evaluation = env["hr.kpi.evaluation"].browse(ids["evaluations"][employee])
            return (
                evaluation.state,
                evaluation.total_score,
                {
                    r.rater_employee_id.name: (r.state, r.line_ids.value)
                    for r in evaluation.rating_ids
                },
            )

    def _no_error_logged(self):
        return self.assertNoLogs("odoo", level="ERROR")

    def test_two_raters_of_one_evaluation_save_and_submit_at_once(self):
        """Issue 19 item 9, RELIABILITY section H: 乙 and 丙 rate 甲 at the same
        moment, one through the rating form (rating.write line_ids), the other on his
        values. Neither waits for the other nor is refused; both are kept."""
        ids = self._commit_fixtures()
        with (
            self.registry.cursor() as cr_b,
            self.registry.cursor() as cr_c,
            self._no_error_logged(),
        ):
            by_b = self._rating(self._env(cr_b, ids, "乙"), ids, "甲", "乙")
            by_c = self._rating(self._env(cr_c, ids, "丙"), ids, "甲", "丙")
            by_b.write({"line_ids": [(1, by_b.line_ids.id, {"value": 70})]})
            by_b.env.flush_all()  # 乙's transaction holds its locks, uncommitted
            start = time.monotonic()
            by_c.line_ids.write({"value": 90})
            by_c.action_submit()
            by_c.env.flush_all()
            self.assertLess(time.monotonic() - start, 1.0, "丙 did not wait for 乙")
            by_b.action_submit()  # while 丙's transaction is still open too
            by_b.env.flush_all()
            cr_c.commit()
            cr_b.commit()
        state, _score, ratings = self._read(ids, "甲")
        self.assertEqual(state, "rating")
        self.assertEqual(ratings["乙"], ("submitted", 70.0))
        self.assertEqual(ratings["丙"], ("submitted", 90.0))

    def _submit_superior(self, ids, employee="甲", value=100):
        with self.registry.cursor() as cr:
            superior = self._rating(self._env(cr, ids, "boss"), ids, employee, "上级")
            superior.line_ids.write({"value": value})
            superior.action_submit()

    def test_approval_waits_for_a_rater_and_reads_his_value(self):
        """RELIABILITY #39 with raters: the boss sends 甲 to HR review while 乙's save
        is uncommitted. The boss waits (lock timeout, not NOWAIT); 乙 submits and
        commits; the boss's step, retried with a fresh snapshot, scores 乙's value.
        No ERROR is logged."""
        ids = self._commit_fixtures()
        self._submit_superior(ids)
        with self.registry.cursor() as cr_b, self.registry.cursor() as cr_boss:
            by_b = self._rating(self._env(cr_b, ids, "乙"), ids, "甲", "乙")
            by_b.line_ids.write({"value": 50})
            by_b.env.flush_all()
            boss_env = self._env(cr_boss, ids, "boss")
            outcome, tries = {}, []

            def send_to_review():
                tries.append(1)
                boss_env["hr.kpi.evaluation"].browse(ids["evaluations"]["甲"]).action_to_hr_review()

            def in_request():
                try:
                    retrying(send_to_review, boss_env)  # commits
                    outcome["result"] = "ok"
                except Exception as error:  # reported by the assertion below
                    outcome["result"] = error

            with self._no_error_logged():
                waiter = threading.Thread(target=in_request)
                waiter.start()
                time.sleep(0.5)
                self.assertTrue(waiter.is_alive(), "the boss waits for 乙's save")
                by_b.action_submit()
                cr_b.commit()
                waiter.join(15)
            self.assertEqual(outcome.get("result"), "ok")
            self.assertEqual(len(tries), 2, "waited once, then retried with a fresh snapshot")
        state, score, ratings = self._read(ids, "甲")
        self.assertEqual(ratings["乙"], ("submitted", 50.0))
        self.assertEqual(state, "hr_review")
        # superior 100 x 40 % + the peers' mean of the submitted (乙: 50) x 40 %; the
        # HR value is still missing
        self.assertEqual(score, 60.0)

    def test_send_to_review_with_an_older_snapshot_is_retried(self):
        """RELIABILITY #39 and section H (REPEATABLE READ): the boss's transaction
        started before 乙 submitted and committed (no lock in common at any moment);
        Send to HR Review locks the ratings, PostgreSQL refuses (serialization
        failure, no ERROR logged), and the retry scores 乙's submission."""
        ids = self._commit_fixtures()
        self._submit_superior(ids)
        with self.registry.cursor() as cr_b, self.registry.cursor() as cr_boss:
            boss_env = self._env(cr_boss, ids, "boss")
            evaluation = boss_env["hr.kpi.evaluation"].browse(ids["evaluations"]["甲"])
            self.assertEqual(evaluation.state, "rating")  # the boss's snapshot
            by_b = self._rating(self._env(cr_b, ids, "乙"), ids, "甲", "乙")
            by_b.line_ids.write({"value": 50})
            by_b.action_submit()
            cr_b.commit()
            with (
                self._no_error_logged(),
                self.assertRaises(psycopg2.errors.SerializationFailure),
            ):
                evaluation.action_to_hr_review()
            cr_boss.rollback()
            retrying(evaluation.action_to_hr_review, boss_env)
        self.assertEqual(self._read(ids, "甲")[:2], ("hr_review", 60.0))

    def _typed_on_the_evaluation(self, ids, name):
        """Issue 20: Send to HR Review waits for the raters' values; here the boss
        typed 甲's superior and peer values on the evaluation itself (committed), so
        the pending ratings owe nothing and the step may run while a rater saves."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            evaluation = env["hr.kpi.evaluation"].browse(ids["evaluations"][name])
            evaluation.line_ids.filtered(
                lambda line: line.rater_role in ("superior", "peer")
            ).write({"actual_value": 50})

    def test_rater_with_an_older_snapshot_is_retried_then_refused(self):
        """RELIABILITY #39 (REPEATABLE READ): 乙's transaction read his rating before
        the boss sent 甲 to HR review and committed; 乙's save cannot act on the
        state of its snapshot: PostgreSQL refuses its lock (serialization failure,
        no ERROR logged), and the retry is refused on the new state."""
        ids = self._commit_fixtures()
        self._typed_on_the_evaluation(ids, "甲")
        with self.registry.cursor() as cr_b, self.registry.cursor() as cr_boss:
            by_b = self._rating(self._env(cr_b, ids, "乙"), ids, "甲", "乙")
            self.assertEqual(by_b.evaluation_state, "rating")  # 乙's snapshot
            boss_env = self._env(cr_boss, ids, "boss")
            boss_env["hr.kpi.evaluation"].browse(ids["evaluations"]["甲"]).action_to_hr_review()
            cr_boss.commit()
            with (
                self._no_error_logged(),
                self.assertRaises(psycopg2.errors.SerializationFailure),
            ):
                by_b.line_ids.write({"value": 10})
            cr_b.rollback()
            with self._no_error_logged(), self.assertRaisesRegex(UserError, "not open for rating"):
                retrying(lambda: by_b.line_ids.write({"value": 10}), by_b.env)
        self.assertEqual(self._read(ids, "甲")[2]["乙"], ("todo", 0.0))

    def test_state_change_first_then_the_rater_is_refused_cleanly(self):
        """RELIABILITY #39: the boss's step to HR review holds 甲's evaluation; 乙's
        save waits briefly, then is refused naming that one evaluation, with no ERROR
        logged; retried after the step committed, it is refused on the new state."""
        ids = self._commit_fixtures()
        self._typed_on_the_evaluation(ids, "甲")
        with (
            patch(f"{ROW_LOCKS}.LOCK_WAIT", SHORT_WAIT),
            self.registry.cursor() as cr_b,
            self.registry.cursor() as cr_boss,
        ):
            boss_env = self._env(cr_boss, ids, "boss")
            boss_env["hr.kpi.evaluation"].browse(ids["evaluations"]["甲"]).action_to_hr_review()
            boss_env.flush_all()
            by_b = self._rating(self._env(cr_b, ids, "乙"), ids, "甲", "乙")
            start = time.monotonic()
            with self._no_error_logged(), self.assertRaises(UserError) as caught:
                by_b.line_ids.write({"value": 10})
            self.assertGreaterEqual(time.monotonic() - start, 0.4, "it waited first")
            message = str(caught.exception)
            self.assertIn("Another user is changing 甲", message)
            self.assertNotIn("乙 ·", message)
            self.assertNotIn("丙 ·", message)
            cr_b.rollback()
            cr_boss.commit()
            by_b.env.invalidate_all()
            with self._no_error_logged(), self.assertRaisesRegex(UserError, "not open for rating"):
                by_b.line_ids.write({"value": 10})
            cr_b.rollback()
        state, _score, ratings = self._read(ids, "甲")
        self.assertEqual(state, "hr_review")
        self.assertEqual(ratings["乙"], ("todo", 0.0))

    def test_an_action_waits_then_names_the_one_evaluation_in_the_way(self):
        """Issue 19 item 9, RELIABILITY section H: HR types 乙's value (share lock on
        乙's evaluation, not committed); the boss's Compute Scores on the three
        evaluations waits, then names 乙's evaluation only, with no ERROR logged.
        When HR commits within the wait, Compute Scores is retried with a fresh
        snapshot and scores HR's value."""
        ids = self._commit_fixtures()
        all_ids = list(ids["evaluations"].values())
        with (
            patch(f"{ROW_LOCKS}.LOCK_WAIT", SHORT_WAIT),
            self.registry.cursor() as cr_hr,
            self.registry.cursor() as cr_boss,
        ):
            hr_env = self._env(cr_hr, ids, "hr")
            hr_line = hr_env["hr.kpi.evaluation"].browse(ids["evaluations"]["乙"]).line_ids
            hr_line.filtered(lambda line: line.rater_role == "hr").write({"actual_value": 80})
            hr_env.flush_all()
            evaluations = self._env(cr_boss, ids, "boss")["hr.kpi.evaluation"].browse(all_ids)
            with self._no_error_logged(), self.assertRaises(UserError) as caught:
                evaluations.action_compute_scores()
            message = str(caught.exception)
            self.assertIn("Another user is changing 乙 · ", message)
            self.assertNotIn("甲", message)
            self.assertNotIn("丙", message)
            self.assertNotIn("other evaluations", message)
            cr_boss.rollback()

        with self.registry.cursor() as cr_hr, self.registry.cursor() as cr_boss:
            hr_env = self._env(cr_hr, ids, "hr")
            hr_line = hr_env["hr.kpi.evaluation"].browse(ids["evaluations"]["乙"]).line_ids
            hr_line.filtered(lambda line: line.rater_role == "hr").write({"actual_value": 80})
            hr_env.flush_all()
            timer = threading.Timer(0.5, cr_hr.commit)
            timer.start()
            boss_env = self._env(cr_boss, ids, "boss")
            tries = []

            def compute():
                tries.append(1)
                boss_env["hr.kpi.evaluation"].browse(all_ids).action_compute_scores()

            with self._no_error_logged():
                retrying(compute, boss_env)  # waits for HR's commit (< 3 s), then retried
            timer.join()
            self.assertEqual(len(tries), 2)
        self.assertEqual(self._read(ids, "乙")[1], 16.0)  # HR's 80 x 20 %

    def test_compute_scores_skips_the_busy_evaluation_and_names_it(self):
        """Issue 19 item 9: the period's Compute Scores while HR holds 乙's evaluation
        (typing a value): 甲 and 丙 are scored, 乙 is left out and named in the
        result and the chatter, at once (SKIP LOCKED, no wait, no ERROR logged).
        Pressed again after HR committed, 乙 is scored too."""
        ids = self._commit_fixtures()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for name in ("甲", "乙", "丙"):
                env["hr.kpi.evaluation"].browse(ids["evaluations"][name]).line_ids.filtered(
                    lambda line: line.rater_role == "hr"
                ).write({"actual_value": 50})
        with self.registry.cursor() as cr_hr, self.registry.cursor() as cr_boss:
            hr_env = self._env(cr_hr, ids, "hr")
            hr_line = hr_env["hr.kpi.evaluation"].browse(ids["evaluations"]["乙"]).line_ids
            hr_line.filtered(lambda line: line.rater_role == "hr").write({"actual_value": 80})
            hr_env.flush_all()
            period = self._env(cr_boss, ids, "boss")["hr.kpi.period"].browse(ids["period"])
            start = time.monotonic()
            with self._no_error_logged():
                result = period.action_compute_scores()
            self.assertLess(time.monotonic() - start, 2.0, "busy ones are skipped, not waited for")
            message = result["params"]["message"]
            self.assertIn("Scores computed for 2 evaluations.", message)
            self.assertIn("left out 1 evaluations", message)
            self.assertIn("乙 · ", message)
            self.assertNotIn("甲 · ", message)
            self.assertNotIn("丙 · ", message)
            self.assertEqual(result["params"]["type"], "warning")
            self.assertIn("乙 · ", period.message_ids[:1].body)
            cr_boss.commit()
            self.assertEqual(self._read(ids, "甲")[1], 10.0)  # HR's 50 x 20 %
            self.assertEqual(self._read(ids, "丙")[1], 10.0)
            self.assertEqual(self._read(ids, "乙")[1], 0.0, "not scored while busy")
            cr_hr.commit()
            period.env.invalidate_all()
            result = period.action_compute_scores()
            self.assertEqual(result["params"]["type"], "success")
            self.assertIn("Scores computed for 3 evaluations.", result["params"]["message"])
            cr_boss.commit()
        self.assertEqual(self._read(ids, "乙")[1], 16.0)

    def test_a_busy_evaluation_in_a_background_job_is_named_in_the_chatter(self):
        """Issue 19 item 9: a job's share of Compute Scores skips the busy evaluation
        and says which one in the period's chatter; the job itself is done."""
        ids = self._commit_fixtures()
        with self.registry.cursor() as cr_hr, self.registry.cursor() as cr_boss:
            hr_env = self._env(cr_hr, ids, "hr")
            hr_line = hr_env["hr.kpi.evaluation"].browse(ids["evaluations"]["丙"]).line_ids
            hr_line.filtered(lambda line: line.rater_role == "hr").write({"actual_value": 80})
            hr_env.flush_all()
            boss_env = self._env(cr_boss, ids, "boss")
            period = boss_env["hr.kpi.period"].browse(ids["period"])
            evaluations = boss_env["hr.kpi.evaluation"].browse(list(ids["evaluations"].values()))
            with self._no_error_logged():
                done, skipped = period._kpi_step_chunk("compute_scores", evaluations)
            self.assertEqual((done, skipped), (2, 1))
            note = period.message_ids[:1].body
            self.assertIn("丙 · ", note)
            self.assertNotIn("甲 · ", note)
            cr_boss.rollback()
            cr_hr.rollback()

    def test_the_rating_form_checks_the_rater_once_for_all_its_values(self):
        """Issue 19 item 9: the rating form's save (rating.write with line_ids) locks
        and checks the rater once for all its values; another user (here the boss,
        a KPI manager who can read the rating) is refused and nothing is written."""
        ids = self._commit_fixtures()
        with self.registry.cursor() as cr:
            by_boss = self._rating(self._env(cr, ids, "boss"), ids, "甲", "乙")
            commands = [(1, line_id, {"value": 10}) for line_id in by_boss.line_ids.ids]
            with self._no_error_logged(), self.assertRaisesRegex(UserError, "Only 乙"):
                by_boss.write({"line_ids": commands})
            cr.rollback()
            by_b = self._rating(self._env(cr, ids, "乙"), ids, "甲", "乙")
            by_b.write({"line_ids": [(1, line_id, {"value": 80}) for line_id in by_b.line_ids.ids]})
            self.assertEqual(by_b.line_ids.mapped("has_value"), [True])
        self.assertEqual(self._read(ids, "甲")[2]["乙"], ("todo", 80.0))
