"""One test walks the whole registry as hostile users (RELIABILITY #41, #42, #43, #44).

Every model of both addons and every field they declare or add to other models is
taken from the registry at run time, not from a hand list: a model or field added
later is covered without editing this file. For each role (rep, lead, manager,
officer, another company's officer) the test tries, as that user, on a record of
each model (one the user can read when there is one, and one of the demo company):

* write and create with hostile values: NaN, ±inf, 1e308, −1, a 100,000-character
  digit string, 'abc', 2**40, a bogus selection value, 2027-02-30, 'yesterday',
  1900-01-01, another company's records, another employee;
* every protected field and every value of every protected selection (state changes);
* unlink.

Each attempt must end refused cleanly (AccessError, UserError or ValidationError, or
a PostgreSQL constraint, which Odoo's RPC layer answers with its message; and the
record unchanged when read back) or accepted within the model's declared policy
(``_kpi_policy``). Anything else is a traceback, and there must be none. The totals
are printed, with the opt-outs and their reasons.
"""

import math
import xmlrpc.client
from collections import Counter, defaultdict

import psycopg2

from odoo.addons.hr_kpi_service.models.kpi_values import (
    ADDONS,
    MONEY_BOUNDS,
    NUMBER_BOUNDS,
    own_field,
)
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import XmlRpcMixin

MIXIN = "hr.kpi.protected.mixin"
# Models or fields of the addons left out of the walk, with the reason (printed).
OPT_OUTS = {}
LONG_DIGITS = "9" * 100_000
CLEAN = (AccessError, UserError)


class Outcome:
    REFUSED = "refused"
    BY_DATABASE = "refused by a database constraint"
    ACCEPTED = "accepted by policy"
    WRONGLY = "accepted against the policy"
    TRACEBACK = "traceback"
    CHANGED = "refused but changed"


@tagged("post_install", "-at_install")
class TestTrustRegistry(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.ref("base.main_company")
        cls.other_company = cls.env["res.company"].create({"name": "外省分公司 (registry test)"})
        officer = new_test_user(
            cls.env,
            "kpi_registry_officer",
            groups="base.group_user,hr_kpi_service.group_kpi_officer",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        other_officer = new_test_user(
            cls.env,
            "kpi_registry_other_officer",
            groups="base.group_user,hr_kpi_service.group_kpi_officer",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        cls.roles = {
            "rep": cls.env.ref("hr_kpi_service.user_kpi_rep_demo"),
            "lead": cls.env.ref("hr_kpi_service.user_kpi_lead_demo"),
            "manager": cls.env.ref("hr_kpi_service.user_kpi_manager_demo"),
            "officer": officer,
            "other company's officer": other_officer,
        }
        cls.other_employee = cls.env["hr.employee"].create(
            {"name": "外省员工", "company_id": cls.other_company.id}
        )

    # ------------------------------------------------------------------
    # What the registry holds
    # ------------------------------------------------------------------
    def _models(self):
        """{model name: [own fields]}: models of the addons and models they add to."""
        found = {}
        for name in sorted(self.env.registry):
            model = self.env[name]
            if model._original_module in ADDONS and (model._abstract or not model._auto):
                # no table of its own to write: the mixins, the report renderers, the
                # analysis SQL views (read-only)
                self.skipped[name] = "abstract model" if model._abstract else "SQL view, read-only"
                continue
            if model._abstract or not model._auto:
                continue
            own = [
                field
                for field in model._fields.values()
                if not field.automatic and own_field(model, field)
            ]
            if model._original_module in ADDONS or own:
                found[name] = own
        return found

    def _declares_policy(self, model):
        return any(
            "_kpi_policy" in vars(cls)
            and getattr(cls, "_module", None) in ADDONS
            and getattr(cls, "_name", None) != MIXIN
            for cls in type(model).__mro__
        )

    def _other_company_record(self, comodel):
        Model = self.env[comodel].sudo().with_context(active_test=False)
        if "company_id" not in Model._fields or not Model._fields["company_id"].store:
            return None
        if comodel == "hr.employee":
            return self.other_employee
        if comodel == "res.company":
            return self.other_company
        return Model.search([("company_id", "=", self.other_company.id)], limit=1) or None

    def _hostile_values(self, model, field, policy):
        """[(value, must be refused)] for `field`."""
        bounds = policy.bounds.get(field.name)
        if bounds is None:
            bounds = MONEY_BOUNDS if field.type == "monetary" else NUMBER_BOUNDS
        if field.type in ("integer", "float", "monetary"):
            minimum = bounds[0]
            values = [
                (math.nan, True),
                (math.inf, True),
                (-math.inf, True),
                (1e308, True),
                (LONG_DIGITS, True),
                ("abc", True),
                (-1, minimum is not None and minimum > -1),
            ]
            if field.type == "integer":
                values.append((2**40, True))
            return values
        if field.type == "selection":
            values = [("bogus", True), (123, True)]
            if field.name in policy.protected:
                values += [(value, False) for value in field.get_values(self.env)]
            return values
        if field.type == "date":
            return [("2027-02-30", True), ("yesterday", True), ("1900-01-01", True)]
        if field.type == "datetime":
            return [
                ("2027-02-30 10:00:00", True),
                ("yesterday", True),
                ("1900-01-01 08:00:00", True),
            ]
        if field.type == "many2one":
            values = [("abc", True)]
            other = self._other_company_record(field.comodel_name)
            if other and "company_id" in model._fields:
                values.append((other.id, True))
            if field.comodel_name == "hr.employee":
                employee = self.env["hr.employee"].search(
                    [("company_id", "=", self.company.id)], limit=1, order="id desc"
                )
                values.append((employee.id, False))
            return values
        if field.type in ("char", "text", "html"):
            return [(LONG_DIGITS, False)]
        if field.type == "boolean":
            return [(True, False), (False, False)]
        if field.type in ("one2many", "many2many"):
            return [("abc", True)]
        return []

    # ------------------------------------------------------------------
    # One attempt
    # ------------------------------------------------------------------
    def _attempt(self, operation, readback=None):
        """Run `operation()` in a savepoint that is always rolled back: the exception
        (None when accepted), and, after a refusal, what `readback()` reads then from
        the database (in the same savepoint)."""
        cr = self.env.cr
        error = value = None
        cr.execute("SAVEPOINT registry_attempt")
        try:
            operation()
        except Exception as caught:  # classified by the caller: refusals and tracebacks
            error = caught
            if readback and isinstance(caught, CLEAN):
                self.env.clear()
                value = readback()
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT registry_attempt")
            cr.execute("RELEASE SAVEPOINT registry_attempt")
            self.env.clear()
        return error, value

    def _classify(self, error, must_refuse, changed=False):
        if isinstance(error, CLEAN):
            return Outcome.CHANGED if changed else Outcome.REFUSED
        if isinstance(error, psycopg2.IntegrityError):
            return Outcome.BY_DATABASE
        if error is not None:
            return Outcome.TRACEBACK
        return Outcome.WRONGLY if must_refuse else Outcome.ACCEPTED

    def _write_must_refuse(self, record, field, value, invalid, policy):
        """Whether the policy refuses this write to `record` by this (non-super) user."""
        if invalid or policy.system_owned or field.name in policy.protected:
            return True
        if field.name in record._kpi_computed_fields():
            return True
        if field.name in policy.fixed and record._kpi_changed(field.name, value):
            return True
        if policy.locked_when and policy.lockable([field.name]) and record._kpi_locked_records():
            return True
        return False

    def _try_write(self, user, record, field, value, invalid, policy):
        target = record.with_user(user)
        before = record.sudo()[field.name]

        def operation():
            target.write({field.name: value})
            target.env.flush_all()

        error, after = self._attempt(operation, lambda: record.sudo()[field.name])
        must_refuse = self._write_must_refuse(record, field, value, invalid, policy)
        return self._classify(error, must_refuse, changed=error is not None and after != before)

    def _try_create(self, user, model, base, field, value, invalid, policy):
        vals = dict(base, **{field.name: value})
        Model = self.env[model._name].with_user(user)

        def operation():
            Model.create(vals)
            Model.env.flush_all()

        error, _ = self._attempt(operation)
        must_refuse = (
            invalid
            or policy.system_owned
            or (
                field.name in policy.protected
                and not model._kpi_unchanged_on_create(field.name, value)
            )
        )
        return self._classify(error, must_refuse)

    def _try_unlink(self, user, record, policy):
        def operation():
            record.with_user(user).unlink()
            self.env.flush_all()

        error, _ = self._attempt(operation)
        must_refuse = (
            policy.system_owned
            or policy.unlink == "action"
            or (
                policy.unlink == "unlocked"
                and policy.locked_when
                and bool(record._kpi_locked_records())
            )
        )
        return self._classify(error, must_refuse)

    # ------------------------------------------------------------------
    # The walk
    # ------------------------------------------------------------------
    def _targets(self, model, user):
        """A record `user` can read (when there is one) and one of the demo company."""
        Model = self.env[model._name].with_context(active_test=False)
        records = Model.sudo().search(
            [("company_id", "=", self.company.id)]
            if "company_id" in Model._fields and Model._fields["company_id"].store
            else [],
            limit=1,
            order="id desc",
        )
        try:
            records |= Model.with_user(user).search([], limit=1, order="id desc").sudo()
        except AccessError:
            pass
        return records

    def _walk_model(self, model, own, totals, problems):
        """Every role's attempts on one model."""
        name = model._name
        policy = model._kpi_policy
        for role, user in self.roles.items():
            targets = self._targets(model, user)
            base = targets[:1].copy_data()[0] if targets and not model._transient else {}
            for field in own:
                if field.readonly and not field.store:
                    continue
                for value, invalid in self._hostile_values(model, field, policy):
                    for record in targets:
                        outcome = self._try_write(user, record, field, value, invalid, policy)
                        totals[outcome] += 1
                        if outcome not in (Outcome.REFUSED, Outcome.ACCEPTED):
                            problems[outcome].append(
                                f"{role} write {name}.{field.name}={str(value)[:30]!r} on {record.id}"
                            )
                    if invalid or field.name in policy.protected:
                        outcome = self._try_create(user, model, base, field, value, invalid, policy)
                        totals[outcome] += 1
                        if outcome not in (Outcome.REFUSED, Outcome.ACCEPTED):
                            problems[outcome].append(
                                f"{role} create {name} {field.name}={str(value)[:30]!r}"
                            )
            for record in targets:
                outcome = self._try_unlink(user, record, policy)
                totals[outcome] += 1
                if outcome not in (Outcome.REFUSED, Outcome.ACCEPTED):
                    problems[outcome].append(f"{role} unlink {name} {record.id}")

    def test_registry_walk(self):
        """Every model, every field, every role: refused cleanly or accepted by policy;
        0 tracebacks, 0 accepted against the policy. RELIABILITY #41 RELIABILITY #42
        RELIABILITY #43 RELIABILITY #44"""
        self.skipped = {}
        models = self._models()
        totals = Counter()
        problems = defaultdict(list)
        undeclared = []
        field_count = 0
        for name, own in models.items():
            model = self.env[name]
            if name in OPT_OUTS:
                continue
            if not isinstance(model, self.env.registry[MIXIN]):
                undeclared.append(f"{name}: does not inherit {MIXIN}")
                continue
            if model._original_module in ADDONS and not self._declares_policy(model):
                undeclared.append(f"{name}: declares no _kpi_policy")
            field_count += len(own)
            self._walk_model(model, own, totals, problems)
        attempts = sum(totals.values())
        print("\n[registry walk] left out (model: reason):")
        for name, reason in {**self.skipped, **OPT_OUTS}.items():
            print(f"  {name}: {reason}")
        print(
            f"[registry walk] models {len(models)}, fields {field_count}, attempts {attempts}: "
            + ", ".join(f"{label} {count}" for label, count in sorted(totals.items()))
        )
        for outcome, items in problems.items():
            print(f"[registry walk] {outcome}: {len(items)}")
            for item in items[:40]:
                print("   ", item)
        self.assertEqual(undeclared, [])
        self.assertGreater(len(models), 40)
        self.assertGreater(attempts, 10_000)
        self.assertEqual(totals[Outcome.TRACEBACK], 0, problems[Outcome.TRACEBACK][:20])
        self.assertEqual(totals[Outcome.WRONGLY], 0, problems[Outcome.WRONGLY][:20])
        self.assertEqual(totals[Outcome.CHANGED], 0, problems[Outcome.CHANGED][:20])


@tagged("post_install", "-at_install")
class TestTrustRegistryRpc(XmlRpcMixin, HttpCase):
    """A sample of the walk over real XML-RPC: the ORM and the RPC path agree, and each
    RPC refusal is a clean fault (RELIABILITY #41, #42). Runs with ``--odoo-http``."""

    def _sample(self):
        rep = self.env.ref("hr_kpi_service.user_kpi_rep_demo")
        lead = self.env.ref("hr_kpi_service.user_kpi_lead_demo")
        Evaluation = self.env["hr.kpi.evaluation"]
        evaluation = Evaluation.search([("employee_id.user_id", "=", rep.id)], limit=1)
        incident = self.env["hr.kpi.incident"].search([], limit=1)
        plan_line = self.env["hr.kpi.target.plan.line"].search([], limit=1)
        period = self.env["hr.kpi.period"].search([], limit=1)
        contract = self.env["hr.contract"].search([("employee_id.user_id", "=", rep.id)], limit=1)
        return [
            (lead, evaluation, {"total_score": 130}),
            (lead, evaluation, {"state": "bogus"}),
            (lead, evaluation, {"appeal_deadline": "2027-02-30 08:00:00"}),
            (rep, evaluation, {"strengths": "自评"}),
            (lead, incident, {"date": "1900-01-01"}),
            (lead, incident, {"points": 1e308}),
            (lead, incident, {"points": "abc"}),
            (rep, plan_line, {"target": -1}),
            (lead, plan_line, {"target": "9" * 1000}),
            (lead, period, {"state": "closed"}),
            (lead, contract, {"kpi_performance_base": -5000}),
        ]

    def test_rpc_agrees_with_the_orm(self):
        """The same hostile writes through the ORM and over XML-RPC end the same way;
        RPC refusals carry no Python error. RELIABILITY #41 RELIABILITY #42"""
        compared = 0
        for user, record, vals in self._sample():
            if not record:
                continue
            with self.subTest(model=record._name, vals=str(vals)[:60], user=user.login):
                try:
                    with self.env.cr.savepoint():
                        record.with_user(user).write(vals)
                        self.env.flush_all()
                    orm_refused = False
                except (AccessError, UserError):
                    orm_refused = True
                self.env.clear()
                before = record.read(list(vals))[0]
                try:
                    self._call(user, record._name, "write", [record.id], vals)
                    rpc_refused = False
                except xmlrpc.client.Fault as fault:
                    rpc_refused = True
                    for marker in self.TRACEBACK_MARKERS:
                        self.assertNotIn(marker, fault.faultString)
                self.env.clear()
                self.assertEqual(rpc_refused, orm_refused)
                if rpc_refused:
                    self.assertEqual(record.read(list(vals))[0], before)
                compared += 1
        self.assertGreaterEqual(compared, 8)
