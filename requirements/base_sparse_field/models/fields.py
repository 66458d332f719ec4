import json

from odoo import fields


class Serialized(fields.Field):
    """A JSON mapping stored in a text column (cached as its JSON text)."""

    type = "serialized"
    _column_type = ("text", "text")
    prefetch = False

    def convert_to_column_insert(self, value, record, values=None, validate=True):
        return self.convert_to_cache(value, record, validate)

    def convert_to_cache(self, value, record, validate=True):
        return json.dumps(value) if isinstance(value, dict) else (value or None)

    def convert_to_record(self, value, record):
        return json.loads(value or "{}")


fields.Serialized = Serialized
