"""Clause-aware chunking on 3GPP-style Markdown, plain text and .docx."""

import zipfile

import pytest

from conftest import shared_path
from kb_fixtures import SPEC_A
from ranpilot.knowledge import chunking
from ranpilot.knowledge.chunking import chunk_document, split_heading
from ranpilot.knowledge.readers import UnreadableFile, docx_to_markdown, read_source


@pytest.mark.parametrize(
    "heading,expected",
    [
        ("4.1Overall Architecture", ("4.1", "Overall Architecture")),
        ("5.7.2.4.1a Notification Control", ("5.7.2.4.1a", "Notification Control")),
        ("16.3.3aSlice-based cell reselection", ("16.3.3a", "Slice-based cell reselection")),
        ("5.2.5.7.4Npcf_EventExposure_Notify service operation", ("5.2.5.7.4", "Npcf_EventExposure_Notify service operation")),
        ("A.1\tGeneral", ("A.1", "General")),
        ("Annex B (informative): Change history", ("B", "Change history")),
        ("Foreword", ("", "Foreword")),
    ],
)
def test_split_heading(heading, expected):
    assert split_heading(heading) == expected


def test_markdown_chunks_keep_provenance_and_skip_boilerplate():
    chunks = chunk_document(SPEC_A, "a.md")
    by_clause = {c.clause: c for c in chunks}
    assert set(by_clause) == {"1", "4.1", "4.2", "5.1"}  # Foreword, ToC and empty headings skipped
    c = by_clause["4.1"]
    assert (c.spec, c.version, c.release, c.title) == ("TS 99.901", "18.4.0", "Rel-18", "Handover control")
    assert c.heading_path == "Mobility > Handover control"
    assert "offset | -24 to 24 dB" in by_clause["4.2"].text  # table text kept, separator dropped
    assert all("Handover control7" not in ch.text for ch in chunks)


def test_long_clause_split_with_overlap():
    words = [f"w{i}" for i in range(400)]
    chunks = chunk_document("# 3Long\n" + " ".join(words), "x.md")
    assert len(chunks) == 3 and all(c.clause == "3" for c in chunks)
    first, second = chunks[0].text.split(), chunks[1].text.split()
    assert len(first) == chunking.MAX_WORDS
    assert first[-chunking.OVERLAP_WORDS:] == second[: chunking.OVERLAP_WORDS]
    assert chunks[-1].text.split()[-1] == "w399"


def test_plain_text_headings_and_toc_lines():
    text = "Contents\n4.1 Handover control 7\n4.1 Handover control\nBody of the clause.\n4.2 Load balancing\nMore body.\n"
    chunks = chunk_document(text, "x.txt", markdown=False)
    assert [(c.clause, c.title) for c in chunks] == [("4.1", "Handover control"), ("4.2", "Load balancing")]


def test_no_headings_is_an_error():
    with pytest.raises(ValueError, match="no clause headings"):
        chunk_document("just some prose", "x.md")


def make_docx(path, paragraphs, corrupt=False):
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>' if style
        else f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        for style, text in paragraphs
    )
    table = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>PRB</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>273</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    xml = f"<w:document {w}><w:body>{body}{table}</w:body></w:document>"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", xml[:40] if corrupt else xml)


def test_docx_headings_tables_and_toc(tmp_path):
    path = tmp_path / "spec.docx"
    make_docx(path, [
        (None, "3GPP TS 99.903 V19.1.0 (2026-01)"), (None, "(Release 19)"), ("TOC1", "4.1 Overview 7"),
        ("Heading1", "4\tGeneral"), ("Heading2", "4.1\tOverview"), (None, "Cells carry physical resource blocks."),
    ])
    md = docx_to_markdown(path)
    assert "# 4\tGeneral" in md and "## 4.1\tOverview" in md and "Overview 7" not in md
    chunks = chunk_document(*read_source(path)[:1], source=str(path))
    assert [(c.spec, c.release, c.clause, c.title) for c in chunks] == [("TS 99.903", "Rel-19", "4.1", "Overview")]
    assert "PRB | 273" in chunks[0].text


def test_unreadable_files_raise(tmp_path):
    bad = tmp_path / "bad.docx"
    make_docx(bad, [("Heading1", "1 Scope")], corrupt=True)
    with pytest.raises(UnreadableFile):
        read_source(bad)
    (tmp_path / "x.pdf").write_text("x")
    with pytest.raises(UnreadableFile, match="unsupported"):
        read_source(tmp_path / "x.pdf")
    (tmp_path / "empty.md").write_text("  \n")
    with pytest.raises(UnreadableFile, match="empty"):
        read_source(tmp_path / "empty.md")


def test_real_38300_markdown():
    path = shared_path("corpus", "3gpp", "38.300_NG-RAN_Overall_j20.md")
    chunks = chunk_document(path.read_text(), str(path))
    assert {(c.spec, c.version, c.release) for c in chunks} == {("TS 38.300", "19.2.0", "Rel-19")}
    titles = {c.clause: c.title for c in chunks}
    assert titles["4.1"] == "Overall Architecture"
    assert titles["16.3.3.2"] == "Handling of Slice Resources"
    assert titles["16.3.3a"] == "Slice-based cell reselection"
    assert titles["15.4.1"] == "General"
    assert not any(c.title == "Foreword" for c in chunks)
    assert not any("4.1Overall Architecture27" in c.text for c in chunks)  # the ToC is gone
