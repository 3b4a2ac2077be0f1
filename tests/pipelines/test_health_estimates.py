"""The attribution arithmetic, worked by hand on 2 practices, 3 LSOAs and 2 wards."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.health_estimates import (
    attribute_practices,
    attribute_rates,
    lsoa11_populations,
    lsoa_to_wards,
    msoa_to_wards,
    msoa_ward_populations,
)

# Practice A: register 30 of list 300; patients by LSOA L1/L2/L3 = 100/200/0.
# Practice B: register 10 of list 200; patients L1/L2/L3 = 0/50/150.
PRACTICES = pd.DataFrame({"practice_code": ["A", "B"], "count": [30.0, 10.0], "denominator": [300.0, 200.0]})
PATIENTS = pd.DataFrame(
    {"practice_code": ["A", "A", "B", "B"], "lsoa_code": ["L1", "L2", "L2", "L3"], "patients": [100, 200, 50, 150]}
)
# L1 in ward W1, L3 in ward W2, L2 split 0.25 W1 / 0.75 W2.
WEIGHTS = pd.DataFrame(
    {"lsoa_code": ["L1", "L2", "L2", "L3"], "ward_code": ["W1", "W1", "W2", "W2"], "weight": [1.0, 0.25, 0.75, 1.0]}
)


def test_registers_shared_by_patients():
    lsoa = attribute_practices(PRACTICES, PATIENTS).set_index("lsoa_code")
    # L1: A 30*100/300 = 10; L2: A 30*200/300 = 20 + B 10*50/200 = 2.5 -> 22.5; L3: B 10*150/200 = 7.5
    assert lsoa["count"].to_dict() == pytest.approx({"L1": 10.0, "L2": 22.5, "L3": 7.5})
    # lists: L1 300*1/3 = 100; L2 200 + 200*0.25 = 250; L3 150
    assert lsoa["denominator"].to_dict() == pytest.approx({"L1": 100.0, "L2": 250.0, "L3": 150.0})


def test_totals_replace_the_practices_row_sums():
    # B's whole list is 400 (half its patients live outside the file): L3 gets 10*150/400 = 3.75
    totals = pd.DataFrame({"practice_code": ["A", "B"], "total": [300.0, 400.0]})
    lsoa = attribute_practices(PRACTICES, PATIENTS, totals).set_index("lsoa_code")
    assert lsoa.loc["L3", "count"] == pytest.approx(3.75)


def test_wards_split_lsoas_by_weight():
    ward = lsoa_to_wards(attribute_practices(PRACTICES, PATIENTS), WEIGHTS).set_index("ward_code")
    # W1 = 10 + 0.25*22.5 = 15.625 of 100 + 0.25*250 = 162.5; W2 = 0.75*22.5 + 7.5 = 24.375 of 187.5 + 150 = 337.5
    assert ward["count"].to_dict() == pytest.approx({"W1": 15.625, "W2": 24.375})
    assert ward["denominator"].to_dict() == pytest.approx({"W1": 162.5, "W2": 337.5})
    assert ward["count"].sum() == pytest.approx(40.0)  # nothing lost: both registers in full


def test_practice_rates_weighted_by_patients():
    rates = pd.DataFrame({"practice_code": ["A", "B"], "value": [10.0, 20.0]})
    lsoa = attribute_rates(rates, PATIENTS).set_index("lsoa_code")
    # L2: 10% of 200 + 20% of 50 = 30 of 250
    assert (lsoa.loc["L2", "count"], lsoa.loc["L2", "denominator"]) == pytest.approx((30.0, 250.0))


def test_msoa_values_weighted_by_ward_residents():
    lsoa_msoa = pd.DataFrame({"lsoa_code": ["L1", "L2", "L3"], "msoa_code": ["M1", "M1", "M2"]})
    population = pd.DataFrame({"lsoa_code": ["L1", "L2", "L3"], "population": [1000, 2000, 1500]})
    pops = msoa_ward_populations(lsoa_msoa, population, WEIGHTS)
    # W1: M1 = 1000 + 0.25*2000 = 1500; W2: M1 = 1500, M2 = 1500
    ward = msoa_to_wards(pd.DataFrame({"msoa_code": ["M1", "M2"], "value": [70.0, 80.0]}), pops).set_index("ward_code")
    assert ward["value"].to_dict() == pytest.approx({"W1": 70.0, "W2": 75.0})  # W2 = (70*1500 + 80*1500) / 3000


def test_2021_populations_mapped_to_2011_lsoas():
    lookup = pd.DataFrame({"lsoa11_code": ["A", "B", "B", "C", "D"], "lsoa21_code": ["a", "b1", "b2", "cd", "cd"]})
    pop = pd.DataFrame({"lsoa_code": ["a", "b1", "b2", "cd"], "population": [100, 60, 40, 300]})
    out = lsoa11_populations(lookup, pop).set_index("lsoa_code")["population"].to_dict()
    # split B = 60 + 40; merged cd shared equally between C and D
    assert out == pytest.approx({"A": 100, "B": 100, "C": 150, "D": 150})
