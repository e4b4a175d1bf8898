"""Read a specification file into text: Markdown and plain text as they are, .docx from its XML.

3GPP publishes specifications as .docx; headings there carry the styles Heading1..Heading9
(and 3GPP's H1..H9 aliases), which become Markdown headings; tables become `|` rows. Table
of contents paragraphs (styles TOC1..TOC9) are dropped. No network, no Word needed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^(?:Heading|H)(\d)$", re.I)
SUFFIXES = {".md": True, ".markdown": True, ".txt": False, ".docx": True}


class UnreadableFile(ValueError):
    """A file that cannot be read as a specification (corrupt, empty, unsupported type)."""


def read_source(path: Path) -> tuple[str, bool]:
    """Return (text, is_markdown) for a supported file; raise UnreadableFile otherwise."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(f"{path}: unsupported file type {suffix!r} (use .md, .txt or .docx)")
    try:
        text = docx_to_markdown(path) if suffix == ".docx" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise UnreadableFile(f"{path}: cannot read: {exc}") from exc
    if not text.strip():
        raise UnreadableFile(f"{path}: file is empty")
    return text, SUFFIXES[suffix]


def docx_to_markdown(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    body = root.find(f"{W}body")
    if body is None:
        raise UnreadableFile(f"{path}: no document body")
    lines = []
    for element in body:
        if element.tag == f"{W}p":
            lines.append(_paragraph(element))
        elif element.tag == f"{W}tbl":
            lines.extend(_table(element))
    return "\n".join(line for line in lines if line is not None)


def _paragraph(p: ElementTree.Element) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    name = style.get(f"{W}val", "") if style is not None else ""
    text = "".join(_run_text(p)).strip()
    if name.upper().startswith("TOC"):
        return None
    heading = HEADING_STYLE.match(name)
    return f"{'#' * int(heading.group(1))} {text}" if heading and text else text


def _run_text(element: ElementTree.Element):
    for node in element.iter():
        if node.tag == f"{W}t" and node.text:
            yield node.text
        elif node.tag == f"{W}tab":
            yield "\t"


def _table(tbl: ElementTree.Element) -> list[str]:
    rows = []
    for tr in tbl.iter(f"{W}tr"):
        cells = [" ".join("".join(_run_text(p)).strip() for p in tc.iter(f"{W}p")).strip() for tc in tr.iter(f"{W}tc")]
        rows.append("| " + " | ".join(cells) + " |")
    return rows
