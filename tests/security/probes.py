"""What a response lets its reader see: the text of pages, fragments, files and PDFs."""

from __future__ import annotations

import io

from django.http import StreamingHttpResponse


def readable_text(response) -> str:
    """Everything a person could read in the response (PDFs as their extracted text)."""
    if isinstance(response, StreamingHttpResponse):
        return ""  # event streams never end: tests/security/test_private_writing.py reads them
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    text = response.content.decode("utf-8", errors="replace")
    for header in ("HX-Trigger", "HX-Trigger-After-Settle", "HX-Redirect", "Location"):
        text += "\n" + response.get(header, "")
    return text
