"""Row locks as narrow as the data, that wait briefly and fail without an ERROR line.

Who locks what (PostgreSQL row-lock strengths, weakest first; a cell marked x conflicts):

=================  ==========  =====  ==============  ======
held \\ wanted      KEY SHARE   SHARE  NO KEY UPDATE   UPDATE
=================  ==========  =====  ==============  ======
KEY SHARE                                              x
SHARE                                  x               x
NO KEY UPDATE                  x       x               x
UPDATE             x           x       x               x
=================  ==========  =====  ==============  ======

* an evaluation's state changes (start, rating, HR review, approve, publish, close,
  reopen, appeal) take ``UPDATE`` on its row;
* Compute Scores and Grade (they write the scores, not the state) take ``NO KEY UPDATE``;
* a manager typing a value on an evaluation line takes ``SHARE``: compatible with the
  other managers' values, never interleaved with a scoring or an approval;
* a rater saving or submitting his rating takes ``KEY SHARE`` on the evaluation (it
  conflicts only with a state change) and ``UPDATE`` on his own rating row, whose
  lines are his values. Raters of one evaluation never wait for each other, nor
  for Compute Scores (which reads only submitted ratings: a submission committed
  after it is counted by the next one, and always by the approval).

Every locker re-reads the evaluation's state after its lock (RELIABILITY #39): a
value saved while the approval waits for the lock is committed before the approval
(retried, see below) reads the values, and a save after the approval committed sees
the new state and is refused. PostgreSQL's plain UPDATE takes ``NO KEY UPDATE`` only, so a state
change must take ``UPDATE`` explicitly, first (``_lock_rows``).

Odoo's transactions are REPEATABLE READ: a transaction reads the database as it
was at its first query. So "re-read under the lock" needs care:

* after waiting for a row, the waiter's snapshot is older than what the holder
  committed. The waiter is then retried at once with a fresh snapshot: a real
  PostgreSQL serialization failure (40001), which Odoo's request layer
  (``odoo.service.model.retrying``) and queue_job retry; the retry finds the row
  free and reads the holder's values (an approval scores the value a rater saved
  while it waited) or its new state (a rater's save after an approval is refused);
* a row changed after the snapshot by a transaction that locked it ``FOR UPDATE``
  first (every state change) cannot be locked at all: PostgreSQL raises the same
  serialization failure, retried the same way. A rater's save can therefore never
  act on a stale "rating" state;
* a step that reads what others change without locking it (the raters' submitted
  ratings, read by "Send to HR Review") locks those rows too
  (``hr.kpi.evaluation._lock_ratings``): one submitted after its snapshot makes it
  retry instead of scoring without it.

Locks are taken in two steps so that the usual case costs one query and a conflict
logs nothing: ``SKIP LOCKED`` first (never waits); only when rows are busy, a wait
of at most ``LOCK_WAIT`` for them (``lock_timeout`` set inside a savepoint); after a
timeout, ``SKIP LOCKED`` again tells which rows are still busy. Every lock query
runs with ``log_exceptions=False``: Odoo's sql_db logger writes no "bad query"
ERROR for an expected conflict (the refusal is a UserError, the retry an INFO line
of the request layer).
"""

import psycopg2.errors

from odoo.tools import SQL

STRENGTHS = {
    "key_share": "FOR KEY SHARE",
    "share": "FOR SHARE",
    "no_key_update": "FOR NO KEY UPDATE",
    "update": "FOR UPDATE",
}
# How long an action waits for a row another transaction holds (the raters' and the
# managers' saves hold theirs for milliseconds).
LOCK_WAIT = "3s"
# Errors of a lock that did not come: the timeout, and the loser of a deadlock.
LOCK_ERRORS = (psycopg2.errors.LockNotAvailable, psycopg2.errors.DeadlockDetected)


def _select_for(records, ids, strength, skip_locked):
    return SQL(
        "SELECT id FROM %s WHERE id IN %s ORDER BY id %s%s",
        SQL.identifier(records._table),
        tuple(ids),
        SQL(STRENGTHS[strength]),
        SQL(" SKIP LOCKED") if skip_locked else SQL(""),
    )


def try_lock(records, strength):
    """Lock the rows of `records` that are free, without waiting; returns the busy
    ones (locked by another transaction). One query; a row changed since this
    transaction's snapshot by a locking transaction raises a serialization failure
    (retried, see above), never a lock error."""
    ids = [record_id for record_id in dict.fromkeys(records._ids) if isinstance(record_id, int)]
    if not ids:
        return records.browse()
    cr = records.env.cr
    cr.execute(_select_for(records, ids, strength, skip_locked=True), log_exceptions=False)
    locked = {row[0] for row in cr.fetchall()}
    missing = [record_id for record_id in ids if record_id not in locked]
    if not missing:
        return records.browse()
    # rows that are gone (deleted meanwhile) are not busy
    cr.execute(
        SQL("SELECT id FROM %s WHERE id IN %s", SQL.identifier(records._table), tuple(missing))
    )
    existing = {row[0] for row in cr.fetchall()}
    return records.browse([record_id for record_id in missing if record_id in existing])


def wait_lock(records, strength, wait=None):
    """Lock every row of `records`, waiting at most `wait` (default LOCK_WAIT) for
    the busy ones. Returns the rows still busy after the wait (empty: all locked at
    once; else the caller refuses, and its transaction's rollback frees what it
    locked). Rows that came free during the wait: retried with a fresh snapshot."""
    busy = try_lock(records, strength)
    if not busy:
        return busy
    cr = records.env.cr
    cr.execute("SELECT current_setting('lock_timeout')")
    previous = cr.fetchone()[0]
    try:
        with cr.savepoint(flush=False):
            cr.execute("SELECT set_config('lock_timeout', %s, true)", [wait or LOCK_WAIT])
            cr.execute(_select_for(busy, busy._ids, strength, False), log_exceptions=False)
            cr.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
    except LOCK_ERRORS:
        # the savepoint's rollback also undid the lock_timeout and any partial lock
        return try_lock(busy, strength)
    retry_with_fresh_snapshot(cr)


def retry_with_fresh_snapshot(cr):
    """Raise a real serialization failure (SQLSTATE 40001), without an ERROR line:
    the request (or the job) runs again from its start, in a new transaction that
    sees what the transactions it waited for committed."""
    cr.execute(
        "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure', MESSAGE = "
        "'waited for a row another transaction held: retried with a fresh snapshot'; "
        "END $$",
        log_exceptions=False,
    )
