"""RELIABILITY #45: every export path checks like the screen.

The reports of both addons are enumerated from the registry at test time (the
ir.actions.report records whose XML id belongs to hr_kpi_service or
hr_kpi_service_reports), not from a hand list: a report added later is covered
without editing this file. For each report, one record of its model and a few
users; whether each user may read the record over RPC (access rights and record
rules, ``has_access('read')``) decides what the export must do:

- he cannot read it: an AccessError, and no file, through the report's rendering
  (``ir.actions.report._render``) and, for the spreadsheets, through the HTTP route
  ``/report/xlsx/<report>/<ids>`` (403, no workbook);
- he can: the file (an xlsx workbook, or the sheet's HTML/PDF).

Each report must meet at least one user of each kind. Needs the demo data (its
records are the exported ones); the HTTP part runs with ``--odoo-http``.
"""

import io
import json
from urllib.parse import urlencode

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

ADDONS = ("hr_kpi_service", "hr_kpi_service_reports")
XLSX_MAGIC = b"PK"  # a workbook is a zip archive
OFFICER = "hr_kpi_service.group_kpi_officer"
PAYROLL = "payroll.group_payroll_manager"


class ReportAccessMixin:
    """The reports of both addons, a record of each, and users who can and cannot
    read it."""

    @classmethod
    def _set_up_reports(cls):
        cls.demo = bool(cls.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False))
        if not cls.demo:
            return
        cls.company = cls.env.ref("base.main_company")
        cls.other_company = cls.env["res.company"].create({"name": "外地公司 (access test)"})
        here = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        elsewhere = {
            "company_id": cls.other_company.id,
            "company_ids": [(6, 0, cls.other_company.ids)],
        }
        # the demo's rep, lead and manager (password = login): the rep has a line in
        # the demo's star review, the lead and the manager are evaluated themselves
        cls.rep = cls.env.ref("hr_kpi_service.user_kpi_rep_demo")
        cls.lead = cls.env.ref("hr_kpi_service.user_kpi_lead_demo")
        cls.manager = cls.env.ref("hr_kpi_service.user_kpi_manager_demo")
        cls.officer = new_test_user(
            cls.env, "kpi_access_officer", groups=f"base.group_user,{OFFICER},{PAYROLL}", **here
        )
        cls.officer_elsewhere = new_test_user(
            cls.env,
            "kpi_access_officer_other",
            groups=f"base.group_user,{OFFICER},{PAYROLL}",
            **elsewhere,
        )
        cls.users = cls.rep | cls.lead | cls.manager | cls.officer | cls.officer_elsewhere
        data = cls.env["ir.model.data"].search(
            [("model", "=", "ir.actions.report"), ("module", "in", ADDONS)]
        )
        cls.reports = cls.env["ir.actions.report"].browse(data.mapped("res_id")).sorted("id")

    @classmethod
    def _record(cls, report):
        """A record of the report's model in the demo company: the most recent one."""
        Model = cls.env[report.model]
        domain = [("company_id", "=", cls.company.id)] if "company_id" in Model._fields else []
        return Model.search(domain, order="id desc", limit=1)

    def _may_read(self, record, user):
        return record.with_user(user).has_access("read")

    def _expectations(self, report, record):
        """{user: may read}; each report meets a user of each kind."""
        expected = {user: self._may_read(record, user) for user in self.users}
        self.assertIn(True, expected.values(), f"{report.report_name}: nobody may read")
        self.assertIn(False, expected.values(), f"{report.report_name}: everybody may read")
        return expected


@tagged("post_install", "-at_install")
class TestReportAccess(ReportAccessMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_reports()

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("the demo data is not installed")

    def _render(self, report, record, user):
        self.env.invalidate_all()  # a fresh request: nothing read by others in cache
        return self.env["ir.actions.report"].with_user(user)._render(
            report.report_name, record.ids
        )

    def test_every_xlsx_export_reads_like_rpc(self):
        """RELIABILITY #45: each spreadsheet of the registry, rendered as a user who
        cannot read its record: AccessError and no file; as one who can: the
        workbook."""
        xlsx = self.reports.filtered(lambda r: r.report_type == "xlsx")
        self.assertGreaterEqual(len(xlsx), 3, "the addon's spreadsheets are found")
        for report in xlsx:
            record = self._record(report)
            self.assertTrue(record, f"{report.report_name}: no demo record")
            for user, may_read in self._expectations(report, record).items():
                with self.subTest(report=report.report_name, user=user.login):
                    if may_read:
                        content, kind = self._render(report, record, user)
                        self.assertEqual(kind, "xlsx")
                        self.assertTrue(openpyxl.load_workbook(io.BytesIO(content)).worksheets)
                    else:
                        with self.assertRaises(AccessError):
                            self._render(report, record, user)

    def test_the_star_review_spreadsheet_of_a_rep(self):
        """RELIABILITY #45, the example of issue 19: a rep cannot read the star
        review over RPC, and no longer downloads its spreadsheet."""
        review = self.env["hr.kpi.star.review"].search(
            [("company_id", "=", self.company.id), ("state", "=", "done")], limit=1
        )
        self.assertIn(self.rep.employee_id, review.line_ids.employee_id)
        with self.assertRaises(AccessError):
            review.with_user(self.rep).read(["name"])
        with self.assertRaises(AccessError):
            self._render(
                self.env.ref("hr_kpi_service_reports.report_hr_kpi_star_review_xlsx"),
                review,
                self.rep,
            )

    def test_every_printed_sheet_reads_like_rpc(self):
        """RELIABILITY #45: the printed sheets of the registry (HTML in tests) the same
        way; a sheet whose model has no demo record is listed and left out."""
        without_record = []
        for report in self.reports.filtered(lambda r: r.report_type != "xlsx"):
            record = self._record(report)
            if not record:
                without_record.append(report.report_name)
                continue
            for user, may_read in self._expectations(report, record).items():
                with self.subTest(report=report.report_name, user=user.login):
                    if may_read:
                        content, _kind = self._render(report, record, user)
                        self.assertTrue(content)
                    else:
                        with self.assertRaises(AccessError):
                            self._render(report, record, user)
        print(f"RELIABILITY #45: sheets without a demo record: {without_record or 'none'}")


@tagged("post_install", "-at_install")
class TestReportAccessHttp(ReportAccessMixin, HttpCase):
    """The spreadsheets' HTTP route (OCA report_xlsx's /report/xlsx/...), as a
    logged-in user of each kind (runs with --odoo-http)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_reports()

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("the demo data is not installed")

    def test_every_xlsx_route_reads_like_rpc(self):
        """RELIABILITY #45: /report/xlsx/<report>/<id> (or the record's id in the
        context: /report/xlsx/<report>?context=...) answers 403 without a workbook to a
        user who cannot read the record, and the workbook to one who can."""
        xlsx = self.reports.filtered(lambda r: r.report_type == "xlsx")
        self.assertGreaterEqual(len(xlsx), 3)
        for report in xlsx:
            record = self._record(report)
            self.assertTrue(record, f"{report.report_name}: no demo record")
            for user, may_read in self._expectations(report, record).items():
                with self.subTest(report=report.report_name, user=user.login):
                    self.authenticate(user.login, user.login)
                    with mute_logger("odoo.http", "odoo.addons.report_xlsx.controllers.main"):
                        response = self.url_open(
                            f"/report/xlsx/{report.report_name}/{record.id}", timeout=60
                        )
                    if may_read:
                        self.assertEqual(response.status_code, 200)
                        self.assertTrue(response.content.startswith(XLSX_MAGIC))
                        book = openpyxl.load_workbook(io.BytesIO(response.content))
                        self.assertTrue(book.worksheets)
                        continue
                    self.assertEqual(response.status_code, 403)
                    self.assertFalse(response.content.startswith(XLSX_MAGIC))
                    # the records named in the context instead of the path
                    query = urlencode({"context": json.dumps({"active_ids": record.ids})})
                    with mute_logger("odoo.http", "odoo.addons.report_xlsx.controllers.main"):
                        response = self.url_open(
                            f"/report/xlsx/{report.report_name}?{query}", timeout=60
                        )
                    self.assertEqual(response.status_code, 403)
                    self.assertFalse(response.content.startswith(XLSX_MAGIC))
