"""Pure tests of calibration's distribution ranges (engine/calibration.py); no Odoo.

Issue 21: a committee (考核委员会, seed 004 考核流程) compares the grade distribution
with target ranges, e.g. 优秀 ≤ 10 % and at least one 待提升 or below per 20 people.
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
calibration = importlib.import_module(f"{engine.__name__}.calibration")
RULES = [
    ("优秀 ≤ 10 %", ("优秀",), 10, None),
    ("待提升及以下", ("待提升", "不合格"), None, 20),
]


def test_twenty_people_within_ranges():
    """Two 优秀 of 20 (10 %) and one 待提升: inside both ranges."""
    counts = {"优秀": 2, "良好": 10, "合格": 7, "待提升": 1}
    assert calibration.distribution_breaches(counts, RULES) == []


def test_too_many_excellent_and_nobody_low():
    """Three 优秀 of 20 (15 %) and nobody below 合格: both rules broken."""
    counts = {"优秀": 3, "良好": 10, "合格": 7}
    breaches = calibration.distribution_breaches(counts, RULES)
    assert [name for name, _message, _params in breaches] == ["优秀 ≤ 10 %", "待提升及以下"]
    assert breaches[0][2]["share"] == 15.0
    assert breaches[1][2]["needed"] == 1
    assert "above the ceiling" in breaches[0][1] % breaches[0][2]


def test_small_department_needs_no_low_grade():
    """Four advisors: fewer than 20 people, no 待提升 required; one 优秀 is 25 %."""
    breaches = calibration.distribution_breaches({"优秀": 1, "良好": 3}, RULES)
    assert [name for name, _m, _p in breaches] == ["优秀 ≤ 10 %"]
    assert calibration.required_count(40, 20) == 2


def test_bad_rules_refused():
    with pytest.raises(engine.KpiEngineError):
        calibration.distribution_breaches({"优秀": 1}, [("x", ("优秀",), 120, None)])
    with pytest.raises(engine.KpiEngineError):
        calibration.distribution_breaches({"优秀": 1}, [("x", ("优秀",), None, 0)])


def test_doctests():
    assert doctest.testmod(sys.modules[calibration.__name__]).failed == 0
