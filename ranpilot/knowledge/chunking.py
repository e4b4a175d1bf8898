"""Clause-aware chunking of 3GPP specifications (Markdown, plain text, or .docx turned into Markdown).

A specification becomes passages that each keep `spec`, `release`, `version`, `clause` and
`title`. The title page, table of contents, foreword and change history are skipped; tables
keep their text; long clauses are split into overlapping word windows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel

TITLE_RE = re.compile(r"3GPP\s+(TS|TR)\s+(\d+\.\d+(?:-\d+)?)\s+V(\d+\.\d+\.\d+)")
RELEASE_RE = re.compile(r"\(Release\s+(\d+)\)")
FRONT_MATTER_RE = re.compile(r"^---\n(.*?)\n---\n", re.S)
MD_HEADING_RE = re.compile(r"^(#{1,9})\s*(.+?)\s*#*\s*$")
# A clause may end in a lower-case letter (16.3.3a), sometimes glued to its title.
CLAUSE_RE = re.compile(r"^((?:[A-Z]\.)?\d+(?:\.\d+)*(?:[a-z](?=\s|$|[A-Z]))?)[\s:]*(.*)$")
ANNEX_RE = re.compile(r"^Annex\s+([A-Z])\b[^:]*:?\s*(.*)$")
# Plain text: a clause number, then a title that does not end in a page number.
TEXT_HEADING_RE = re.compile(r"^((?:[A-Z]\.)?\d+(?:\.\d+)*)[ \t]+([A-Z][^\n]{0,150}?\D)$")
SKIPPED_TITLES = re.compile(r"^(foreword|contents|change history|introduction to this document)$", re.I)
MAX_WORDS = 160
OVERLAP_WORDS = 32


class Chunk(BaseModel):
    """One passage with its provenance."""

    spec: str
    release: str
    version: str
    clause: str
    title: str
    text: str
    source: str
    heading_path: str  # parent titles joined with " > ", used to enrich the embedded text

    def embedding_text(self) -> str:
        return f"{self.spec} {self.clause} {self.heading_path}\n{self.text}"


@dataclass
class _Section:
    clause: str
    title: str
    level: int
    lines: list[str] = field(default_factory=list)


def chunk_document(text: str, source: str, markdown: bool = True) -> list[Chunk]:
    """Split a specification's text into clause passages. Raises ValueError if no clause is found."""
    meta, body = _front_matter(text)
    spec, version, release = _title_page(body[:4000])
    spec = meta.get("spec", spec or "unknown")
    version = meta.get("version", version or "")
    release = meta.get("release", release or "")
    sections = _markdown_sections(body) if markdown else _text_sections(body)
    if not sections:
        raise ValueError(f"{source}: no clause headings found")
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []
    for section in sections:
        path = [p for p in path if p[0] < section.level] + [(section.level, section.title)]
        if SKIPPED_TITLES.match(section.title.strip()):
            continue
        words = _clean(section.lines).split()
        heading_path = " > ".join(title for _, title in path)
        for window in _windows(words):
            chunks.append(
                Chunk(
                    spec=spec, release=release, version=version, clause=section.clause,
                    title=section.title, text=" ".join(window), source=source, heading_path=heading_path,
                )
            )
    return chunks


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Our notes start with a `---` block of `key: value` lines; 3GPP files do not."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return meta, text[match.end():]


def _title_page(head: str) -> tuple[str | None, str | None, str | None]:
    title = TITLE_RE.search(head)
    release = RELEASE_RE.search(head)
    spec = f"{title.group(1)} {title.group(2)}" if title else None
    return spec, title.group(3) if title else None, f"Rel-{release.group(1)}" if release else None


def split_heading(heading: str) -> tuple[str, str]:
    """'4.1Overall Architecture' -> ('4.1', 'Overall Architecture'); 'Annex A (normative): X' -> ('A', 'X')."""
    heading = heading.replace("\t", " ").strip()
    annex = ANNEX_RE.match(heading)
    if annex:
        return annex.group(1), annex.group(2).strip() or heading
    match = CLAUSE_RE.match(heading)
    if match and match.group(2):
        return match.group(1), match.group(2).strip()
    return "", heading


def _markdown_sections(body: str) -> list[_Section]:
    sections: list[_Section] = []
    for line in body.splitlines():
        heading = MD_HEADING_RE.match(line)
        if heading:
            clause, title = split_heading(heading.group(2))
            sections.append(_Section(clause or title, title, len(heading.group(1))))
        elif sections:
            sections[-1].lines.append(line)
    return sections


def _text_sections(body: str) -> list[_Section]:
    sections: list[_Section] = []
    for line in body.splitlines():
        heading = TEXT_HEADING_RE.match(line.strip())
        if heading:
            clause = heading.group(1)
            sections.append(_Section(clause, heading.group(2).strip(), clause.count(".") + 1))
        elif sections:
            sections[-1].lines.append(line)
    return sections


def _clean(lines: list[str]) -> str:
    """Tables keep their cell text; separator rows and images go."""
    out = []
    for line in lines:
        stripped = line.strip()
        if not stripped or re.fullmatch(r"\|?[\s:|-]+\|?", stripped) or stripped.startswith("!["):
            continue
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            stripped = " | ".join(c for c in cells if c)
        out.append(stripped)
    return "\n".join(out)


def _windows(words: list[str]) -> list[list[str]]:
    if not words:
        return []
    step = MAX_WORDS - OVERLAP_WORDS
    starts = range(0, max(len(words) - OVERLAP_WORDS, 1), step)
    return [words[s : s + MAX_WORDS] for s in starts]
