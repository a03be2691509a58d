"""Direct calibration and crisp thresholds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from multilat.errors import InputError
from multilat.sets import R_QCA_LOG_ODDS, calibrate_direct, crisp

# R QCA's snapshot (tests/testthat/_snaps/calibrate.md at commit ee9fd13d...):
# the first ten values of calibrate(y, type = "fuzzy", thresholds = "e=165, c=175, i=185"),
R_INCREASING = [0.8486502644, 0.8898274110, 0.4202281368, 0.2082848994, 0.8561899153,
                0.0047122780, 0.8647466321, 0.3072074727, 0.3022321494, 0.0625681594]
# of the same with the anchors reversed, thresholds = "i=165, c=175, e=185",
R_DECREASING = [0.151349736, 0.110172589, 0.579771863, 0.791715101, 0.143810085,
                0.995287722, 0.135253368, 0.692792527, 0.697767851, 0.937431841]
# and of calibrate(y, type = "crisp", thresholds = 175).
R_CRISP = [1, 1, 0, 0, 1, 0, 1, 0, 0, 0]


def test_hand_computed_values_with_ragins_log_odds() -> None:
    # Ragin's national income anchors (exclusion 2,500, crossover 5,000, inclusion 20,000).
    # By hand: above the crossover the scale is 3 / 15,000 log odds per unit, below it
    # 3 / 2,500. 20,000 -> log odds 3 -> 1 / (1 + e^-3) = 0.9526; 12,500 -> 1.5 -> 0.8176;
    # 5,000 -> 0 -> 0.5; 3,750 -> -1.5 -> 0.1824; 2,500 -> -3 -> 0.0474;
    # 35,000 -> 6 -> 0.9975; 1,250 -> -4.5 -> 0.0110.
    values = [20_000, 12_500, 5_000, 3_750, 2_500, 35_000, 1_250]
    got = calibrate_direct(values, 2_500, 5_000, 20_000)
    assert got.round(4).tolist() == [0.9526, 0.8176, 0.5, 0.1824, 0.0474, 0.9975, 0.011]


def test_r_snapshot_reversed_anchors_and_crisp() -> None:
    # The raw y of the R test are rnorm draws; recover them from R's increasing calibration
    # (log odds = (y - 175) * log(19) / 10 on both sides), then compute the two other
    # snapshots from them: the reversed anchors and the crisp threshold.
    increasing = np.array(R_INCREASING)
    y = 175 + 10 * np.log(increasing / (1 - increasing)) / math.log(19)
    assert np.allclose(calibrate_direct(y, 165, 175, 185, log_odds=R_QCA_LOG_ODDS),
                       increasing, atol=1e-9)
    decreasing = calibrate_direct(y, 185, 175, 165, log_odds=R_QCA_LOG_ODDS)
    assert np.allclose(decreasing, R_DECREASING, atol=1e-8)
    assert crisp(y, 175).tolist() == R_CRISP


def test_r_default_puts_the_anchors_at_095() -> None:
    assert calibrate_direct([10, 20, 30], 10, 20, 30, log_odds=R_QCA_LOG_ODDS).tolist() == \
        pytest.approx([0.05, 0.5, 0.95])


@pytest.mark.parametrize("anchors", [(1, 1, 2), (1, 3, 2), (3, 1, 2), (2, 2, 2), (2, 1, 1)])
def test_anchors_out_of_order(anchors: tuple[int, int, int]) -> None:
    with pytest.raises(InputError, match="anchors: found exclusion"):
        calibrate_direct([1.0], *anchors)


@pytest.mark.parametrize("values", [[1.0, math.nan], [math.inf], ["x"], [[1.0, 2.0]]])
def test_bad_values(values: list) -> None:
    with pytest.raises(InputError, match="values: found"):
        calibrate_direct(values, 0, 1, 2)


def test_bad_anchor_and_log_odds() -> None:
    with pytest.raises(InputError, match="crossover: found nan"):
        calibrate_direct([1.0], 0, math.nan, 2)
    with pytest.raises(InputError, match="log_odds: found -1"):
        calibrate_direct([1.0], 0, 1, 2, log_odds=-1)


def test_extreme_values_do_not_overflow() -> None:
    got = calibrate_direct([-1e308, 1e308], 0, 1, 2)
    assert got[0] < 1e-300 and got[1] == 1.0


def test_crisp_at_the_threshold_is_an_error() -> None:
    with pytest.raises(InputError, match="found 0.5 at position 2, exactly the threshold"):
        crisp([0.2, 0.5, 0.9])
    assert crisp([1, 5, 9], threshold=4).tolist() == [0.0, 1.0, 1.0]


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=20),
       st.tuples(finite, finite, finite).filter(lambda a: a[0] < a[1] < a[2]
                                                 and a[1] - a[0] > 1e-3
                                                 and a[2] - a[1] > 1e-3))
def test_monotone_bounded_and_mirrored(values: list[float],
                                       anchors: tuple[float, float, float]) -> None:
    e, c, i = anchors
    up = calibrate_direct(values, e, c, i)
    assert np.all((up >= 0) & (up <= 1))
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(up[order]) >= -1e-12)
    # Reversed anchors give the complement of the mirrored values' calibration.
    mirrored = calibrate_direct([-v for v in values], -e, -c, -i)
    assert np.allclose(up, mirrored)
    # A decreasing set (exclusion above inclusion) is the complement of the increasing one.
    assert np.allclose(calibrate_direct(values, i, c, e), 1 - up, atol=1e-12)
