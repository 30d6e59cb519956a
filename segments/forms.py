"""Segment forms; their messages are what a 422 shows."""

from __future__ import annotations

from django import forms

from canvas_site.text import TextField

from .models import (
    MAX_LIFETIME,
    MAX_REVENUE,
    MAX_SIZE,
    Segment,
    SegmentationBase,
    SegmentColour,
    SegmentCriterion,
    SegmentSnapshot,
)

ECONOMIC_ERRORS = {
    "size": {
        "min_value": "The size is a number of customers: it cannot be negative.",
        "max_value": f"The size is at most {MAX_SIZE:,} customers: more than there are people "
        "on Earth.",
        "invalid": "Give the size as a whole number of customers.",
    },
    "revenue_per_customer": {
        "min_value": "Revenue per customer cannot be negative.",
        "max_value": f"Revenue per customer is at most {MAX_REVENUE:,} per period.",
        "max_digits": f"Revenue per customer is at most {MAX_REVENUE:,} per period.",
        "max_whole_digits": f"Revenue per customer is at most {MAX_REVENUE:,} per period.",
        "max_decimal_places": "Give the revenue to the cent, e.g. 49.90.",
        "invalid": "Give the revenue as a number, e.g. 49.90.",
    },
    "gross_margin_percent": {
        "min_value": "The gross margin is a percentage from 0 to 100.",
        "max_value": "The gross margin is a percentage from 0 to 100.",
        "invalid": "Give the gross margin as a number from 0 to 100.",
    },
    "churn_percent": {
        "min_value": "Churn must be above 0 %%. If customers never leave, leave churn empty "
        "and give an expected lifetime instead.",
        "max_value": "Churn is a percentage: at most 100.",
        "invalid": "Give churn as a percentage, e.g. 4.5.",
    },
    "expected_lifetime": {
        "min_value": "The expected lifetime must be above 0 periods.",
        "max_value": f"The expected lifetime is at most {MAX_LIFETIME:,} periods.",
        "max_digits": f"The expected lifetime is at most {MAX_LIFETIME:,} periods.",
        "max_whole_digits": f"The expected lifetime is at most {MAX_LIFETIME:,} periods.",
        "max_decimal_places": "Give the expected lifetime with at most two decimals, e.g. 24.5.",
        "invalid": "Give the expected lifetime as a number of periods.",
    },
}


class SegmentNameForm(forms.ModelForm):
    """The quick form in the Customer Segments block: a name is enough to start."""

    class Meta:
        model = Segment
        fields = ["name"]
        field_classes = {"name": TextField}
        error_messages = {"name": {"required": "Give the segment a name."}}


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = [
            "name",
            "description",
            "segment_type",
            "paying_side",
            "has_celebrities",
            "has_tastemakers",
            "has_curators",
            "colour",
        ]
        labels = {"segment_type": "Type", "paying_side": "Pays?"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "segment_type": forms.RadioSelect,
            "paying_side": forms.RadioSelect,
            "colour": forms.RadioSelect,
        }
        field_classes = {"name": TextField}
        error_messages = {
            "name": {"required": "Give the segment a name."},
            "colour": {"invalid_choice": "Pick a colour from the palette."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colour"].choices = SegmentColour.choices


class SegmentInlineForm(SegmentForm):
    """The short form inside the canvas's Customer Segments block."""

    class Meta(SegmentForm.Meta):
        fields = ["name", "segment_type", "paying_side", "colour"]
        widgets = {"colour": forms.RadioSelect}


class EconomicsForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = Segment.ECONOMIC_FIELDS
        labels = {
            "period": "Period",
            "size": "Size (customers)",
            "revenue_per_customer": "Revenue per customer and period",
            "gross_margin_percent": "Gross margin %",
            "churn_percent": "Churn % per period",
            "expected_lifetime": "Or: expected lifetime (periods)",
        }
        error_messages = ECONOMIC_ERRORS


class SnapshotForm(forms.ModelForm):
    class Meta:
        model = SegmentSnapshot
        fields = ["recorded_on", *Segment.ECONOMIC_FIELDS]
        labels = {**EconomicsForm.Meta.labels, "recorded_on": "Recorded on"}
        widgets = {"recorded_on": forms.DateInput(attrs={"type": "date"})}
        error_messages = {
            **ECONOMIC_ERRORS,
            "recorded_on": {"invalid": "Give a date like 2026-11-22."},
        }

    def __init__(self, *args, segment: Segment, **kwargs):
        super().__init__(*args, **kwargs)
        self.segment = segment

    def clean_recorded_on(self):
        day = self.cleaned_data["recorded_on"]
        others = self.segment.snapshots.exclude(pk=self.instance.pk)
        if others.filter(recorded_on=day).exists():
            raise forms.ValidationError("There is already a snapshot on that day: edit that one.")
        return day


class CriterionForm(forms.ModelForm):
    class Meta:
        model = SegmentCriterion
        fields = ["base", "text"]
        field_classes = {"text": TextField}
        error_messages = {
            "text": {
                "required": "Write the criterion, e.g. “aged 25–40”.",
                "max_length": "Keep a criterion short: at most 200 characters.",
            },
            "base": {"invalid_choice": "Pick a segmentation base."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].choices = SegmentationBase.choices


class NoteSegmentsForm(forms.Form):
    """Which of the canvas's segments a note belongs to."""

    segments = forms.ModelMultipleChoiceField(
        queryset=Segment.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": "A note can only be linked to segments of its own canvas.",
            "invalid_pk_value": "A note can only be linked to segments of its own canvas.",
        },
    )

    def __init__(self, *args, canvas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = canvas.segments.all()
