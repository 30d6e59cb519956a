"""The canvas as a Markdown outline, with every user text made literal."""

from __future__ import annotations

import re

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
    """The canvas as a Markdown outline: blocks with their notes, then the segments."""
    document = export_canvas(canvas)
    segment_names = {
        s["ref"]: markdown_text(s["name"], one_line=True) for s in document["segments"]
    }
    lines = [f"# {markdown_text(canvas.title, one_line=True)}", ""]
    if canvas.description:
        lines += [markdown_text(canvas.description), ""]
    for kind in POSTER_ORDER:
        lines += [f"## {kind.label}", ""]
        notes = [n for n in document["notes"] if n["block"] == kind.value]
        for note in notes:
            tags = ", ".join(segment_names[ref] for ref in note["segments"])
            text = markdown_text(note["text"], one_line=True)
            lines.append(f"- {text}" + (f" _({tags})_" if tags else ""))
        lines += [""] if notes else ["_No notes._", ""]
    if document["segments"]:
        lines += ["## Customer segment details", ""]
        for segment in document["segments"]:
            lines.append(f"### {segment_names[segment['ref']]}")
            lines.append("")
            if segment["description"]:
                lines += [markdown_text(segment["description"]), ""]
            for label, kind in (("Jobs", "job"), ("Pains", "pain"), ("Gains", "gain")):
                entries = [
                    markdown_text(e["text"], one_line=True)
                    for e in segment["profile"]
                    if e["list"] == kind
                ]
                if entries:
                    lines.append(f"**{label}:** " + "; ".join(entries))
                    lines.append("")
    return "\n".join(lines).rstrip() + "\n"
