"""Reference-list formatting: Vancouver (numbered) and author-year, from one entry dict."""
from __future__ import annotations

from markup import family_of


def _initials_apa(vname: str) -> str:
    fam, ini = vname.rsplit(" ", 1)
    return f"{fam}, " + " ".join(f"{c}." for c in ini)


def vancouver(e: dict, doi_style: str = "doi:") -> str:
    names = e["authors"][:6] + (["et al"] if len(e["authors"]) > 6 else [])
    who = ", ".join(names)
    if e.get("type") == "book":
        s = f"{who}, editors. {e['title']}. {e['edition']} {e['place']}: {e['publisher']}; {e['year']}. p. {e['pages']}."
    else:
        s = f"{who}. {e['title']}. {e['journal']}. {e['year']};{e['volume']}({e['issue']}):{e['pages']}."
    if e.get("doi"):
        s += f" https://doi.org/{e['doi']}" if doi_style == "url" else f" doi:{e['doi']}"
    return s


def apa(e: dict) -> str:
    names = [_initials_apa(a) for a in e["authors"]]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", &amp; " + names[-1]
    if e.get("type") == "book":
        s = f"{who} (Eds.). ({e['year']}). <i>{e['title']}</i> ({e['edition']}, pp. {e['pages'].replace('-', chr(0x2013))}). {e['publisher']}."
    else:
        pages = e["pages"].replace("-", "\u2013")
        s = f"{who} ({e['year']}). {e['title']}. <i>{e['journal_full']}, {e['volume']}</i>({e['issue']}), {pages}."
    if e.get("doi"):
        s += f" https://doi.org/{e['doi']}"
    return s


def sort_key(e: dict) -> tuple:
    return (family_of(e["authors"][0]).lower(), e["year"], e["title"])
