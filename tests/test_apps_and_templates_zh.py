"""Issue 13 item 10: the app's name and summary in Apps, and the import template's
sheet, read in Chinese (not "Customer Service KPI", not "Sheet")."""

import base64
import io

import openpyxl

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAppsAndTemplatesInChinese(TransactionCase):
    def test_app_name_and_summary_in_zh_cn(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        addons = ["hr_kpi_service", "hr_kpi_service_reports"]
        self.env["ir.module.module"]._load_module_terms(addons, ["zh_CN"], overwrite=True)
        modules = self.env["ir.module.module"].search([("name", "in", addons)], order="name")
        chinese = modules.with_context(lang="zh_CN")
        self.assertEqual(chinese.mapped("shortdesc"), ["客服绩效考核", "客服绩效考核报表"])
        self.assertEqual(
            chinese.mapped("summary"),
            [
                "面向客服团队的绩效方案、考核、等级、星级评定与申诉，通过 OCA 工资模块发放",
                "客服绩效考核的打印表单、排名与分析",
            ],
        )
        english = modules.with_context(lang="en_US")
        self.assertEqual(
            english.mapped("shortdesc"), ["Customer Service KPI", "Customer Service KPI Reports"]
        )

    def test_template_sheet_is_named_after_the_import(self):
        wizard = self.env["hr.kpi.import"].create(
            {"import_type": "incident", "template_format": "xlsx"}
        )
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        self.assertEqual(workbook.sheetnames, ["事件 Incidents"])
        self.assertEqual(wizard.template_filename, "事件导入模板 - Incidents Import Template.xlsx")
