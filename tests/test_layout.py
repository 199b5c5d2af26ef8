"""Layout on character records built here, so each rule is tested on the shape it is
about: a chart's axis numbers on the baselines of the column beside the chart, a list
label beside its item, and an accent set over its letter on a baseline of its own."""
from __future__ import annotations

from extract.pdf.chars import Char
from extract.pdf.layout import layout_page

W, H = 600.0, 800.0


def word(text: str, x0: float, base: float, size: float = 9.0, font: str = "Times-Roman",
         advance: float = 0.5) -> list[Char]:
    """One character record per letter, `advance` x size wide, on baseline `base`."""
    w = advance * size
    return [Char(t, x0 + k * w, x0 + (k + 1) * w, base - 0.8 * size, base + 0.2 * size, size, font, base)
            for k, t in enumerate(text)]


def text_line(text: str, x0: float, base: float, size: float = 9.0) -> list[Char]:
    out, x = [], x0
    for w in text.split():
        out += word(w, x, base, size)
        x += (len(w) + 1) * 0.5 * size
    return out


def lines_of(chars: list[Char]) -> list[str]:
    return [ln.text for b in layout_page(1, W, H, chars).blocks for ln in b.lines]


def test_chart_axis_numbers_do_not_run_into_the_text_beside_the_chart():
    """Small axis numbers at the chart's edge share baselines with the next column's lines:
    they look like list labels ("80", "60") but sit far from the text and in smaller type."""
    chars = []
    for k in range(12):
        base = 100 + 11 * k
        chars += text_line("running text of the column beside the chart goes on", 344, base)
        if k % 3 == 0:  # an axis tick label every third line
            chars += word(str(100 - 20 * (k // 3)), 173, base, size=6.5)
    lines = lines_of(chars)
    assert sum(ln.startswith("running text") for ln in lines) == 12
    assert {"100", "80", "60", "40"} <= set(lines)


def test_a_list_label_stays_on_its_item_line():
    chars = []
    for k in range(6):
        base = 100 + 11 * k
        chars += word(f"{k + 1}.", 50, base)
        chars += text_line("Author A, Author B. A title of the cited work. J Test. 2020", 70, base)
        chars += text_line("text of the next column that is read after this one", 400, base)
    lines = lines_of(chars)
    assert [ln for ln in lines if ln[0].isdigit()] == [f"{k + 1}. Author A, Author B. A title of the cited work. J Test. 2020"
                                                       for k in range(6)]


def test_an_accent_raised_over_its_letter_on_a_baseline_of_its_own_is_folded_in():
    """'Å' drawn as an 'A' with a ring set on a baseline of its own, between two lines."""
    chars = text_line("the bond length was", 50, 100) + text_line("2.35 A and the angle", 50, 112)
    a = next(c for c in chars if c.text == "A")
    chars.append(Char("\u02da", a.x0 + 0.2, a.x1 - 0.2, a.top - 4, a.bottom - 4, a.size, a.fontname, a.base - 4))
    assert lines_of(chars) == ["the bond length was", "2.35 \u00c5 and the angle"]


def spaced(text: str, x0: float, base: float, gap: float, size: float = 8.0) -> list[Char]:
    """Letters `gap` x size apart (tracking); words a further 0.3 x size apart."""
    out, x = [], x0
    for t in text:
        if t == " ":
            x += 0.3 * size
            continue
        out += word(t, x, base, size)
        x += (0.5 + gap) * size
    return out


def test_tracked_capitals_are_one_word_single_initials_stay_apart():
    """Wiley sets 'TABLE 1' and headings in tracked capitals, each letter 0.15 em from the
    next: one word, not 'TA B L E'. A title-page line whose word spaces are all narrow
    (0.17 em) keeps its single initials apart: 'Andrés J M Ferreri'."""
    chars = spaced("TABLE 1", 50, 100, 0.15) + text_line("Characteristics of patients in the trial", 92, 100, 8.0)
    assert lines_of(chars) == ["TABLE 1 Characteristics of patients in the trial"]
    chars, x = [], 50.0
    for w in "Andrés J M Ferreri, Jacoline E C Bromberg".split():
        chars += word(w, x, 100, 18.0)
        x += (0.5 * len(w) + 0.166) * 18.0
    assert lines_of(chars) == ["Andrés J M Ferreri, Jacoline E C Bromberg"]
