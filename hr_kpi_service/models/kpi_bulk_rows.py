"""One UPDATE for many rows with different values, keeping the ORM coherent.

The ORM writes different values 100 rows per UPDATE after converting every value,
and a write() per distinct set of values runs each model's write chain (mail
tracking preparation, the policy's checks, the followers) once per value: with
realistic scores, once per employee. ``update_rows`` writes {id: values} in one
``UPDATE ... FROM unnest(...)`` and then does what a write does to the ORM: the
record cache holds the written values, write_uid/write_date are refreshed, and the
fields that depend on the written ones are marked to recompute.

Only for fields the system computes, from inside an action whose checks ran (the
callers check the access rights and rules, the policy's value checks, and prepare
the mail tracking of tracked fields): see the callers.
"""

from odoo.tools import SQL


def update_rows(model, fnames, rows, compared=False):
    """UPDATE `fnames` of `model`'s table for {record id: values}; rows whose values
    equal the record cache are left out (`compared`: the caller left them out)."""
    fields = [model._fields[name] for name in fnames]
    model.flush_model(fnames)
    cache = model.env.cache
    changed = {}
    converted = {}  # (field, value) -> cache value: values repeat from row to row
    for record_id, values in rows.items():
        record = model.browse(record_id)
        cached = {}
        for field in fields:
            key = (field, values[field.name])
            if key not in converted:
                converted[key] = field.convert_to_cache(values[field.name], record)
            cached[field] = converted[key]
        if compared or any(
            cache.get(record, field, None) != value for field, value in cached.items()
        ):
            changed[record_id] = cached
    if not changed:
        return model.browse()
    records = model.browse(list(changed))
    now, uid = model.env.cr.now(), model.env.uid
    # one array per column (unnest): PostgreSQL parses 20,000 rows of VALUES
    # several times slower than a few arrays
    column_values = {}  # (field, cache value) -> column value, as for `converted`

    def to_column(field, value):
        key = (field, value)
        if key not in column_values:
            column_values[key] = field.convert_to_column(value, records, validate=False)
        return column_values[key]

    columns = [list(changed)] + [
        [to_column(field, cached[field]) for cached in changed.values()] for field in fields
    ]
    arrays = SQL(", ").join(
        SQL("%s::%s[]", column, SQL(kind))
        for column, kind in zip(
            columns, ["int4"] + [field.column_type[1] for field in fields], strict=True
        )
    )
    model.env.cr.execute(
        SQL(
            """UPDATE %(table)s AS target
                  SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
                 FROM unnest(%(arrays)s) AS row(id, %(columns)s)
                WHERE target.id = row.id""",
            table=SQL.identifier(model._table),
            assignments=SQL(", ").join(
                SQL("%s = row.%s", SQL.identifier(name), SQL.identifier(name))
                for name in fnames
            ),
            uid=uid,
            now=now,
            arrays=arrays,
            columns=SQL(", ").join(SQL.identifier(name) for name in fnames),
        )
    )
    for field in fields:
        cache.update(records, field, [changed[record_id][field] for record_id in records.ids])
    records.invalidate_recordset(["write_uid", "write_date"])
    records.modified(fnames)
    return records


def set_rows_dirty(model, fnames, rows):
    """Put {record id: values} of `fnames` in the record cache as pending writes,
    rows whose values equal the cache left out: the flush writes them with the
    record's other pending fields (Approve's state) in one UPDATE per row, at most
    100 rows per statement, without one write() per distinct value. For a few
    thousand rows (evaluations); update_rows for tens of thousands (lines)."""
    fields = [model._fields[name] for name in fnames]
    cache = model.env.cache
    changed = {}
    converted = {}
    for record_id, values in rows.items():
        record = model.browse(record_id)
        cached = {}
        for field in fields:
            key = (field, values[field.name])
            if key not in converted:
                converted[key] = field.convert_to_cache(values[field.name], record)
            cached[field] = converted[key]
        if any(cache.get(record, field, None) != value for field, value in cached.items()):
            changed[record_id] = cached
    if not changed:
        return model.browse()
    records = model.browse(list(changed))
    records.modified(fnames, before=True)
    for field in fields:
        cache.update(
            records, field, [changed[record_id][field] for record_id in records.ids], dirty=True
        )
    records.modified(fnames)
    return records
