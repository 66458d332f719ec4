"""Pure tests of the results sheet's approval chain (engine/signoff.py); no Odoo.

Seed 004 第17条: the 《绩效考核结果处理表》 is confirmed along 上级主管 → 职能部门经理
→ 人力资源总监 → 总经理; seed 000 3.2: 公司领导 approve. RELIABILITY #41.
"""

import doctest
import importlib
import sys

import pytest

try:
    from .engine_loader import load_engine
except ImportError:
    from engine_loader import load_engine

engine = load_engine()
signoff = importlib.import_module(f"{engine.__name__}.signoff")
KpiEngineError = engine.KpiEngineError

# Seed 004's chain: supervisor 11, department manager 12, HR director 13, GM 14.
SEED_004 = [("上级主管", {11}), ("职能部门经理", {12}), ("人力资源总监", {13}), ("总经理", {14})]
EVALUATED = {21, 22, 23}  # the three advisors on the sheet


def test_seed_004_chain_signs_in_order():
    """RELIABILITY #41: four levels, one signature each, in order."""
    approvals = []
    for user, (_name, signers) in zip([11, 12, 13, 14], SEED_004, strict=True):
        level = signoff.next_level(len(SEED_004), approvals)
        assert SEED_004[level][1] == signers
        assert signoff.signing_refusal(user, signers, approvals, EVALUATED) is None
        approvals.append(user)
    assert signoff.next_level(len(SEED_004), approvals) is None


def test_seed_000_one_level_and_no_chain():
    """RELIABILITY #41: 公司领导 alone; a company with no chain has nothing to sign."""
    assert signoff.next_level(1, []) == 0
    assert signoff.next_level(1, [14]) is None
    assert signoff.next_level(0, []) is None


def test_own_result_earlier_level_and_stranger_refused():
    """RELIABILITY #41: four-eyes and the level's signers."""
    own = signoff.signing_refusal(21, {21, 12}, [], EVALUATED)
    assert "own result" in own.message
    twice = signoff.signing_refusal(11, {11, 12}, [11], EVALUATED)
    assert "earlier level" in twice.message
    stranger = signoff.signing_refusal(99, {12}, [11], EVALUATED)
    assert "not among the signers" in stranger.message
    assert signoff.eligible_signers({11, 12, 21}, [11], EVALUATED) == {12}


def test_bad_chains_refused():
    """RELIABILITY #41: unnamed levels, more signatures than levels."""
    assert signoff.check_chain([("公司领导", "users")]) == 1
    with pytest.raises(KpiEngineError, match="Level 2"):
        signoff.check_chain([("上级主管", "superior"), (" ", "users")])
    with pytest.raises(KpiEngineError, match="3 signatures"):
        signoff.next_level(2, [1, 2, 3])


def test_doctests():
    assert doctest.testmod(sys.modules[signoff.__name__]).failed == 0
