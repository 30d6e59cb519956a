"""Lifetime value and profitability against worked examples."""

from decimal import Decimal as D

import pytest

from segments.economics import customer_lifetime_value, lifetime, profit_per_period


def clv(**figures):
    defaults = {
        "revenue_per_customer": None,
        "gross_margin_percent": None,
        "churn_percent": None,
        "expected_lifetime": None,
        "period": "month",
        "currency": "EUR",
    }
    return customer_lifetime_value(**{**defaults, **figures})


def test_lifetime_value_from_churn():
    # 40 a month at 60 % margin, 5 % of customers leave each month: they stay 20 months.
    figure = clv(revenue_per_customer=D("40"), gross_margin_percent=D("60"), churn_percent=D("5"))
    assert figure.value == D("480.00")
    assert "EUR 40.00 per month × 60 % margin × 20 months" in figure.formula
    assert "1 ÷ churn 5 % = 20 months" in figure.formula
    assert figure.formula.endswith("= EUR 480.00")


def test_expected_lifetime_wins_over_churn():
    figure = clv(
        revenue_per_customer=D("100"),
        gross_margin_percent=D("25"),
        churn_percent=D("50"),
        expected_lifetime=D("36"),
    )
    assert figure.value == D("900.00")
    assert "expected lifetime 36 months" in figure.formula


def test_lifetime_value_with_a_fractional_lifetime():
    # 3 % churn: 33.33… months; 29.90 × 35 % × 33.333… = 348.83
    figure = clv(
        revenue_per_customer=D("29.90"), gross_margin_percent=D("35"), churn_percent=D("3")
    )
    assert figure.value == D("348.83")


@pytest.mark.parametrize(
    ("figures", "missing"),
    [
        ({"gross_margin_percent": D("60"), "churn_percent": D("5")}, "revenue per customer"),
        ({"revenue_per_customer": D("40"), "churn_percent": D("5")}, "gross margin"),
        ({"revenue_per_customer": D("40"), "gross_margin_percent": D("60")}, "churn or expected"),
    ],
)
def test_lifetime_value_that_cannot_be_computed_says_what_is_missing(figures, missing):
    figure = clv(**figures)
    assert figure.value is None
    assert missing in figure.missing


def test_a_free_side_has_a_lifetime_value_of_zero():
    figure = clv(revenue_per_customer=D("0"), gross_margin_percent=D("0"), churn_percent=D("2"))
    assert figure.value == D("0.00")


def test_lifetime_in_quarters():
    assert lifetime(churn_percent=D("10"), expected_lifetime=None, period="quarter").value == 10
    text = lifetime(churn_percent=D("10"), expected_lifetime=None, period="quarter").formula
    assert "10 quarters" in text


def test_profit_per_period():
    figure = profit_per_period(
        size=1200,
        revenue_per_customer=D("180"),
        gross_margin_percent=D("35"),
        period="month",
        currency="USD",
    )
    assert figure.value == D("75600.00")
    assert figure.formula == (
        "1,200 customers × USD 180.00 × 35 % margin = USD 75,600.00 per month"
    )


def test_profit_needs_a_size():
    figure = profit_per_period(
        size=None,
        revenue_per_customer=D("1"),
        gross_margin_percent=D("1"),
        period="month",
        currency="EUR",
    )
    assert figure.value is None and figure.missing == "size"
