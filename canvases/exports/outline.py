"""The canvas as a Markdown outline, with every user text made literal."""

from __future__ import annotations

import re

from canvases import registry
from canvases.models import POSTER_ORDER, Canvas

from .canvas_file import export_canvas

# Markdown: user text is made literal. Everywhere: what starts emphasis, code, links and images
# (backslash escapes) and raw HTML and autolinks (< > & as entities). At the start of a line:
# what starts a heading, list, quote, setext underline, code block (leading spaces dropped).
MARKDOWN_INLINE = str.maketrans(
    {**{char: "\\" + char for char in "\\`*_[]#|~"}, "&": "&amp;", "<": "&lt;", ">": "&gt;"}
)
MARKDOWN_LINE_START = re.compile(r"^(?:[-+=]|\d+[.)])")


def markdown_text(text: str, *, one_line: bool = False) -> str:
    """User text as literal Markdown: it renders as the same text, never as markup."""
    lines = [" ".join(text.split())] if one_line else text.strip().splitlines()
    return "\n".join(markdown_line(line.strip()) for line in lines)


def markdown_line(line: str) -> str:
    line = line.translate(MARKDOWN_INLINE)
    # "-", "+", "=" start a list or underline; "1." and "1)" an ordered list: escape the mark.
    return MARKDOWN_LINE_START.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], line)


def outline_markdown(canvas: Canvas) -> str:
    """The canvas as a Markdown outline: blocks with their notes (tagged with what each file
    section says about them, e.g. their segments), then each section's own chapter."""
    document = export_canvas(canvas)
    sections = registry.file_sections()
    lines = [f"# {markdown_text(canvas.title, one_line=True)}", ""]
    if canvas.description:
        lines += [markdown_text(canvas.description), ""]
    for kind in POSTER_ORDER:
        lines += [f"## {kind.label}", ""]
        notes = [n for n in document["notes"] if n["block"] == kind.value]
        for note in notes:
            words = [
                section.note_value_in_words(note[section.note_field], document[section.key])
                for section in sections
            ]
            tags = ", ".join(markdown_text(word, one_line=True) for word in words if word)
            text = markdown_text(note["text"], one_line=True)
            lines.append(f"- {text}" + (f" _({tags})_" if tags else ""))
        lines += [""] if notes else ["_No notes._", ""]
    for section in sections:
        lines += section.markdown(document[section.key], markdown_text)
    return "\n".join(lines).rstrip() + "\n"
