from collections import Counter
from tests.test_payslip_bulk_identity import *
class T(TestPayslipBulkIdentity):
    def test_dbg(self):
        run, ref, bulk, q = self._both_ways()
        print("queries", q, {k: (len(v), len(bulk[k])) for k, v in ref.items()})
        print(Counter(r["company_id"] for r in ref["hr_payslip"]), Counter(r["company_id"] for r in bulk["hr_payslip"]))
        print(len(run.slip_ids), run.slip_ids.mapped("company_id.name"))
