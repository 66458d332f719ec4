import json

from odoo import fields


class Serialized(fields.Field):
    """A JSON mapping stored in a text column."""

    type = "serialized"
    _slots = {"prefetch": False}
    column_type = ("text", "text")

    def convert_to_column(self, value, record, values=None, validate=True):
        return json.dumps(value)

    def convert_to_cache(self, value, record, validate=True):
        value = value or {}
        return value if isinstance(value, dict) else json.loads(value)


fields.Serialized = Serialized
