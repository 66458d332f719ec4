# OCA queue_job depends on Odoo's base_sparse_field for its serialized fields. The
# project's Odoo 18.0 wheel (../shared/odoo/) ships that addon as a manifest only, not
# installable: scripts/ensure_venv.sh puts this minimal one in its place (the Serialized
# field type only, no sparse fields, no views). A full Odoo 18.0 has its own.
{
    "name": "Sparse Fields",
    "category": "Hidden",
    "version": "1.0",
    "license": "LGPL-3",
    "depends": ["base"],
    "summary": "Serialized fields (JSON text) for OCA queue_job.",
    "installable": True,
}
