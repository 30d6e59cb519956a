"""Customer lifetime value and segment profitability, with the formula shown to the user.

Figures are computed in `WIDE`, a decimal context with room for every value the columns can
hold (a size of 19 digits times a revenue of 14, a margin and a lifetime), so that a figure
stored past the forms' limits still shows. Anything beyond even that (only a caller passing
absurd numbers) becomes a figure that is "too large to show", never an exception on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import wraps

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ONE = Decimal(1)
WIDE = Context(prec=80, rounding=ROUND_HALF_UP)
TOO_LARGE = "too large to show"


@dataclass(frozen=True)
class Figure:
    """A computed value (None when the inputs do not allow it) and how it was computed."""

    value: Decimal | None
    formula: str
    missing: str = ""
    too_large: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None


def in_wide_context(compute: Callable[..., Figure]) -> Callable[..., Figure]:
    """Compute a figure where it cannot overflow; past even that, it is too large to show."""

    @wraps(compute)
    def guarded(**inputs) -> Figure:
        try:
            with localcontext(WIDE):
                return compute(**inputs)
        except ArithmeticError:  # InvalidOperation, Overflow: digits beyond WIDE's 80
            return Figure(None, TOO_LARGE, too_large=True)

    return guarded


def money(amount: Decimal, currency: str) -> str:
    try:
        with localcontext(WIDE):
            return f"{currency} {amount.quantize(CENT, ROUND_HALF_UP):,.2f}"
    except ArithmeticError:
        return TOO_LARGE


def number(value: Decimal | int) -> str:
    try:
        with localcontext(WIDE):
            value = Decimal(value)
            whole = value == value.to_integral()
            # quantize, not int(): past WIDE's digits it raises instead of printing them all.
            return f"{value.quantize(ONE):,f}" if whole else f"{value.normalize():,f}"
    except ArithmeticError:
        return TOO_LARGE


@in_wide_context
def lifetime(
    *, churn_percent: Decimal | None, expected_lifetime: Decimal | None, period: str
) -> Figure:
    """Periods a customer stays: the expected lifetime if given, else 1 ÷ churn."""
    if expected_lifetime:
        return Figure(expected_lifetime, f"expected lifetime {number(expected_lifetime)} {period}s")
    if churn_percent:
        periods = HUNDRED / churn_percent
        return Figure(
            periods,
            f"1 ÷ churn {number(churn_percent)} % = {number(periods.quantize(CENT))} {period}s",
        )
    return Figure(None, "", missing="churn or expected lifetime")


@in_wide_context
def customer_lifetime_value(
    *,
    revenue_per_customer: Decimal | None,
    gross_margin_percent: Decimal | None,
    churn_percent: Decimal | None,
    expected_lifetime: Decimal | None,
    period: str,
    currency: str,
) -> Figure:
    """Total gross profit expected from one customer: revenue × margin × lifetime."""
    stay = lifetime(churn_percent=churn_percent, expected_lifetime=expected_lifetime, period=period)
    missing = [
        label
        for label, value in [
            ("revenue per customer", revenue_per_customer),
            ("gross margin", gross_margin_percent),
        ]
        if value is None
    ]
    if stay.too_large:
        return stay
    if not stay.known:
        missing.append(stay.missing)
    if missing:
        return Figure(None, "", missing=", ".join(missing))
    value = revenue_per_customer * gross_margin_percent / HUNDRED * stay.value
    formula = (
        f"{money(revenue_per_customer, currency)} per {period} × {number(gross_margin_percent)} % "
        f"margin × {number(stay.value.quantize(CENT))} {period}s ({stay.formula}) "
        f"= {money(value, currency)}"
    )
    return Figure(value.quantize(CENT, ROUND_HALF_UP), formula)


@in_wide_context
def profit_per_period(
    *,
    size: int | None,
    revenue_per_customer: Decimal | None,
    gross_margin_percent: Decimal | None,
    period: str,
    currency: str,
) -> Figure:
    """The segment's gross profit per period: customers × revenue × margin."""
    missing = [
        label
        for label, value in [
            ("size", size),
            ("revenue per customer", revenue_per_customer),
            ("gross margin", gross_margin_percent),
        ]
        if value is None
    ]
    if missing:
        return Figure(None, "", missing=", ".join(missing))
    value = Decimal(size) * revenue_per_customer * gross_margin_percent / HUNDRED
    formula = (
        f"{number(size)} customers × {money(revenue_per_customer, currency)} × "
        f"{number(gross_margin_percent)} % margin = {money(value, currency)} per {period}"
    )
    return Figure(value.quantize(CENT, ROUND_HALF_UP), formula)


@dataclass(frozen=True)
class SegmentEconomics:
    lifetime: Figure
    lifetime_value: Figure
    profit: Figure


def economics_of(figures, *, currency: str) -> SegmentEconomics:
    """All computed figures for a segment or a snapshot (anything with the Economics fields)."""
    period = figures.period
    return SegmentEconomics(
        lifetime=lifetime(
            churn_percent=figures.churn_percent,
            expected_lifetime=figures.expected_lifetime,
            period=period,
        ),
        lifetime_value=customer_lifetime_value(
            revenue_per_customer=figures.revenue_per_customer,
            gross_margin_percent=figures.gross_margin_percent,
            churn_percent=figures.churn_percent,
            expected_lifetime=figures.expected_lifetime,
            period=period,
            currency=currency,
        ),
        profit=profit_per_period(
            size=figures.size,
            revenue_per_customer=figures.revenue_per_customer,
            gross_margin_percent=figures.gross_margin_percent,
            period=period,
            currency=currency,
        ),
    )
