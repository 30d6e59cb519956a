"""Small trend charts of a segment's recorded figures, drawn as SVG by the template."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .economics import economics_of, money, number

WIDTH, HEIGHT, PAD = 240, 64, 6


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    points: list[Point]
    first: str
    last: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)

    @property
    def description(self) -> str:
        if not self.points:
            return f"{self.title}: no figures recorded yet."
        return f"{self.title}: from {self.first} to {self.last} over {len(self.points)} records."


def _scale(values: list[tuple[str, Decimal]], fmt) -> list[Point]:
    numbers = [float(value) for _, value in values]
    low, high = min(numbers), max(numbers)
    spread = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)
    return [
        Point(
            x=PAD + index * step if len(values) > 1 else WIDTH / 2,
            y=HEIGHT - PAD - (number_ - low) / spread * (HEIGHT - 2 * PAD),
            label=f"{day}: {fmt(value)}",
        )
        for index, ((day, value), number_) in enumerate(zip(values, numbers, strict=True))
    ]


def _chart(title: str, series: list[tuple[str, Decimal | None]], fmt) -> Chart:
    known = [(day, value) for day, value in series if value is not None]
    if not known:
        return Chart(title, [], "", "")
    return Chart(title, _scale(known, fmt), fmt(known[0][1]), fmt(known[-1][1]))


def trend_charts(snapshots, *, currency: str) -> list[Chart]:
    """One chart per figure, oldest record on the left."""
    days = [snapshot.recorded_on.isoformat() for snapshot in snapshots]

    def series(values):
        return list(zip(days, values, strict=True))

    def cash(value):
        return money(value, currency)

    def percent(value):
        return f"{number(value)} %"

    lifetime_values = [economics_of(s, currency=currency).lifetime_value.value for s in snapshots]
    return [
        _chart("Size (customers)", series([s.size for s in snapshots]), number),
        _chart("Revenue per customer", series([s.revenue_per_customer for s in snapshots]), cash),
        _chart("Gross margin", series([s.gross_margin_percent for s in snapshots]), percent),
        _chart("Churn", series([s.churn_percent for s in snapshots]), percent),
        _chart("Customer lifetime value", series(lifetime_values), cash),
    ]
