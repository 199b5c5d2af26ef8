"""The six fictional case reports: text (in `markup.py` notation) and the facts behind it.

Patients, authors, institutions and references are invented. `&shy;` marks where a long
word may be hyphenated at a line end; `[[key,...]]` cites entries of `../bib.py`.
`case` holds what an extractor should find; every quoted span in it occurs in the text
(make_corpus checks this).
"""
from .fat_grafting import ARTICLE as A1
from .neonatal import ARTICLE as A2
from .calciphylaxis import ARTICLE as A3
from .pyoderma import ARTICLE as A4
from .dress import ARTICLE as A5
from .mycobacteria import ARTICLE as A6

ARTICLES = [A1, A2, A3, A4, A5, A6]
