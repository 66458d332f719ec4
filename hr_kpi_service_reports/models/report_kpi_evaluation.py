from collections import defaultdict

from odoo import api, models
from odoo.addons.hr_kpi_service.models.hr_kpi_indicator import FROM_TOTAL_METHODS

from .report_kpi_common import printed_time, report_lang, selection_labels, value_digits

RATED_ROLES = ("self", "superior", "peer", "subordinate", "group")


class ReportKpiEvaluation(models.AbstractModel):
    """Values of the 月度绩效考核表 (monthly evaluation sheet).

    Read as the printing user (record rules apply: a rep prints only his own
    sheet), in batch for the whole print job, each sheet in its employee's
    language.
    """

    _name = "report.hr_kpi_service_reports.report_kpi_evaluation"
    _description = "KPI Monthly Evaluation Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["hr.kpi.evaluation"].browse(docids)
        docs.check_access("read")
        # Prefetch the whole job's lines, ratings and appeals in a few queries.
        docs.line_ids.indicator_id.perspective_id  # noqa: B018  # pylint: disable=pointless-statement
        ratings = docs.rating_ids
        ratings.line_ids.evaluation_line_id  # noqa: B018  # pylint: disable=pointless-statement
        by_lang = defaultdict(list)
        for evaluation in docs:
            by_lang[report_lang(evaluation.employee_id)].append(evaluation.id)
        sheets = {}
        for lang, ids in by_lang.items():
            report = self.with_context(lang=lang)
            for evaluation in report.env["hr.kpi.evaluation"].browse(ids):
                sheets[evaluation.id] = report._sheet(evaluation)
        return {
            "doc_ids": docs.ids,
            "doc_model": "hr.kpi.evaluation",
            "docs": docs,
            "sheets": sheets,
            "report_lang": {e.id: report_lang(e.employee_id) for e in docs},
            "kpi_digits": value_digits,
            "kpi_time": lambda value, record, lang: printed_time(
                self.env, value, record.company_id, lang
            ),
        }

    # ------------------------------------------------------------------
    def _sheet(self, evaluation):
        roles = selection_labels(self.env, "hr.kpi.evaluation.line", "rater_role")
        sources = selection_labels(self.env, "hr.kpi.indicator", "source_type")
        raters_by_line = defaultdict(list)
        raters_by_role = defaultdict(list)
        for rating in evaluation.rating_ids:
            raters_by_role[rating.role].append(rating)
            if rating.state != "submitted":
                continue
            for rating_line in rating.line_ids:
                if rating_line.has_value:
                    raters_by_line[rating_line.evaluation_line_id.id].append(
                        rating.rater_employee_id.name
                    )
        groups, current = [], None
        for line in evaluation.line_ids.sorted(
            lambda ln: (ln.perspective_id.sequence, ln.perspective_id.id, ln.sequence, ln.id)
        ):
            perspective = line.perspective_id
            if current is None or current["perspective"] != perspective:
                current = {"perspective": perspective, "lines": [], "weighted": 0.0}
                groups.append(current)
            current["lines"].append(
                {
                    "line": line,
                    "rated_by": self._rated_by(line, raters_by_line, roles, sources),
                    "from_total": line.scoring_method in FROM_TOTAL_METHODS,
                }
            )
            current["weighted"] += line.weighted_score
        return {
            "groups": groups,
            "raters": self._raters(evaluation, raters_by_role, roles),
            "appeals": evaluation.appeal_ids.sorted("id"),
            "corrections": evaluation.correction_ids.sorted("id"),
        }

    def _rated_by(self, line, raters_by_line, roles, sources):
        indicator = line.indicator_id
        if indicator.source_type and indicator.source_type != "manual":
            return self.env._("Records: %(kind)s", kind=sources.get(indicator.source_type))
        names = raters_by_line.get(line.id)
        role = roles.get(line.rater_role, "")
        if names:
            return f"{role}: {'、'.join(names)}"
        return role

    def _raters(self, evaluation, raters_by_role, roles):
        """Rows (role, raters, configured weight, applied weight): the weights after
        redistribution are the rater configuration's for the roles that actually
        scored, as hr.kpi.evaluation._multi_rater_total applies them."""
        config = evaluation.scheme_id.rater_config_id
        if not config or not config.row_ids:
            return {"rows": [], "redistributed": False, "config": config}
        main = config._engine_rows()[0]
        config_roles = set(main)
        present = set()
        for line in evaluation.line_ids:
            if not line.has_actual or line.scoring_method in FROM_TOTAL_METHODS or not line.weight:
                continue
            present.add(line.rater_role if line.rater_role in config_roles else "superior")
        applied = {}
        if present & config_roles:
            applied = config._weights(present)
        rows = []
        for role in RATED_ROLES:
            if role not in main and role not in raters_by_role:
                continue
            rows.append(
                {
                    "role": roles.get(role, role),
                    "raters": "、".join(
                        rating.rater_employee_id.name for rating in raters_by_role.get(role, [])
                    ),
                    "configured": main.get(role, 0.0),
                    "applied": applied.get(role, 0.0),
                }
            )
        return {
            "rows": rows,
            "redistributed": bool(applied) and applied != main,
            "config": config,
        }
