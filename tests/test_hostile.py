"""Hostile input, made here: every file ends as an `errors` row or a correct result, and
the good documents beside it keep exactly the rows they get on their own."""
from __future__ import annotations

import shutil
import time
import zlib
from pathlib import Path

import pandas as pd
import pytest

from conftest import sample_pdfs
import extract
from extract.outputs.tables import CORPUS_COLUMNS
from extract.run.guards import Limits
from extract.run.pipeline import RunConfig, collect
from extract.run.process import process_document
from extract.run.workers import map_documents

CASE_TEXT = [f"Line {i} of a case report: the patient was treated with prednisolone." for i in range(30)]
GOOD_NAMES = ["case report (final) v2.pdf", "o'brien \"2020\" `x`.pdf", "ünïcödé 病例 ñ.pdf",
              "..\\..\\escape.pdf", "-rf --help $(touch pwned).pdf"]
PER_TABLE = ("sections", "references", "citations", "timings", "markers")


# -- a minimal PDF writer: hostile structure needs bytes no PDF library would write --------

def raw_pdf(objs: list[bytes], xref_ok: bool = True) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % (o if xref_ok else o * 3 + 7)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref if xref_ok else xref + 13)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def page_objs(content: bytes | None = None, *, font: bytes | None = None, media: bytes = b"[0 0 612 792]",
              page_extra: bytes = b"", contents: bytes = b"4 0 R") -> list[bytes]:
    text = b"BT /F1 11 Tf 72 700 Td 14 TL " + b" ".join(b"(%s) '" % s.encode() for s in CASE_TEXT) + b" ET"
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + media + b" /Resources << /Font << /F1 5 0 R >> >>"
            b" /Contents " + contents + b" " + page_extra + b" >>",
            stream(text if content is None else content),
            font or b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]


def flate_spaces(mb: int) -> bytes:
    c, chunk = zlib.compressobj(1), b" " * (64 << 20)
    return b"".join([c.compress(chunk) for _ in range(mb // 64)] + [c.flush()])


def make_hostile(folder: Path, marker: Path) -> dict[str, str]:
    """Writes the hostile files; maps file name -> the error_type it must get, or "ok"."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    good = sample_pdfs()[0].read_bytes()
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (folder / "random.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (folder / "notes.pdf").write_text("a text file with a .pdf name\n")
    for name, user in (("encrypted_user.pdf", "secret"), ("encrypted_owner_only.pdf", "")):
        c = canvas.Canvas(str(folder / name), encrypt=StandardEncryption(user, ownerPassword="owner", canPrint=0))
        for i, line in enumerate(CASE_TEXT):
            c.drawString(72, 720 - 14 * i, line)
        c.save()
    c = canvas.Canvas(str(folder / "image_only.pdf"))
    c.rect(72, 300, 400, 300, fill=1)
    c.save()
    (folder / "zero_pages.pdf").write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                     b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    c = canvas.Canvas(str(folder / "thousand_pages.pdf"), pagesize=(72, 72))
    for i in range(1000):
        c.drawString(10, 30, f"w{i}")
        c.showPage()
    c.save()
    (folder / "enormous_page.pdf").write_bytes(raw_pdf(page_objs(media=b"[0 0 1000000000 1000000000]")))
    (folder / "broken_xref.pdf").write_bytes(raw_pdf(page_objs(), xref_ok=False))
    cid_font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H /DescendantFonts"
                b" [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap /CIDSystemInfo"
                b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>")
    glyphs = b" ".join(b"<%s> '" % bytes(range(65, 105)).hex().encode() for _ in range(30))
    (folder / "no_unicode_map.pdf").write_bytes(
        raw_pdf(page_objs(b"BT /F1 11 Tf 72 700 Td 14 TL " + glyphs + b" ET", font=cid_font)))
    deep = b"[" * 50000 + b"]" * 50000
    (folder / "deep_nesting.pdf").write_bytes(raw_pdf(page_objs(page_extra=b"/Deep " + deep)))
    actions = page_objs(page_extra=(
        b"/AA << /O << /S /Launch /F (/bin/sh) /P (-c 'touch %s') >> >>"
        b" /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] /A << /S /URI /URI (http://127.0.0.1:9/) >> >>]"
        % str(marker).encode()))
    actions[0] = (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript"
                  b" /JS (app.launchURL('http://127.0.0.1:9/')) >> >>")
    (folder / "launch_js_uri.pdf").write_bytes(raw_pdf(actions))
    bomb = page_objs(contents=b"6 0 R")
    bomb.append(stream(flate_spaces(1024), b"/Filter /FlateDecode"))  # 7 MB that inflate to 1 GB
    (folder / "decompression_bomb.pdf").write_bytes(raw_pdf(bomb))
    return {"truncated.pdf": "corrupt|no_text_layer|ok", "random.pdf": "corrupt", "notes.pdf": "not_pdf",
            "encrypted_user.pdf": "encrypted", "encrypted_owner_only.pdf": "ok", "image_only.pdf": "no_text_layer",
            "zero_pages.pdf": "empty", "thousand_pages.pdf": "too_large", "enormous_page.pdf": "ok",
            "broken_xref.pdf": "ok", "no_unicode_map.pdf": "no_unicode_map", "deep_nesting.pdf": "ok",
            "launch_js_uri.pdf": "ok", "decompression_bomb.pdf": "memory_limit|corrupt|MemoryError"}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder, out = root / "in", root / "out"
    (folder / "sub dir").mkdir(parents=True)
    marker = root / "pwned"
    expected = make_hostile(folder, marker)
    good = {}
    for src, name in zip(sample_pdfs(), GOOD_NAMES):
        dest = (folder / "sub dir" if name.startswith("-") else folder) / name
        shutil.copy(src, dest)
        good[name] = src
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    t0 = time.perf_counter()
    corpus = extract.run(folder, out, cfg=RunConfig(max_pages=500), workers=2,
                         limits=Limits(seconds=120, memory_mb=800), extras=("excel", "report"))
    return dict(corpus=corpus, expected=expected, good=good, folder=folder, out=out, root=root,
                marker=marker, before=before, seconds=time.perf_counter() - t0)


def _outcome(corpus, name: str) -> str:
    docs = corpus.documents[corpus.documents.path.map(lambda p: Path(p).name) == name]
    assert len(docs) == 1, (name, len(docs))  # one row per file, never lost or doubled
    doc = docs.iloc[0]
    if doc.status == "ok":
        return "ok"
    errs = corpus.errors[corpus.errors.path == doc.path]
    assert len(errs) >= 1 and errs.message.str.len().min() > 5
    return errs.error_type.iloc[0]


def test_each_hostile_file_is_an_error_row_or_a_correct_result(hostile_run):
    corpus = hostile_run["corpus"]
    for name, allowed in hostile_run["expected"].items():
        got = _outcome(corpus, name)
        assert got in allowed.split("|"), (name, got)
        if got == "ok" and name != "truncated.pdf":  # the text really was read
            doc_id = corpus.documents.set_index("path").loc[str(hostile_run["folder"] / name), "doc_id"]
            assert "treated with prednisolone" in corpus.text(doc_id)


def test_good_documents_keep_the_rows_they_get_alone(hostile_run):
    corpus = hostile_run["corpus"]
    alone = collect([process_document(p) for p in hostile_run["good"].values()], None, RunConfig())
    ids = set(corpus.documents[corpus.documents.path.map(lambda p: Path(p).name).isin(hostile_run["good"])].doc_id)
    assert len(ids) == len(hostile_run["good"])
    for name in PER_TABLE:
        a = alone[name].sort_values("doc_id", kind="stable").drop(columns=list(CORPUS_COLUMNS), errors="ignore")
        b = corpus.tables[name][corpus.tables[name].doc_id.isin(ids)].sort_values("doc_id", kind="stable")
        b = b.drop(columns=list(CORPUS_COLUMNS), errors="ignore")  # works, study labels...: corpus-level
        assert len(b) > 0 or name == "citations"
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_nothing_written_outside_the_output_folder_and_nothing_executed(hostile_run):
    root, out = hostile_run["root"], hostile_run["out"]
    after = {p: p.read_bytes() for p in hostile_run["folder"].rglob("*") if p.is_file()}
    assert after == hostile_run["before"]  # the input folder is read, never written
    assert sorted(p.name for p in root.iterdir()) == ["in", "out"]  # no marker from /Launch, no escapes
    assert not hostile_run["marker"].exists() and not Path("pwned").exists()
    for f in out.rglob("*"):
        assert f.resolve().is_relative_to(out.resolve())
    assert all(len(f.stem) == 16 for f in (out / "text").iterdir())  # named by doc_id, not by file name


def test_every_output_is_written_whatever_the_files(hostile_run):
    """The workbook and the report (its page images too: a page a billion points wide)."""
    out, docs = hostile_run["out"], hostile_run["corpus"].documents
    sheet = pd.read_excel(out / "casemine.xlsx", sheet_name="documents")
    assert sorted(sheet.path) == sorted(docs.path)
    assert sorted(f.stem for f in (out / "report" / "docs").glob("*.html")) == sorted(docs.doc_id.dropna())
    assert (out / "report" / "index.html").stat().st_size > 1000


def test_hostile_folder_runs_in_bounded_time(hostile_run):
    assert hostile_run["seconds"] < 240, hostile_run["seconds"]


def test_a_stuck_document_is_stopped_and_its_worker_replaced(tmp_path):
    slow = page_objs(contents=b"[" + b"6 0 R " * 400 + b"]")  # 400 x 64 MB of content to parse
    slow.append(stream(zlib.compress(b" " * (64 << 20), 1), b"/Filter /FlateDecode"))
    (tmp_path / "slow.pdf").write_bytes(raw_pdf(slow))
    good = sample_pdfs()[0]
    t0 = time.perf_counter()
    got = {Path(r.path).name: r for r in map_documents([tmp_path / "slow.pdf", good], RunConfig(), workers=1,
                                                       limits=Limits(seconds=10))}
    assert time.perf_counter() - t0 < 60
    err = got["slow.pdf"].records["errors"][0]
    assert (err["stage"], err["error_type"]) == ("guard", "timeout")
    assert not got[good.name].failed and got[good.name].records["sections"]  # the new worker went on
