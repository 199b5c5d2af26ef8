"""Cross-document deduplication: every reference, and every report of the corpus, -> a work.

Strong keys decide first (DOI, then PMID, then first author + year + volume + first
page, which holds however the titles of two citing lists differ); what is left is matched fuzzily, but only
inside blocks (same first-author family name + year, ...), so the cost grows with the block
sizes, not with n^2 over a million references. Clusters are kept in a union-find that
refuses to join two clusters carrying different DOIs (or PMIDs), so a chain of fuzzy links
can never glue two identified works together. Work ids are hashes of a normalized key of
the cluster (its DOI, else PMID, else author|year|title...), so re-runs give the same ids.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import unquote

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from extract.names import parse_name

WORK_COLUMNS = [
    "work_id", "title", "first_author", "year", "container", "doi", "pmid",
    "in_corpus", "doc_id", "times_cited_in_corpus", "n_citing_docs",
]

# Title similarity (rapidfuzz normalized Indel similarity, 0-100, on normalized titles).
# 90 inside an author+year block: a 40-character title keeps its match through ~4 OCR
# edits ("rn"/"m", "l"/"I", a dropped letter), while two different papers by the same
# author in the same year ("... part I. Diagnostic pathway" / "... part II. Treatment")
# score 60-75. Blocks keyed without the author need stronger evidence: 95.
TITLE_MATCH_SAME_AUTHOR = 90
TITLE_MATCH_OTHER_BLOCK = 95
# A title cut short or run on into the journal name by the parser still matches when the
# shorter one (>= 30 characters, long enough not to be generic) lies inside the longer.
PARTIAL_MATCH = 97
PARTIAL_MIN_CHARS = 30
# Blocks keyed without the author still want similar family names: 75 lets one letter of a
# four-letter name go wrong ("Wang"/"Wamg"), the first initial must agree as well.
FAMILY_MATCH = 75
# Unparsed entries merge only on an identical normalized raw string of some length.
RAW_MIN_CHARS = 30

_STOP = {"a", "an", "the", "of", "in", "and", "on", "for", "with", "to", "de", "la", "le", "et"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae",
                       "Æ": "AE", "œ": "oe", "đ": "d", "ı": "i"})


def missing(value) -> bool:
    """None, NaN, pd.NA and blank strings all mean 'not found' (lists are never missing)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, np.ndarray)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def column(df: pd.DataFrame, name: str) -> pd.Series:
    """df[name], or all nulls when an earlier stage did not produce that column."""
    return df[name] if name in df.columns else pd.Series(None, index=df.index, dtype=object)


def _ascii(text: str) -> str:
    text = str(text)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", str(text).translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


def normalize_doi(value) -> str | None:
    """Lowercase bare DOI: no resolver prefix, no 'doi:', no spaces left by line breaks."""
    if missing(value):
        return None
    text = re.sub(r"\s+", "", unquote(str(value))).lower()
    m = _DOI.search(text)
    if not m:
        return None
    doi = m.group(0)
    while doi and doi[-1] in ".,;:'\">)]}":
        closing = doi[-1]
        opening = {")": "(", "]": "[", "}": "{"}.get(closing)
        if opening and doi.count(opening) >= doi.count(closing):
            break  # a balanced bracket belongs to the DOI, e.g. 10.1016/s0140-6736(05)...
        doi = doi[:-1]
    return doi if "/" in doi and not doi.endswith("/") else None


def normalize_pmid(value) -> str | None:
    if missing(value):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return str(int(value)) if value > 0 else None
    m = re.search(r"\d{1,9}", str(value))
    return str(int(m.group(0))) if m and int(m.group(0)) > 0 else None


def normalize_year(value) -> int | None:
    if missing(value):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return int(value) if 1500 <= value <= 2200 else None
    m = re.search(r"(?<!\d)(1[5-9]\d\d|2[01]\d\d)(?!\d)", str(value))
    return int(m.group(1)) if m else None


def normalize_title(value) -> str:
    """Case, accents, punctuation and spacing removed: what fuzzy matching compares."""
    if missing(value):
        return ""
    return _NON_ALNUM.sub(" ", _ascii(value).lower()).strip()


def family_display(name) -> str:
    """Family name as printed, whatever order the name came in (`extract.names`).

    'Reiter NM', 'Reiter, N.', 'N. M. Reiter' and 'Noelle Reiter' all give 'Reiter';
    'van der Berg JH' and 'Jan van der Berg' give 'van der Berg'; 'De Witt A' 'De Witt'.
    """
    if missing(name) or isinstance(name, (list, tuple)):
        return ""
    parsed = parse_name(str(name))
    return parsed.family if parsed else ""


def family_name(name) -> str:
    """Blocking form of the family name: ASCII letters only, lowercase."""
    return re.sub(r"[^a-z]", "", _ascii(family_display(name)).lower())


def first_initial(name) -> str:
    """First given-name initial, uppercase and unaccented ('' when the name has none)."""
    if missing(name) or isinstance(name, (list, tuple)):
        return ""
    parsed = parse_name(str(name))
    return _ascii(parsed.first_initial).upper() if parsed else ""


def first_author_of(row_first_author, row_authors) -> str | None:
    """The first author as printed: the first_author column, else the authors list's head."""
    if not missing(row_first_author):
        return str(row_first_author)
    if isinstance(row_authors, (list, tuple, np.ndarray)) and len(row_authors):
        return str(row_authors[0])
    return None


def _title_block(title: str) -> str:
    words = [w for w in title.split() if w not in _STOP]
    return " ".join(words[:3]) if len(words) >= 3 else ""


def _container_tokens(value) -> list[str]:
    return [w for w in normalize_title(value).split() if w not in _STOP]


def containers_compatible(a, b) -> bool:
    """'J Am Acad Dermatol' and 'Journal of the American Academy of Dermatology' agree:
    word by word, one is an abbreviation (prefix) of the other."""
    ta, tb = _container_tokens(a), _container_tokens(b)
    if not ta or not tb:
        return False
    if "".join(ta) == "".join(tb):
        return True
    return len(ta) == len(tb) and all(x.startswith(y) or y.startswith(x) for x, y in zip(ta, tb))


def _first_page(value) -> str:
    if missing(value):
        return ""
    m = re.match(r"\s*([A-Za-z]?\d+[A-Za-z]?)", str(value))
    return m.group(1).lower() if m else ""


def _volume(value) -> str:
    """'65', '65 Suppl 2' and '3, article 6' compare by their leading number."""
    if missing(value):
        return ""
    m = re.search(r"[A-Za-z]?\d+", str(value))
    return m.group(0).lower() if m else re.sub(r"[^a-z0-9]", "", str(value).lower())


def _normalize_unique(series: pd.Series, func) -> pd.Series:
    """Apply func once per distinct value: a million references hold far fewer strings."""
    values = series.astype(object).where(series.notna(), None)
    keys = values.map(lambda v: v if isinstance(v, (str, int, float)) or v is None else str(v))
    uniq = {k: func(k) for k in pd.unique(keys)}
    return keys.map(uniq)


class _Clusters:
    """Union-find whose roots remember the DOI and PMID of their cluster."""

    def __init__(self, doi: Sequence, pmid: Sequence):
        self.parent = list(range(len(doi)))
        self.doi = list(doi)
        self.pmid = list(pmid)

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and (_conflict(self.doi[ra], self.doi[rb])
                          or _conflict(self.pmid[ra], self.pmid[rb])):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.doi[ra] = self.doi[ra] or self.doi[rb]
        self.pmid[ra] = self.pmid[ra] or self.pmid[rb]
        return True

    def roots(self) -> np.ndarray:
        return np.fromiter((self.find(i) for i in range(len(self.parent))), dtype=np.int64,
                           count=len(self.parent))


def _conflict(a, b) -> bool:
    return bool(a) and bool(b) and a != b


def _agreement(a, b) -> int:
    """1 both present and equal, -1 both present and different, 0 otherwise."""
    return 0 if not a or not b else (1 if a == b else -1)


def _stack(*frames: pd.DataFrame) -> pd.DataFrame:
    """Rows of documents then references, as objects: a column all null on one side (no
    ref_no for documents, no DOI in a run) must not decide the other side's type."""
    return pd.concat([f.astype(object) for f in frames], ignore_index=True)


def _records(documents: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """One row per matchable item, documents first, with every key already normalized."""
    def frame(df: pd.DataFrame, src: str, container_col: str) -> pd.DataFrame:
        def get(col: str) -> pd.Series:
            return column(df, col)
        first = [first_author_of(f, a) for f, a in zip(get("first_author"), get("authors"))]
        out = pd.DataFrame({
            "src": src,
            "doc_id": get("doc_id").astype(object).values,
            "ref_no": get("ref_no").astype(object).values if src == "ref" else None,
            "doi": _normalize_unique(get("doi"), normalize_doi).values,
            "pmid": _normalize_unique(get("pmid"), normalize_pmid).values,
            "year": _normalize_unique(get("year"), normalize_year).values,
            "title": _normalize_unique(get("title"), normalize_title).values,
            "container": get(container_col).values,
            "volume": _normalize_unique(get("volume"), _volume).values,
            "page1": _normalize_unique(get("pages"), _first_page).values,
            "raw": _normalize_unique(get("raw"), normalize_title).values if src == "ref" else "",
        })
        firsts = pd.Series(first, dtype=object)
        out["family"] = _normalize_unique(firsts, family_name).values
        out["initial"] = _normalize_unique(firsts, first_initial).values
        return out

    recs = _stack(frame(documents, "doc", "journal"), frame(references, "ref", "container"))
    recs["year"] = recs["year"].astype("Int64")
    # a book or report cited without a chapter: its name is all the title there is
    bookish = recs["src"].eq("ref") & recs["title"].eq("") & recs["volume"].eq("")
    recs.loc[bookish, "title"] = _normalize_unique(recs.loc[bookish, "container"], normalize_title)
    recs["tblock"] = _normalize_unique(recs["title"], _title_block).values
    # author-less entries (agencies, guidelines, lost names) block among themselves
    recs["author"] = recs["family"].where(recs["family"].ne(""), "-")
    # leading list numbering ("12. ", "[3]") differs between lists citing the same work
    recs["raw"] = recs["raw"].str.replace(r"^\d{1,4} ", "", regex=True)
    return recs


class _Matcher:
    """Candidate pairs from blocks, checked record by record, fed to the union-find."""

    def __init__(self, recs: pd.DataFrame):
        self.recs = recs
        self.year = [None if pd.isna(y) else int(y) for y in recs["year"]]
        self.initial = list(recs["initial"])
        self.volume = list(recs["volume"])
        self.page1 = list(recs["page1"])
        self.family = list(recs["family"])
        self.clusters = _Clusters(list(recs["doi"]), list(recs["pmid"]))

    def compatible(self, i: int, j: int) -> bool:
        """Fields both records have must agree: another year or first initial ('Wang Y' and
        'Wang X') means another paper, however alike the titles; so does another volume or
        first page, unless the other of the two agrees (citing lists do misprint volumes)."""
        if _conflict(self.year[i], self.year[j]) or _conflict(self.initial[i], self.initial[j]):
            return False
        vol, page = (_agreement(self.volume[i], self.volume[j]),
                     _agreement(self.page1[i], self.page1[j]))
        return vol + page >= 0

    def similar_family(self, i: int, j: int) -> bool:
        """Blocks without the author: a name lost or misspelt by the parser, not another
        author's identically titled case report ("Calcinosis cutis: a case report")."""
        a, b = self.family[i], self.family[j]
        return (not a or not b or a.startswith(b) or b.startswith(a)  # "de" for "de Herder"
                or fuzz.ratio(a, b) >= FAMILY_MATCH)

    def exact(self, column: str, force: bool = False, min_len: int = 1) -> None:
        values = self.recs[column]
        mask = values.notna() & (values.astype(str).str.len() >= min_len)
        mask &= values.duplicated(keep=False)
        for idx in self.recs.index[mask].groupby(values[mask]).values():
            for other in idx[1:]:
                self.clusters.union(idx[0], other, force=force)

    def fuzzy(self, block: list[str], threshold: int, partial: bool, same_author: bool) -> None:
        recs = self.recs
        mask = recs["title"].ne("")
        for col in block:
            mask &= recs[col].notna() & recs[col].astype(str).ne("")
        mask &= recs[block].duplicated(keep=False)
        sub = recs.loc[mask, block + ["title"]]
        for idx in sub.groupby(block, sort=False).indices.values():
            rows = sub.index.values[idx]
            if len({self.clusters.find(i) for i in rows}) > 1:  # else joined by an earlier pass
                self._match_titles(rows, sub["title"].values[idx], threshold, partial, same_author)

    def _match_titles(self, rows: np.ndarray, titles: np.ndarray, threshold: int,
                      partial: bool, same_author: bool) -> None:
        uniq, inverse = np.unique(titles.astype(str), return_inverse=True)
        members = [rows[inverse == k] for k in range(len(uniq))]
        close = np.eye(len(uniq), dtype=bool)  # identical normalized titles
        if len(uniq) > 1:
            close |= cdist(uniq, uniq, scorer=fuzz.ratio, score_cutoff=threshold,
                           dtype=np.uint8) > 0
            lengths = np.array([len(t) for t in uniq])
            long_enough = np.minimum.outer(lengths, lengths) >= PARTIAL_MIN_CHARS
            if partial and long_enough.any():
                close |= long_enough & (cdist(uniq, uniq, scorer=fuzz.partial_ratio,
                                              score_cutoff=PARTIAL_MATCH, dtype=np.uint8) > 0)
        for a, b in zip(*np.nonzero(np.triu(close))):
            self._link_groups(members[a], members[b], same_author)

    def _link_groups(self, left: np.ndarray, right: np.ndarray, same_author: bool) -> None:
        """Each record of right joins the first compatible record of left."""
        for j in right:
            for i in left:
                if (i != j and self.compatible(i, j)
                        and (same_author or self.similar_family(i, j))
                        and self.clusters.union(i, j)):
                    break

    def by_author_location(self) -> None:
        """A strong key: same first-author family + year + volume + first page is one work,
        however differently the citing lists print (or the parser splits) its title."""
        recs = self.recs
        cols = ["family", "year", "volume", "page1"]
        mask = recs["family"].ne("") & recs["year"].notna() & recs["volume"].ne("") & recs["page1"].ne("")
        sub = recs.loc[mask & recs[cols].duplicated(keep=False)]
        for idx in sub.groupby(cols, sort=False).indices.values():
            rows = sub.index.values[idx]
            for pos, j in enumerate(rows[1:], start=1):
                for i in rows[:pos]:
                    if not _conflict(self.initial[i], self.initial[j]) and self.clusters.union(i, j):
                        break

    def by_location(self) -> None:
        """Same volume + first page. With both titles alike (a misspelt first author, an
        author list parsed differently, a year misprinted by one list) and the same year or
        first author; with a title missing, the same year and the same first author or a
        compatible journal name. Titles that differ keep them apart."""
        recs = self.recs
        cols = ["volume", "page1"]
        mask = recs["volume"].ne("") & recs["page1"].ne("")
        sub = recs.loc[mask & recs[cols].duplicated(keep=False)]
        container, title = recs["container"].values, recs["title"].values
        find = self.clusters.find
        for idx in sub.groupby(cols, sort=False).indices.values():
            rows = sub.index.values[idx]
            for pos, j in enumerate(rows[1:], start=1):
                for i in rows[:pos]:
                    if find(i) == find(j):
                        break
                    same_author = bool(self.family[i]) and self.family[i] == self.family[j]
                    same_year = _agreement(self.year[i], self.year[j]) == 1
                    if title[i] and title[j]:
                        ok = (same_year or same_author) and _titles_alike(title[i], title[j])
                    else:
                        ok = same_year and (same_author or containers_compatible(container[i], container[j]))
                    if ok and not _conflict(self.initial[i], self.initial[j]) and self.clusters.union(i, j):
                        break


def _titles_alike(a: str, b: str) -> bool:
    """Normalized titles that a citing list printed differently ("peroxide" / "peroxidation",
    a subtitle left out)."""
    return (fuzz.ratio(a, b) >= TITLE_MATCH_SAME_AUTHOR
            or (min(len(a), len(b)) >= PARTIAL_MIN_CHARS and fuzz.partial_ratio(a, b) >= PARTIAL_MATCH))


def _cluster(recs: pd.DataFrame) -> np.ndarray:
    m = _Matcher(recs)
    m.exact("doi", force=True)  # the DOI outranks a PMID printed with it
    m.exact("pmid")
    m.by_author_location()
    m.exact("raw", min_len=RAW_MIN_CHARS)
    m.fuzzy(["author", "year"], TITLE_MATCH_SAME_AUTHOR, partial=True, same_author=True)
    # first author lost or misspelt by the parser; year missing on one side
    m.fuzzy(["year", "tblock"], TITLE_MATCH_OTHER_BLOCK, partial=False, same_author=False)
    m.fuzzy(["author", "tblock"], TITLE_MATCH_OTHER_BLOCK, partial=False, same_author=True)
    m.by_location()
    return m.clusters.roots()


def _mode(recs: pd.DataFrame, cols: list[str], required: list[str]) -> pd.DataFrame:
    """Per cluster, the most frequent combination of cols (ties: smallest value) among the
    records where the required ones are non-empty."""
    sub = recs
    for c in required:
        sub = sub[sub[c].ne("")]
    counts = sub.groupby(["root"] + cols, observed=True).size().rename("n").reset_index()
    counts = counts.sort_values(["root", "n"] + cols, ascending=[True, False] + [True] * len(cols),
                                kind="mergesort")
    return counts.drop_duplicates("root").set_index("root")[cols]


def _smallest(recs: pd.DataFrame, col: str) -> pd.Series:
    """Per cluster root, the smallest non-null value of col (groupby.min on strings is slow)."""
    sub = recs.loc[recs[col].notna(), ["root", col]].sort_values(["root", col])
    return sub.drop_duplicates("root").set_index("root")[col]


def _work_keys(recs: pd.DataFrame) -> pd.Series:
    """Normalized key per cluster root: DOI, else PMID, else author|year|title, ..."""
    roots = pd.Index(np.unique(recs["root"]))
    key = pd.Series(None, index=roots, dtype=object)
    recs = recs.assign(y=[str(y) if y else "" for y in recs["year"].fillna(0)])
    title = _mode(recs, ["title", "family", "y"], ["title"])
    loc = _mode(recs, ["y", "volume", "page1"], ["y", "volume", "page1"])
    raw = _mode(recs, ["raw"], ["raw"])
    recs = recs.assign(ident=recs["src"] + ":" + recs["doc_id"].astype(str) + ":"
                       + recs["ref_no"].map(ref_key))
    ident = _smallest(recs, "ident")
    candidates = [
        "doi:" + _smallest(recs, "doi"),
        "pmid:" + _smallest(recs, "pmid"),
        "title:" + title["family"] + "|" + title["y"] + "|" + title["title"],
        "loc:" + loc["y"] + "|" + loc["volume"] + "|" + loc["page1"],
        "raw:" + raw["raw"],
        "item:" + ident,
    ]
    for cand in candidates:
        key = key.where(key.notna(), cand.reindex(roots))
    # distinct clusters that still share a key (a compatibility check kept them apart)
    dup = key.duplicated(keep=False)
    if dup.any():
        order = pd.DataFrame({"key": key[dup], "ident": ident[key[dup].index]}).sort_values(
            ["key", "ident"])
        later = order.duplicated("key")
        key[order.index[later]] = order["key"][later] + "|" + order["ident"][later]
    return key


def work_id_for(key: str) -> str:
    return "W" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def representatives(df: pd.DataFrame, key: str, fields: Iterable[str],
                    rank: str | None = None) -> pd.DataFrame:
    """Per key, each field's value from the best row that has it: lowest rank first (if
    given), then the most complete row, then the first."""
    fields = [f for f in fields if f in df.columns]
    clean = df[fields].astype(object).apply(lambda col: col.map(lambda v: None if missing(v) else v))
    clean["_filled"] = clean.notna().sum(axis=1)
    clean[key] = df[key].values
    clean["_rank"] = df[rank].values if rank else 0
    clean = clean.sort_values([key, "_rank", "_filled"], ascending=[True, True, False],
                              kind="mergesort")
    return clean.groupby(key, sort=True)[fields].first()


def assign_works(documents: pd.DataFrame, references: pd.DataFrame
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Returns (references with work_id filled, works table).

    Works: work_id, title, first_author, year, container, doi, pmid, in_corpus, doc_id,
    times_cited_in_corpus (reference-list entries pointing at the work, a within-document
    duplicate counted once) and n_citing_docs (distinct citing documents). Every report of
    the corpus is a work too (in_corpus=True, doc_id set), cited or not. The references
    keep their index; a duplicate (duplicate_of) gets the work of the entry it repeats.
    """
    refs = references.reset_index(drop=True).copy()
    dup_target = _duplicate_targets(refs)
    primary = refs[dup_target.isna()]
    recs = _records(documents.reset_index(drop=True), primary)
    recs["root"] = _cluster(recs) if len(recs) else np.zeros(0, dtype=np.int64)
    keys = _work_keys(recs) if len(recs) else pd.Series(dtype=object)
    recs["work_id"] = recs["root"].map(keys.map(work_id_for))

    ref_recs = recs[recs["src"] == "ref"]
    work = pd.Series(ref_recs["work_id"].values, index=primary.index, dtype=object)
    work = work.reindex(refs.index)
    work[dup_target.notna()] = work.reindex(dup_target[dup_target.notna()].values).values
    refs["work_id"] = work.values
    works = _works_table(documents.reset_index(drop=True), refs[dup_target.isna()], recs)
    refs.index = references.index  # callers align gold labels or other columns on it
    return refs, works


def ref_key(value) -> str:
    """ref_no as a comparable string: 2, 2.0 (a column holding nulls) and "2" are one."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return "" if missing(value) else str(value).strip()


def _duplicate_targets(refs: pd.DataFrame) -> pd.Series:
    """Row index of the entry each within-document duplicate repeats (NaN otherwise)."""
    target = pd.Series(np.nan, index=refs.index)
    if "duplicate_of" not in refs.columns or refs.empty:
        return target
    pos = {(d, ref_key(n)): i for i, (d, n) in enumerate(zip(refs["doc_id"], refs["ref_no"]))}
    for i, (d, dup) in enumerate(zip(refs["doc_id"], refs["duplicate_of"])):
        j = None if missing(dup) else pos.get((d, ref_key(dup)))
        if j is not None and j != i and missing(refs.at[j, "duplicate_of"]):
            target[i] = j
    return target


def _works_table(documents: pd.DataFrame, refs: pd.DataFrame, recs: pd.DataFrame) -> pd.DataFrame:
    """A report's own metadata describes its work best; references fill what it lacks."""
    def view(df: pd.DataFrame, container_col: str, rank: int) -> pd.DataFrame:
        def get(col: str) -> pd.Series:
            return column(df, col)
        return pd.DataFrame({
            "work_id": get("work_id").values, "doc_id": get("doc_id").values, "rank": rank,
            "title": get("title").values, "year": get("year").values,
            "container": get(container_col).values,
            "first_author": [first_author_of(f, a) for f, a in zip(get("first_author"), get("authors"))],
        })

    docs = documents.assign(work_id=recs.loc[recs["src"] == "doc", "work_id"].values)
    both = _stack(view(docs.sort_values("doc_id", kind="mergesort"), "journal", 0), view(refs, "container", 1))
    works = representatives(both, "work_id", ["title", "first_author", "year", "container"], "rank")
    ident = recs.groupby("work_id").agg(doi=("doi", "first"), pmid=("pmid", "first"))
    works = works.join(ident)
    works["year"] = works["year"].map(normalize_year).astype("Int64")
    works["doc_id"] = both[both["rank"] == 0].groupby("work_id")["doc_id"].first()
    works["in_corpus"] = works["doc_id"].notna()
    counts = refs.groupby("work_id").agg(times_cited_in_corpus=("doc_id", "size"),
                                         n_citing_docs=("doc_id", "nunique"))
    works = works.join(counts).fillna({"times_cited_in_corpus": 0, "n_citing_docs": 0})
    works = works.astype({"times_cited_in_corpus": int, "n_citing_docs": int})
    works = works.rename_axis("work_id").reset_index()
    for col in ["title", "first_author", "container", "doi", "pmid", "doc_id"]:
        works[col] = works[col].astype(object).where(works[col].notna(), None)
    return works[WORK_COLUMNS].sort_values("work_id", ignore_index=True)


def link_citations(citations: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """citations with work_id taken from the reference each marker points to; a marker
    pointing past the list keeps its ref_no and any work_id it already had (else null)."""
    out = citations.copy()
    work_of_ref = {(d, ref_key(n)): w for d, n, w in
                   zip(references["doc_id"], references["ref_no"], references["work_id"])
                   if not missing(w)}
    before = column(out, "work_id")
    out["work_id"] = [work_of_ref.get((d, ref_key(n)), None if missing(w) else w)
                      for d, n, w in zip(out["doc_id"], out["ref_no"], before)]
    return out


def merge_quality(references: pd.DataFrame, gold_doi: pd.Series) -> tuple[float, float]:
    """Pairwise (precision, recall) of work_id against gold DOIs, over references that have
    a gold DOI. Recall: pairs with one gold DOI that share a work_id; precision: pairs
    sharing a work_id that have one gold DOI. A missing work_id is a singleton."""
    gold = gold_doi.reindex(references.index).map(normalize_doi)
    df = pd.DataFrame({"gold": gold, "work": references["work_id"]}).dropna(subset=["gold"])
    df["work"] = df["work"].where(df["work"].notna(), "∅" + df.index.astype(str))

    def pairs(cols: list[str]) -> int:
        n = df.groupby(cols).size().to_numpy(dtype=np.int64)
        return int((n * (n - 1) // 2).sum())

    same_both, same_gold, same_work = pairs(["gold", "work"]), pairs(["gold"]), pairs(["work"])
    precision = same_both / same_work if same_work else 1.0
    recall = same_both / same_gold if same_gold else 1.0
    return precision, recall
