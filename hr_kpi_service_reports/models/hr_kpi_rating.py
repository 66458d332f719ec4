"""A rating's due date and overdue flag (``kpi_due_date``, ``kpi_overdue``) moved to
hr_kpi_service (models/hr_kpi_rating_followup.py): the rater's activities and the
daily reminder need them. The open states stay importable from here."""

from odoo.addons.hr_kpi_service.models.hr_kpi_rating_followup import (  # noqa: F401
    RATING_OPEN_STATES,
)
