"""The migration scripts of each version bump (issue 22), run on the test
database's own data inside the test's transaction: what they repair is repaired,
and running them is the only time it happens (the data files and ``init()`` no
longer do it on every update). The upgrade of a database built with the earlier
version runs for real in scripts/check_lifecycle.py.
"""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_path

MIGRATIONS = Path(file_path("hr_kpi_service/migrations"))


def _script(version, name):
    spec = importlib.util.spec_from_file_location(
        f"kpi_migration_{version.replace('.', '_')}_{name}", MIGRATIONS / version / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrations(TransactionCase):
    def test_every_version_bump_has_its_scripts(self):
        """18.0.1.1.0 to 18.0.1.4.0 (the bumps since 18.0.1.0.0) each have a folder,
        the last one the manifest's version."""
        self.assertEqual(
            sorted(path.name for path in MIGRATIONS.iterdir() if path.is_dir()),
            ["18.0.1.1.0", "18.0.1.2.0", "18.0.1.3.0", "18.0.1.4.0"],
        )

    def test_1_1_0_adds_the_new_rules_and_shares_the_shipped_configuration(self):
        """From 18.0.1.0.0: the commission and team rules join the structure, the
        shipped incident types and survey cards have no company again."""
        structure = self.env.ref("hr_kpi_service.payroll_structure_customer_service")
        new_rules = self.env.ref("hr_kpi_service.salary_rule_kpi_commission") | self.env.ref(
            "hr_kpi_service.salary_rule_kpi_team"
        )
        shipped = self.env["hr.kpi.incident.type"].search([("company_id", "=", False)], limit=1)
        card = self.env["hr.kpi.survey.card"].search([("company_id", "=", False)], limit=1)
        structure.rule_ids -= new_rules
        company = self.env.ref("base.main_company")
        self.env.cr.execute(
            "UPDATE hr_kpi_incident_type SET company_id = %s WHERE id = %s",
            [company.id, shipped.id],
        )
        self.env.cr.execute(
            "UPDATE hr_kpi_survey_card SET company_id = %s WHERE id = %s", [company.id, card.id]
        )
        self.env.invalidate_all()
        _script("18.0.1.1.0", "post-migrate").migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(structure.rule_ids & new_rules, new_rules)
        self.assertFalse(shipped.company_id)
        self.assertFalse(card.company_id)

    def test_1_2_0_moves_the_private_notes_once(self):
        """From 18.0.1.1.0 (RELIABILITY #46): a note of the evaluations' old column
        becomes its own record, the column goes, the evaluation reads it."""
        evaluation = self.env["hr.kpi.evaluation"].search([], limit=1)
        self.assertTrue(evaluation, "the test database has the demo's evaluations")
        self.env["hr.kpi.evaluation.note"].search([("evaluation_id", "=", evaluation.id)]).unlink()
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE hr_kpi_evaluation ADD COLUMN private_note text")
        self.env.cr.execute(
            "UPDATE hr_kpi_evaluation SET private_note = %s WHERE id = %s",
            ["升级前的备注", evaluation.id],
        )
        _script("18.0.1.2.0", "post-migrate").migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'hr_kpi_evaluation' "
            "AND column_name = 'private_note'"
        )
        self.assertFalse(self.env.cr.fetchone())
        notes = self.env["hr.kpi.evaluation.note"].search([("evaluation_id", "=", evaluation.id)])
        self.assertEqual(notes.mapped("note"), ["升级前的备注"])
        self.assertEqual(evaluation.private_note, "升级前的备注")
        # a second run finds no column and moves nothing
        _script("18.0.1.2.0", "post-migrate").migrate(self.env.cr, "18.0.1.1.0")
        self.assertEqual(
            self.env["hr.kpi.evaluation.note"].search_count(
                [("evaluation_id", "=", evaluation.id)]
            ),
            1,
        )
