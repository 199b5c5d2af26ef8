"""Reading order, furniture, section labels and the journal name on pages built here
(block and line geometry as the layout step makes it), so each rule is tested on the
shape it is about: a column topped by a figure, running heads whose page number swaps
ends, a paragraph that names a scheme, a structured abstract before a BMC "Background",
'Abstract' run into its first sentence, a licence footnote in a column, keywords lines,
and a table header reaching into the margin."""
from __future__ import annotations

from extract.document import Block, Document, Line, Page, Span
from extract.pdf.layout import reading_order, remove_furniture
from extract.pdf.metadata import _journal
from extract.pdf.structure import analyse, is_caption

W, H = 600.0, 800.0


def line(text: str, x0: float, top: float, x1: float | None = None, size: float = 10.0, page: int = 1,
         font: str = "Times-Roman") -> Line:
    x1 = x1 if x1 is not None else x0 + 4.8 * len(text) * size / 10
    bbox = (x0, top, x1, top + size)
    return Line(page, [Span(text, "text", bbox, size, font)], bbox, size)


def block(lines: list[Line]) -> Block:
    return Block(lines[0].page, lines)


def para(text: str, x0: float, top: float, width: float = 240.0, size: float = 10.0, n: int = 4,
         page: int = 1, font: str = "Times-Roman") -> Block:
    """n lines of `text` filling a column `width` wide."""
    return block([line(text, x0, top + k * 1.2 * size, x0 + width, size, page, font) for k in range(n)])


def test_a_column_topped_by_a_figure_is_read_before_the_next_column():
    fig1, fig2 = block([line("Figure 1", 155, 199, 186, 9)]), block([line("Figure 2", 154, 359, 187, 9)])
    left_head = block([line("3. Investigations", 51, 395, 134, 12)])
    left = para("left column text under the figures", 51, 417)
    right_top = para("right column text from the top of the page", 309, 74)
    right_head = block([line("6. Discussion", 309, 387, 376, 12)])
    right = para("right column text beside the left heading", 309, 409)
    order = reading_order([fig1, fig2, left_head, left, right_top, right_head, right])
    pos = {id(b): k for k, b in enumerate(order)}
    assert pos[id(left_head)] < pos[id(left)] < pos[id(right_top)] < pos[id(right_head)] < pos[id(right)]


def test_a_centred_line_above_a_column_still_comes_first():
    """The refinement the next-column test must not break: an author line centred over a
    left-aligned heading, with nothing beside the heading, is read before it."""
    authors = block([line("Ana Lopez, Bo Chen", 200, 100, 400)])
    heading = block([line("Abstract", 50, 130, 110, 12)])
    body = para("abstract text across the page", 50, 150, 500)
    order = reading_order([heading, body, authors])
    assert order.index(authors) < order.index(heading) < order.index(body)


def test_running_heads_whose_page_number_swaps_ends_are_furniture():
    pages = []
    for n in (1, 2, 3):
        head = f"{n} Case Reports in Testing" if n % 2 == 0 else f"Case Reports in Testing {n}"
        pages.append(Page(n, W, H, [block([line(head, 50, 30, page=n)]),
                                    para(f"body text of page {n}", 50, 100, page=n)]))
    remove_furniture(pages)
    assert [[ln.text for ln in p.furniture] for p in pages[1:]] == [["2 Case Reports in Testing"],
                                                                   ["Case Reports in Testing 3"]]
    assert all("Case Reports" not in b.text for p in pages[1:] for b in p.blocks)


def test_journal_is_the_running_head_not_a_table_header_or_the_running_title():
    pages = []
    for n in range(1, 5):
        furniture = [line("Li et al. Test Medicine (2020) 99:51", 50, 30, page=n),
                     line("Short running title of it", 350, 30, page=n)]
        if n in (2, 3):  # a table's header row reaching into the foot margin, cell by cell
            furniture += [line(c, x, 760, page=n) for c, x in (("Control", 60), ("Treated", 200), ("Total", 340))]
        pages.append(Page(n, W, H, [para("Test Medicine body", 50, 100, page=n)], furniture))
    doc = Document("d", "", "", 4, pages=pages)
    assert _journal(doc, {}, "Short running title of it and more words") == "Test Medicine"
    pages[0].blocks.insert(0, block([line("Control", 50, 60)]))
    for p in pages:  # without the running head, the header row still is not the journal
        p.furniture = [ln for ln in p.furniture if "Medicine" not in ln.text]
    assert _journal(doc, {}, "Short running title of it and more words") is None


def test_a_paragraph_naming_a_scheme_is_body_text_not_its_caption():
    body = para("Scheme 2 displays the structures of the five complexes used as precursors", 76, 91, 444)
    caption = block([line("Scheme 2. Structures of the reference complexes.", 129, 293, 466, 9)])
    assert not is_caption(body, 10.0)
    assert is_caption(caption, 10.0)


def test_a_column_running_on_from_a_cited_figure_is_body_text_not_a_caption():
    """A column that opens mid-sentence just after a figure citation broke at the foot of
    the previous one: "(see" | "Fig. 2) showed", "Fig. 5a–d, it was possible"."""
    for text in ("Fig. 2) showed high genotypic diversity in the strains", "Fig. 5a–d, it was possible to conclude"):
        assert not is_caption(para(text, 310, 60), 10.0)
    assert is_caption(block([line("Fig. 2. Minimum spanning tree of the genotypes", 50, 400, 300, 9)]), 10.0)


def test_text_larger_than_the_body_size_ends_a_table_above_it():
    """Where small print outweighs the running text (a long reference list set in 9 pt
    under 10 pt text), the body size found is 9: a 10 pt paragraph under a table of 8 pt
    cells is still prose, not the table's."""
    from extract.pdf.structure import _float_blocks

    caption = block([line("Table 1. Reaction of the two clusters", 324, 69, 519, 10)])
    cells = [block([line(v, x, 96 + 19 * r, x + 20, 8)]) for r, row in enumerate((("1:2", "0.50"), ("1:1", "1.00")))
             for v, x in zip(row, (367, 430))]
    text = para("clusters can be controlled by the stoichiometry of the reaction", 324, 150, 241, n=6)
    found = _float_blocks([Page(1, W, H, [caption, *cells, text])], 9.0)
    assert all(id(c) in found for c in cells) and id(text) not in found


def test_a_table_column_head_and_footnote_stay_in_the_table_a_heading_after_it_does_not():
    """A table whose first column head reads like a heading ("Case no.", set level with the
    other heads) and whose footnote opens "Abbreviations:" keeps both; the numbered
    heading in the column after it opens a section."""
    from extract.pdf.structure import _float_blocks

    caption = block([line("Table 1 Characteristics of the patients treated", 47, 485, 539, 8)])
    heads = [block([line(t, x, 515, x + 40, 7.5)]) for t, x in (("Case no.", 52), ("Age (y)", 116), ("Primary", 163))]
    cells = [block([line(f"{r}{x}", x, 531 + 12 * r, x + 20, 7.5)]) for r in range(3) for x in (52, 116, 163)]
    foot = block([line("Abbreviations: CDDP, cisplatin; CE, etoposide plus carboplatin; EP, etoposide plus "
                       "cisplatin; GEM, gemcitabine; IP, irinotecan plus cisplatin; LN, lymph node; TMZ, temozolomide",
                       46, 575, 548, 7.5)])
    found = _float_blocks([Page(1, W, H, [caption, *heads, *cells, foot])], 8.0)
    assert all(id(b) in found for b in heads + cells + [foot])
    heading = block([line("4 | Discussion", 47, 470, 120, 10)])
    table = [block([line(f"{r}{x}", x, 420 + 12 * r, x + 20, 7.5)]) for r in range(3) for x in (52, 116, 163)]
    caption = block([line("Table 2 Adverse events", 47, 400, 300, 8)])
    found = _float_blocks([Page(1, W, H, [caption, *table, heading])], 8.0)
    assert all(id(b) in found for b in table) and id(heading) not in found


def _kinds(blocks: list[Block]) -> list[tuple[str, str]]:
    st = analyse([Page(1, W, H, blocks)])
    return [(u.kind, u.block.text[:12]) for u in st.units], st


def test_bmc_background_after_a_structured_abstract_opens_the_body():
    blocks = [block([line("A study of a test compound in rats", 50, 60, 500, 18)]),
              block([line("Abstract", 50, 120, 110, 12, font="Helvetica-Bold")]),
              para("Background: why. Methods: how. Results: what. Conclusion: so.", 50, 140, 500),
              block([line("Background", 50, 220, 130, 12, font="Helvetica-Bold")]),
              para("Recently the recognition of a new mechanism has grown", 50, 240, 500)]
    kinds, _ = _kinds(blocks)
    assert [k for k, _ in kinds][1:] == ["abstract", "abstract", "introduction", "introduction"]


def test_run_in_abstract_unheaded_introduction_licence_note_and_keywords():
    abstract = "Abstract Colletotrichum " + "is studied here with a new typing method " * 6
    blocks = [block([line("A typing method for a plant pathogen", 50, 60, 500, 18)]),
              para(abstract, 50, 120, 500, size=9, n=6),
              block([line("Keywords Genotyping, Host-specificity, Microsatellites", 50, 200, 400, 9)]),
              para("Members of the genus cause major losses to crops worldwide, " * 3, 50, 230, 240, n=5),
              para("This is an Open Access article distributed under the terms of a licence", 50, 300, 240,
                   size=8, n=3),
              para("the genus was voted one of the most important groups of pathogens, " * 3, 310, 230, 240,
                   n=20)]
    kinds, st = _kinds(blocks)
    assert [k for k, _ in kinds][1:] == ["abstract", "keywords", "introduction", "note", "introduction"]
    assert st.keywords == ["Genotyping", "Host-specificity", "Microsatellites"]


def test_keywords_set_on_from_the_abstract_or_under_a_letter_spaced_label():
    abstract = para("Background: the incidence of malnutrition is high in these patients", 50, 120, 500)
    abstract.lines.append(line("Keywords: oral nutrition, protocol, radiotherapy", 50, 170, 400))
    blocks = [block([line("The effect of oral nutrition in a trial", 50, 60, 500, 18)]),
              block([line("Abstract", 50, 100, 110, 12, font="Helvetica-Bold")]), abstract]
    _, st = _kinds(blocks)
    assert st.keywords == ["oral nutrition", "protocol", "radiotherapy"]
    blocks = [block([line("A phase II study of a test drug", 50, 60, 500, 18)]),
              block([line("Abstract", 50, 100, 110, 12, font="Helvetica-Bold")]),
              para("The activity of a drug in patients with a rare carcinoma", 50, 120, 500),
              block([line("K E Y W O R D S", 50, 200, 130, 7)]),
              block([line("carcinoma, phase II study – temozolomide", 50, 210, 300, 8)])]
    _, st = _kinds(blocks)
    assert st.keywords == ["carcinoma", "phase II study", "temozolomide"]


def test_a_landscape_table_page_does_not_set_the_body_size():
    """A short paper whose one landscape page (a table turned to read upright) holds more
    small-type characters than its portrait pages hold body text: the body size is still
    the portrait pages' running-text size."""
    from extract.pdf.structure import body_font_size

    body = [Page(n, W, H, [para("running text of the paper in body type", 50, 100, 500, 10.0, n=6, page=n)])
            for n in (1, 2)]
    cells = [block([line(f"cell {r} {c} value", 60 + 150 * c, 60 + 12 * r, 200 + 150 * c, 8.0, page=3)])
             for r in range(40) for c in range(5)]
    table = Page(3, H, W, cells)
    assert body_font_size(body + [table]) == 10.0
    assert body_font_size(body) == 10.0


def test_wiley_numbered_subsection_after_a_table_note_stays_in_its_section():
    """Wiley: '3 | RE SULTS' letter-spaced, a 'TA B L E 1' caption over bold column heads in
    small type, an 'Abbreviations:' table note, then '3.2 | Efficacy'."""
    bold = "Helvetica-Bold"
    blocks = [block([line("A phase II study of a test drug in a rare carcinoma", 50, 40, 500, 18)]),
              block([line("1 | INTRODUCTION", 50, 100, 200, 10, font=bold)]),
              para("The drug was given to patients with a rare carcinoma of the gut", 50, 115, 500, size=8),
              block([line("3 | RE SULTS", 50, 170, 200, 10, font=bold)]),
              para("Thirteen patients were enrolled and all received the drug as planned", 50, 185, 500, size=8),
              block([line("TA B L E 1 Characteristics of the patients", 50, 240, 400, 8)]),
              block([line("Case no.", 50, 255, 90, 7.5, font=bold)]),
              block([line("Age (y)", 120, 255, 160, 7.5, font=bold)]),
              para("1 60s 2 60s 3 40s", 120, 270, 40, size=7.5, n=3),
              block([line("Abbreviations: CI, confidence interval; PD, progressive disease", 50, 380, 400, 7.5),
                     line("and SD, stable disease.", 50, 389, 200, 7.5)]),
              block([line("3.2 | Efficacy", 50, 420, 200, 10, font=bold)]),
              para("A total of 28 cycles were completed and the median number was two", 50, 435, 500, size=8)]
    st = analyse([Page(1, W, H, blocks)])
    kinds = {u.block.text[:10]: (u.role, u.kind) for u in st.units}
    assert kinds["3 | RE SUL"] == ("heading", "results")
    assert kinds["Case no."][0] == kinds["Age (y)"][0] == "table"
    assert kinds["Abbreviati"][0] == "note"
    assert kinds["3.2 | Effi"] == ("heading", "results") and kinds["A total of"] == ("body", "results")


def test_bold_unheaded_abstract_then_an_unheaded_introduction():
    """Scientific Reports: the abstract in bold body type, the introduction in plain body
    type, neither headed; the first heading comes later."""
    blocks = [block([line("A reductase regulates a pathway in a medicinal plant", 50, 40, 500, 20)]),
              para("This plant is unique in possessing terpenoids whereas other species do not, " * 2,
                   50, 100, 500, n=6, font="Helvetica-Bold"),
              para("The genus, an important member of its family, comprises about 150 species, " * 2,
                   50, 190, 500, n=6),
              block([line("Results", 50, 280, 110, 12, font="Helvetica-Bold")]),
              para("Cloning of the gene gave an amplicon of the expected size in all tissues", 50, 300, 500)]
    kinds, _ = _kinds(blocks)
    assert [k for k, _ in kinds][1:] == ["abstract", "introduction", "results", "results"]


def test_bmj_open_ethics_and_dissemination_is_a_body_section():
    from extract.pdf.structure import heading_kind
    assert heading_kind("Ethics and dissemination") == "other"
    assert heading_kind("Ethics approval and consent to participate") == "back_matter"


def test_body_column_beside_the_first_references_goes_on_with_the_body():
    """Frontiers' last page: the references start at the foot of column 1 in small type;
    column 2 goes on with the body (and a last body heading) before the back matter."""
    bold = "Helvetica-Bold"
    first = [block([line("A review of plant growth promoting bacteria", 50, 70, 500, 18)]),
             block([line("Introduction", 45, 120, 160, 11, font=bold)]),
             para("Plants and bacteria interact and communicate with each other in the soil", 45, 140, 500,
                  size=9.5, n=20)]
    last = [block([line("Effect of Bacteria on Aquatic Plants", 45, 100, 280, 12, page=2, font=bold)]),
            para("Bacteria have primarily been investigated for their ability to promote growth", 45, 120, 250,
                 size=9.5, n=20, page=2),
            block([line("REFERENCES", 45, 598, 120, 12, page=2, font=bold)]),
            para("Abeles, F. B., and Morgan, P. W. (2012). Ethylene in Plant Biology. New York: Academic", 45,
                 621, 250, size=7.5, n=8, page=2),
            para("waterlogged conditions. The growth and development of plants depend on their", 305, 63, 250,
                 size=9.5, n=4, page=2),
            block([line("FUTURE PROSPECTS", 305, 120, 420, 12, page=2, font=bold)]),
            para("This mini-review highlights that certain bacteria can help plants under stress", 305, 143, 250,
                 size=9.5, n=20, page=2),
            block([line("ACKNOWLEDGMENTS", 305, 488, 420, 12, page=2, font=bold)]),
            para("This work was carried out with the support of a research programme for farming", 305, 511,
                 250, size=9.5, n=3, page=2),
            para("Bleecker, A. B., and Kende, H. (2000). Ethylene: a gaseous signal molecule in plants.", 305,
                 602, 250, size=7.5, n=8, page=2)]
    st = analyse([Page(1, W, H, first), Page(2, W, H, last)])
    assert [u.kind for u in st.units][3:] == ["other", "other", "references", "references", "other", "other",
                                             "other", "back_matter", "back_matter", "references"]
