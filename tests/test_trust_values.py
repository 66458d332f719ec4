"""Values checked by default (issue 19 items 1 and 8): the hostile values the audit
sent, each refused with a translated message naming the field, nothing written
(RELIABILITY #42). The registry walk (test_trust_registry) sends them to every field;
these are the audit's own examples, with their exact answers."""

import math

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTrustValues(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.ref("base.main_company")
        cls.officer = cls.env["res.users"].create(
            {
                "name": "值检查专员",
                "login": "kpi_values_officer",
                "company_id": cls.company.id,
                "company_ids": [(6, 0, cls.company.ids)],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("hr_kpi_service.group_kpi_officer").id,
                            cls.env.ref("hr_contract.group_hr_contract_manager").id,
                        ],
                    )
                ],
            }
        )
        cls.incident = cls.env["hr.kpi.incident"].search(
            [("company_id", "=", cls.company.id), ("confirmed", "=", False)], limit=1
        )
        cls.contract = cls.env["hr.contract"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.period = cls.env["hr.kpi.period"].search([("company_id", "=", cls.company.id)], limit=1)

    def _refused(self, record, vals, message):
        """`vals` written as the officer: a ValidationError carrying `message`, and the
        record unchanged."""
        before = record.read(list(vals))[0]
        with self.assertRaises(ValidationError) as caught:
            record.with_user(self.officer).write(vals)
        self.assertIn(message, str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(record.read(list(vals))[0], before)
        return str(caught.exception)

    def test_impossible_and_implausible_dates(self):
        """2027-02-30, 'yesterday' and 1900-01-01 on an incident's date. RELIABILITY #42"""
        self.assertTrue(self.incident)
        self._refused(self.incident, {"date": "2027-02-30"}, "must be a real date (got 2027-02-30)")
        self._refused(self.incident, {"date": "yesterday"}, "must be a real date (got yesterday)")
        self._refused(
            self.incident,
            {"date": "1900-01-01"},
            "must lie between 2000-01-01 and 2099-12-31 (got 1900-01-01)",
        )

    def test_numbers_that_are_not_numbers(self):
        """NaN, ±inf, 1e308, 'abc' and a 100,000-digit string on an incident's points:
        no ValueError or OverflowError, a message naming the field. RELIABILITY #42"""
        label = self.env["hr.kpi.incident"]._fields["points"]._description_string(self.env)
        for value, message in (
            (math.nan, "must be a finite number"),
            (math.inf, "must be a finite number"),
            (-math.inf, "must be a finite number"),
            (1e308, "cannot be above"),
            ("abc", "must be a number (got abc)"),
            ("9" * 100_000, "must be a number"),
        ):
            with self.subTest(value=str(value)[:12]):
                text = self._refused(self.incident, {"points": value}, message)
                self.assertIn(label, text)
                self.assertLess(len(text), 300)  # the long value is cut in the message

    def test_money_is_never_negative(self):
        """A contract's performance base of -5000 and negative pool figures of a period.
        RELIABILITY #42"""
        self._refused(
            self.contract, {"kpi_performance_base": -5000}, "cannot be below 0 (got -5000)"
        )
        self._refused(self.contract, {"kpi_annual_bonus_base": 1e308}, "cannot be above")
        self._refused(self.period, {"pool_revenue": -1}, "cannot be below 0 (got -1)")
        self._refused(self.period, {"pool_gross_profit": -0.5}, "cannot be below 0 (got -0.5)")

    def test_bogus_selection_value(self):
        """A bogus selection value is refused naming the field, not a ValueError.
        RELIABILITY #42"""
        self._refused(
            self.contract,
            {"kpi_performance_method": "bogus"},
            "bogus is not one of its choices",
        )

    def test_refusal_reaches_a_chinese_user_in_chinese(self):
        """The default checks are translated. RELIABILITY #42"""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["hr_kpi_service"], ["zh_CN"], overwrite=True
        )
        officer = self.officer.with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as caught:
            self.incident.with_user(officer).with_context(lang="zh_CN").write(
                {"date": "2027-02-30"}
            )
        self.assertIn("必须是真实存在的日期", str(caught.exception))
