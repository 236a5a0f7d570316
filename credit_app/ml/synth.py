"""Synthetic applications in the Home Credit format, with a learnable default signal.

A hidden creditworthiness drives the three external scores (noisily) and, with the
applicant's age, education, payment burden, job and region, the probability of default.
The intercept is solved so that the expected default rate is `DEFAULT_RATE`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, ndtr

from credit_app.ml.schema import (
    ALL_COLUMNS,
    BUREAU_REQUEST_COLUMNS,
    CATEGORIES,
    DAYS_EMPLOYED_NOT_EMPLOYED,
    DOCUMENT_FLAG_COLUMNS,
    HOUSING_MEASURES,
    ID_COLUMN,
    NUMERIC_COLUMNS,
    TARGET_COLUMN,
)

DEFAULT_RATE = 0.08
FIRST_ID = 100_002
_YEAR = 365.25

#: Columns written as whole numbers (never missing in the format).
INTEGER_COLUMNS = [
    ID_COLUMN,
    TARGET_COLUMN,
    "CNT_CHILDREN",
    "DAYS_BIRTH",
    "DAYS_EMPLOYED",
    "DAYS_ID_PUBLISH",
    "REGION_RATING_CLIENT",
    "REGION_RATING_CLIENT_W_CITY",
    "HOUR_APPR_PROCESS_START",
    *(c for c in NUMERIC_COLUMNS if c.startswith("FLAG_") or "_NOT_" in c),
]

# Share of rows missing each housing measure (the block is missing together for about
# half the applicants, and some measures far more often).
_HOUSING_MISSING = {
    "APARTMENTS": 0.50,
    "BASEMENTAREA": 0.58,
    "YEARS_BEGINEXPLUATATION": 0.48,
    "YEARS_BUILD": 0.66,
    "COMMONAREA": 0.70,
    "ELEVATORS": 0.53,
    "ENTRANCES": 0.50,
    "FLOORSMAX": 0.49,
    "FLOORSMIN": 0.68,
    "LANDAREA": 0.59,
    "LIVINGAPARTMENTS": 0.68,
    "LIVINGAREA": 0.50,
    "NONLIVINGAPARTMENTS": 0.69,
    "NONLIVINGAREA": 0.55,
}
# (alpha, beta) of each measure's Beta distribution on [0, 1].
_HOUSING_SHAPE = {
    "APARTMENTS": (1.6, 12.0),
    "BASEMENTAREA": (1.5, 14.0),
    "YEARS_BEGINEXPLUATATION": (200.0, 4.0),
    "YEARS_BUILD": (8.0, 2.6),
    "COMMONAREA": (0.7, 18.0),
    "ELEVATORS": (0.5, 5.0),
    "ENTRANCES": (2.2, 13.0),
    "FLOORSMAX": (2.0, 8.0),
    "FLOORSMIN": (2.2, 7.0),
    "LANDAREA": (0.9, 12.0),
    "LIVINGAPARTMENTS": (1.6, 13.0),
    "LIVINGAREA": (1.4, 12.0),
    "NONLIVINGAPARTMENTS": (0.3, 25.0),
    "NONLIVINGAREA": (0.4, 12.0),
}


class _Draw:
    """A seeded random source with the few helpers the generator needs."""

    def __init__(self, rows: int, seed: int) -> None:
        self.n = rows
        self.rng = np.random.default_rng(seed)

    def pick(self, values: list[str], weights: list[float]) -> np.ndarray:
        """Categorical draw with the given (unnormalised) weights."""
        p = np.asarray(weights, dtype=float)
        return np.asarray(values, dtype=object)[self.rng.choice(len(values), self.n, p=p / p.sum())]

    def flag(self, p: float | np.ndarray) -> np.ndarray:
        """0/1 draws with probability p."""
        return (self.rng.random(self.n) < p).astype(np.int64)

    def normal(self) -> np.ndarray:
        """Standard normal draws."""
        return self.rng.standard_normal(self.n)

    def blank(self, values: np.ndarray, share: float | np.ndarray) -> np.ndarray:
        """A copy of values with about `share` of them missing."""
        out = values.astype(object if values.dtype == object else float)
        out[self.rng.random(self.n) < share] = None if out.dtype == object else np.nan
        return out


def generate(rows: int, seed: int, first_id: int = FIRST_ID) -> pd.DataFrame:
    """A frame of `rows` synthetic applications with exactly the 122 Home Credit columns."""
    return generate_with_risk(rows, seed, first_id)[0]


def generate_with_risk(
    rows: int, seed: int, first_id: int = FIRST_ID
) -> tuple[pd.DataFrame, np.ndarray]:
    """`generate`'s frame and each row's true probability of default, the one its TARGET
    was drawn from: what simulated outcomes and the tests of realised accuracy start from."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    d = _Draw(rows, seed)
    c: dict[str, np.ndarray] = {ID_COLUMN: np.arange(first_id, first_id + rows)}
    worth = d.normal()  # hidden creditworthiness
    people = _people(d, c)
    _loan(d, c, people)
    _scores(d, c, worth, people)
    _housing(d, c, worth)
    _contact_and_documents(d, c, people)
    risk = _risk(c, worth, people)
    probability = expit(_intercept(risk) + risk)
    c[TARGET_COLUMN] = d.flag(probability)
    frame = pd.DataFrame({name: c[name] for name in ALL_COLUMNS})
    for name in INTEGER_COLUMNS:
        frame[name] = frame[name].astype(np.int64)
    return frame, probability


def _people(d: _Draw, c: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Demography, income, job and family; returns helper arrays for later blocks."""
    age = 21 + 48 * d.rng.beta(1.7, 1.9, d.n)
    c["DAYS_BIRTH"] = -np.round(age * _YEAR).astype(np.int64)
    c["CODE_GENDER"] = d.pick(["F", "M", "XNA"], [0.658, 0.342, 0.0002])
    old = age > 56
    income_type = d.pick(
        ["Working", "Commercial associate", "State servant", "Unemployed", "Student",
         "Businessman", "Maternity leave"],
        [0.62, 0.29, 0.085, 0.0005, 0.0003, 0.0002, 0.0002],
    )  # fmt: skip
    income_type[old & (d.rng.random(d.n) < 0.85)] = "Pensioner"
    income_type[~old & (d.rng.random(d.n) < 0.035)] = "Pensioner"
    c["NAME_INCOME_TYPE"] = income_type
    jobless = np.isin(income_type, ["Pensioner", "Unemployed"])
    years_employed = np.minimum(d.rng.exponential(6.0, d.n), age - 18.5)
    c["DAYS_EMPLOYED"] = np.where(
        jobless, DAYS_EMPLOYED_NOT_EMPLOYED, -np.round(years_employed * _YEAR).astype(np.int64)
    )
    education = d.pick(CATEGORIES["NAME_EDUCATION_TYPE"], [0.71, 0.243, 0.034, 0.012, 0.001])
    c["NAME_EDUCATION_TYPE"] = education
    higher = np.isin(education, ["Higher education", "Academic degree"])
    occupation = d.pick(
        CATEGORIES["OCCUPATION_TYPE"],
        [26, 15, 13.5, 9, 9.7, 6.2, 4.5, 4.3, 2.5, 2.6, 1.6, 1.3, 1.4, 0.5, 0.7, 0.4, 0.3, 0.3],
    )
    occupation[jobless | (d.rng.random(d.n) < 0.12)] = None
    c["OCCUPATION_TYPE"] = occupation
    organizations = CATEGORIES["ORGANIZATION_TYPE"]
    weights = [0.0 if o == "XNA" else (rank + 1.5) ** -1.4 for rank, o in enumerate(organizations)]
    organization = d.pick(organizations, weights)
    organization[jobless] = "XNA"
    c["ORGANIZATION_TYPE"] = organization
    male = c["CODE_GENDER"] == "M"
    log_income = np.log(140_000) + 0.45 * d.normal() + 0.25 * higher + 0.15 * male - 0.2 * jobless
    c["AMT_INCOME_TOTAL"] = np.maximum(np.round(np.exp(log_income) / 2250) * 2250, 25_650.0)
    family = d.pick(CATEGORIES["NAME_FAMILY_STATUS"], [0.64, 0.147, 0.097, 0.064, 0.052, 0.0001])
    c["NAME_FAMILY_STATUS"] = family
    children = d.rng.choice([0, 1, 2, 3, 4], d.n, p=[0.70, 0.20, 0.087, 0.012, 0.001])
    children[age > 55] = 0
    c["CNT_CHILDREN"] = children
    couple = np.isin(family, ["Married", "Civil marriage"])
    c["CNT_FAM_MEMBERS"] = d.blank(1.0 + couple + children, 0.00001)
    c["NAME_TYPE_SUITE"] = d.blank(
        d.pick(CATEGORIES["NAME_TYPE_SUITE"], [81, 13, 3.7, 1.1, 0.6, 0.6, 0.1]), 0.004
    )
    c["NAME_HOUSING_TYPE"] = d.pick(
        CATEGORIES["NAME_HOUSING_TYPE"], [88.7, 4.8, 3.6, 1.6, 0.9, 0.4]
    )
    c["FLAG_OWN_CAR"] = d.pick(["N", "Y"], [0.66, 0.34])
    car = c["FLAG_OWN_CAR"] == "Y"
    c["OWN_CAR_AGE"] = np.where(car, np.minimum(np.round(d.rng.gamma(1.6, 7.0, d.n)), 65), np.nan)
    c["FLAG_OWN_REALTY"] = d.pick(["N", "Y"], [0.31, 0.69])
    return {
        "age": age,
        "male": male.astype(float),
        "higher": higher.astype(float),
        "lower": (education == "Lower secondary").astype(float),
        "jobless": jobless,
        "years_employed": np.where(jobless, 0.0, years_employed),
        "manual": np.isin(occupation, ["Laborers", "Drivers", "Low-skill Laborers"]),
        "office": np.isin(occupation, ["Accountants", "Managers", "High skill tech staff"]),
        "car": car.astype(float),
    }


def _loan(d: _Draw, c: dict[str, np.ndarray], people: dict[str, np.ndarray]) -> None:
    """Contract type, amounts and the application's timing."""
    revolving = d.flag(0.095).astype(bool)
    c["NAME_CONTRACT_TYPE"] = np.where(revolving, "Revolving loans", "Cash loans").astype(object)
    income = c["AMT_INCOME_TOTAL"]
    goods = np.round(income * np.exp(np.log(2.9) + 0.55 * d.normal()) / 4500) * 4500
    goods = np.clip(goods, 45_000, 2_700_000)
    cash_credit = np.round(goods * d.rng.uniform(1.0, 1.25, d.n) * 2) / 2
    revolving_credit = np.clip(np.round(income * d.rng.uniform(0.5, 2.5, d.n) / 22500), 6, 60)
    credit = np.where(revolving, revolving_credit * 22500, cash_credit)
    c["AMT_CREDIT"] = credit
    c["AMT_GOODS_PRICE"] = d.blank(np.where(revolving, credit, goods), 0.001)
    terms, term_shares = [12, 18, 24, 30, 36, 48, 60], [0.1, 0.1, 0.25, 0.1, 0.15, 0.15, 0.15]
    months = d.rng.choice(terms, d.n, p=term_shares)
    rate = 0.012 + 0.004 * d.rng.random(d.n)
    payment = credit * rate / (1 - (1 + rate) ** -months)
    c["AMT_ANNUITY"] = d.blank(np.round(np.where(revolving, credit * 0.05, payment) * 2) / 2, 4e-5)
    c["WEEKDAY_APPR_PROCESS_START"] = d.pick(
        CATEGORIES["WEEKDAY_APPR_PROCESS_START"], [16.4, 17.5, 16.9, 16.5, 16.4, 11.0, 5.3]
    )
    c["HOUR_APPR_PROCESS_START"] = np.clip(np.round(12 + 3.3 * d.normal()), 0, 23).astype(np.int64)
    days = people["age"] * _YEAR
    c["DAYS_REGISTRATION"] = -np.round(d.rng.beta(1.2, 2.2, d.n) * (days - 18 * _YEAR))
    c["DAYS_ID_PUBLISH"] = -np.round(d.rng.uniform(0, 1, d.n) ** 0.7 * 6300).astype(np.int64)
    phone = -np.minimum(np.round(d.rng.exponential(960, d.n)), 4300)
    c["DAYS_LAST_PHONE_CHANGE"] = d.blank(np.where(d.rng.random(d.n) < 0.12, 0.0, phone), 1e-5)
    population = np.exp(np.log(0.018) + 0.75 * d.normal())
    c["REGION_POPULATION_RELATIVE"] = np.round(np.clip(population, 0.00029, 0.0725), 6)
    rating = np.where(population > 0.04, 1, np.where(population < 0.006, 3, 2))
    rating = np.where(d.rng.random(d.n) < 0.12, d.rng.choice([1, 2, 3], d.n), rating)
    c["REGION_RATING_CLIENT"] = rating.astype(np.int64)
    city_shift = (d.rng.random(d.n) < 0.05) & (rating > 1)
    c["REGION_RATING_CLIENT_W_CITY"] = (rating - city_shift).astype(np.int64)
    for name, share in (
        ("REG_REGION_NOT_LIVE_REGION", 0.015),
        ("REG_REGION_NOT_WORK_REGION", 0.05),
        ("LIVE_REGION_NOT_WORK_REGION", 0.04),
        ("REG_CITY_NOT_LIVE_CITY", 0.08),
        ("REG_CITY_NOT_WORK_CITY", 0.23),
        ("LIVE_CITY_NOT_WORK_CITY", 0.18),
    ):
        c[name] = d.flag(share) * (~people["jobless"] | name.startswith("REG_CITY_NOT_LIVE"))


def _scores(
    d: _Draw, c: dict[str, np.ndarray], worth: np.ndarray, people: dict[str, np.ndarray]
) -> None:
    """The three external scores: noisy, partly missing views of creditworthiness."""
    age_effect = (people["age"] - 43) / 12
    views = {
        "EXT_SOURCE_1": (0.72, 0.35, 0.56, 0.01, 0.95),
        "EXT_SOURCE_2": (0.70, 0.05, 0.002, 0.0, 0.855),
        "EXT_SOURCE_3": (0.72, 0.15, 0.20, 0.0, 0.89),
    }
    for name, (loading, age_loading, missing, low, high) in views.items():
        noise = np.sqrt(1 - loading**2) * d.normal()
        latent = loading * worth + age_loading * age_effect + noise
        c[name] = d.blank(np.round(low + (high - low) * ndtr(0.9 * latent + 0.15), 6), missing)


def _housing(d: _Draw, c: dict[str, np.ndarray], worth: np.ndarray) -> None:
    """The normalised building block: missing together for about half the rows."""
    has_building = d.rng.random(d.n) < 0.535
    quality = 0.3 * worth + d.normal()
    for measure in HOUSING_MEASURES:
        alpha, beta = _HOUSING_SHAPE[measure]
        base = d.rng.beta(alpha, beta, d.n) * np.exp(0.05 * quality)
        keep_share = (1 - _HOUSING_MISSING[measure]) / 0.535
        present = has_building & (d.rng.random(d.n) < keep_share)
        for stat, spread in (("AVG", 0.0), ("MODE", 0.04), ("MEDI", 0.015)):
            value = np.clip(base * (1 + spread * d.normal()), 0, 1)
            c[f"{measure}_{stat}"] = np.where(present, np.round(value, 4), np.nan)
    total = np.clip(c["LIVINGAREA_AVG"] * 1.1 + 0.005 * d.normal(), 0, 1)
    c["TOTALAREA_MODE"] = np.where(has_building, np.round(total, 4), np.nan)
    c["TOTALAREA_MODE"] = d.blank(c["TOTALAREA_MODE"], 0.02)

    def block(column: str, weights: list[float], missing: float) -> np.ndarray:
        """A building text column, missing with the block and then to `missing` overall."""
        values = d.pick(CATEGORIES[column], weights)
        values[~has_building] = None
        return d.blank(values, (missing - 0.465) / 0.535)

    c["FONDKAPREMONT_MODE"] = block("FONDKAPREMONT_MODE", [77, 11, 6.5, 5.5], 0.68)
    c["HOUSETYPE_MODE"] = block("HOUSETYPE_MODE", [98, 0.8, 0.6], 0.50)
    c["WALLSMATERIAL_MODE"] = block("WALLSMATERIAL_MODE", [43, 42, 7.5, 3.6, 1.5, 1.2, 1.2], 0.51)
    c["EMERGENCYSTATE_MODE"] = block("EMERGENCYSTATE_MODE", [99, 1], 0.47)


def _contact_and_documents(
    d: _Draw, c: dict[str, np.ndarray], people: dict[str, np.ndarray]
) -> None:
    """Phone and e-mail flags, social circle, documents and credit bureau requests."""
    c["FLAG_MOBIL"] = np.ones(d.n, dtype=np.int64)
    c["FLAG_EMP_PHONE"] = (~people["jobless"]).astype(np.int64)
    c["FLAG_WORK_PHONE"] = d.flag(0.2) * c["FLAG_EMP_PHONE"]
    c["FLAG_CONT_MOBILE"] = d.flag(0.998)
    c["FLAG_PHONE"] = d.flag(0.28)
    c["FLAG_EMAIL"] = d.flag(0.057)
    observed = d.rng.negative_binomial(0.6, 0.3, d.n).astype(float)
    defaults = d.rng.binomial(observed.astype(np.int64), 0.08).astype(float)
    circle_missing = d.rng.random(d.n) < 0.0033
    for days, shrink in ((30, 0), (60, 1)):
        obs = np.maximum(observed - shrink * d.flag(0.05), 0)
        c[f"OBS_{days}_CNT_SOCIAL_CIRCLE"] = np.where(circle_missing, np.nan, obs)
        dflt = np.minimum(np.maximum(defaults - shrink * d.flag(0.1), 0), obs)
        c[f"DEF_{days}_CNT_SOCIAL_CIRCLE"] = np.where(circle_missing, np.nan, dflt)
    shares = {3: 0.71, 6: 0.088, 8: 0.081, 5: 0.015, 18: 0.008, 16: 0.01, 13: 0.0035}
    for number, column in zip(range(2, 22), DOCUMENT_FLAG_COLUMNS, strict=True):
        c[column] = d.flag(shares.get(number, 0.0008))
    bureau_missing = d.rng.random(d.n) < 0.135
    means = {"HOUR": 0.006, "DAY": 0.007, "WEEK": 0.034, "MON": 0.27, "QRT": 0.27, "YEAR": 1.9}
    for column in BUREAU_REQUEST_COLUMNS:
        counts = d.rng.poisson(means[column.rsplit("_", 1)[1]], d.n).astype(float)
        c[column] = np.where(bureau_missing, np.nan, counts)


def _risk(c: dict[str, np.ndarray], worth: np.ndarray, people: dict[str, np.ndarray]) -> np.ndarray:
    """Log-odds of default, up to the intercept (with thresholds and interactions)."""
    burden = np.nan_to_num(c["AMT_ANNUITY"].astype(float) / c["AMT_INCOME_TOTAL"], nan=0.15)
    goods_share = np.nan_to_num(c["AMT_GOODS_PRICE"].astype(float) / c["AMT_CREDIT"], nan=1.0)
    young = people["age"] < 30
    new_job = ~people["jobless"] & (people["years_employed"] < 1)
    recent_phone = c["DAYS_LAST_PHONE_CHANGE"] > -200
    stretched = (c["AMT_CREDIT"] / c["AMT_INCOME_TOTAL"] > 4.5) & (people["age"] < 35)
    risk: np.ndarray = (
        +0.9 * np.logaddexp(0, -1.6 * worth) * (1 + 0.4 * young)
        - 0.025 * (people["age"] - 43)
        + 0.3 * people["male"] * (1 + young)
        - 0.35 * people["higher"]
        + 0.4 * people["lower"]
        + 1.5 * np.clip(burden - 0.15, -0.15, 0.5)
        + 0.5 * (burden > 0.3) * (1 + young)
        - 2.0 * np.clip(goods_share - 0.9, -0.3, 0.1)
        + 0.5 * new_job
        + 0.5 * stretched
        - 0.04 * np.minimum(people["years_employed"], 15)
        + 0.35 * recent_phone
        + 0.25 * people["manual"]
        - 0.25 * people["office"]
        - 0.15 * people["car"]
        + 0.25 * (c["REGION_RATING_CLIENT_W_CITY"] - 2)
        + 0.35 * np.nan_to_num(c["DEF_30_CNT_SOCIAL_CIRCLE"] > 0)
        - 0.4 * (c["NAME_CONTRACT_TYPE"] == "Revolving loans")
    )
    return risk


def _intercept(risk: np.ndarray) -> float:
    """The intercept whose mean default probability is DEFAULT_RATE (bisection)."""
    low, high = -15.0, 5.0
    for _ in range(60):
        middle = (low + high) / 2
        if expit(middle + risk).mean() > DEFAULT_RATE:
            high = middle
        else:
            low = middle
    return (low + high) / 2


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a generated frame as CSV; equal frames give identical bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")
