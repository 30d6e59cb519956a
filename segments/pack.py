"""A segment's page in the PDF pack: profile, value map, fit, economics and trend charts."""

from __future__ import annotations

from canvases.models import Canvas

from .charts import trend_charts
from .economics import economics_of
from .fit import RULE
from .models import Segment
from .profiles.page import profile_context


def segment_pack(canvas: Canvas, segment: Segment) -> dict:
    profile = profile_context(canvas, segment)
    snapshots = list(segment.snapshots.all())
    return {
        "canvas": canvas,
        "segment": segment,
        "economics": economics_of(segment, currency=canvas.currency),
        "charts": trend_charts(snapshots, currency=canvas.currency) if snapshots else [],
        "fit": profile["fit"],
        "fit_rule": RULE,
        "columns": profile["columns"],
        "value_columns": profile["value_columns"],
    }
