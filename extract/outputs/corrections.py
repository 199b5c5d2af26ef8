"""The reviewer's corrections: a file the reviewer owns (CSV or YAML, kept outside OUT),
applied to the tables before they are written, by every run and by `extract.load`.

One correction a row: `doc_id`, `table`, `key` (the row's `row_key`, e.g.
'sodium thiosulfate | case', or its positional id such as a treatment_id), `column`,
`value`, `action` (set, the default; drop: the row is wrong; add: a row the extraction
missed, one correction per column, all with the same key), `reviewer`, `note`.

What was applied is the `corrections` table (with each cell's value before, so a later
file can be applied to the same outputs: `unapply` puts them back first); every corrected
row lists its corrected columns in `corrected`. A correction whose row no longer exists
is kept in the table with status `missing` and reported as a warning, never dropped
silently.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from extract.outputs.tables import LIST_SEP, ROW_IDS, ROW_KEYS, SCHEMAS, add_row_keys, frame, row_keys
from extract.outputs.writers import _atomic

log = logging.getLogger(__name__)

COLUMNS = ["doc_id", "table", "key", "column", "value", "action", "reviewer", "note"]
ACTIONS = ("set", "drop", "add")
ADDED = "(added)"  # the `corrected` mark of a row a correction added
TABLE = "corrections"
# derived columns: recomputed from the others, so a correction of them would not last
DERIVED = {"row_key", "corrected", "study"}


class CorrectionsError(ValueError):
    """A corrections file that cannot be read (the message names the file and the row)."""


@dataclass
class Applied:
    tables: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)


# -- reading the file ---------------------------------------------------------------------
def read_corrections(path: str | Path) -> pd.DataFrame:
    """The corrections in a .csv, .tsv or .yaml/.yml file, as a frame of COLUMNS (strings).

    YAML: a list of mappings with the same names; an `add` may give `values: {column: value}`
    instead of one entry per column."""
    path = Path(path)
    if not path.is_file():
        raise CorrectionsError(f"no corrections file at {path}")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if isinstance(data, dict):
            data = data.get("corrections", [])
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise CorrectionsError(f"{path}: expected a list of corrections (mappings)")
        rows = []
        for r in data:
            values = r.pop("values", None)
            if isinstance(values, dict):
                rows += [dict(r, action=r.get("action", "add"), column=c, value=v) for c, v in values.items()]
            else:
                rows.append(r)
        df = pd.DataFrame(rows)
    elif suffix in (".csv", ".tsv", ".txt"):
        df = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False,
                         encoding="utf-8-sig")
    else:
        raise CorrectionsError(f"{path}: corrections must be .csv, .tsv or .yaml")
    return normalize(df, str(path))


def normalize(df: pd.DataFrame, source: str = "corrections") -> pd.DataFrame:
    """Every COLUMN present, as text (blank -> None), actions checked."""
    df = df.copy()
    unknown = [c for c in df.columns if c not in COLUMNS]
    if unknown:
        raise CorrectionsError(f"{source}: unknown column(s) {', '.join(map(str, unknown))} "
                               f"(expected {', '.join(COLUMNS)})")
    for col in COLUMNS:
        if col not in df:
            df[col] = None
        df[col] = df[col].map(_text)
    df["action"] = df["action"].fillna("set").str.lower()
    for i, r in enumerate(df.to_dict("records"), start=1):
        if r["action"] not in ACTIONS:
            raise CorrectionsError(f"{source}, correction {i}: action must be one of {', '.join(ACTIONS)}")
        if not r["doc_id"] or not r["table"] or (not r["key"] and r["action"] != "add"):
            raise CorrectionsError(f"{source}, correction {i}: doc_id, table and key are required")
        if r["action"] in ("set", "add") and not r["column"]:
            raise CorrectionsError(f"{source}, correction {i}: a {r['action']} needs a column")
        if r["column"] in DERIVED:
            raise CorrectionsError(f"{source}, correction {i}: {r['column']} is derived and cannot be corrected")
    return df[COLUMNS].reset_index(drop=True)


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (list, tuple)):
        return LIST_SEP.join(map(str, v))
    if isinstance(v, bool):
        return "true" if v else "false"
    s = str(v).strip()
    return s or None


def write_corrections(df: pd.DataFrame, path: str | Path) -> Path:
    """A corrections frame to .csv (UTF-8 with BOM, for Excel) or .yaml, replaced whole
    (the reviewer's file is never left half-written)."""
    path = Path(path)
    df = normalize(df, str(path))
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        rows = [{k: v for k, v in r.items() if v is not None} for r in df.to_dict("records")]
        text = yaml.safe_dump(rows, sort_keys=False, allow_unicode=True)
        _atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    else:
        _atomic(path, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig"))
    return path


# -- applying them ------------------------------------------------------------------------
def apply_corrections(tables: dict[str, pd.DataFrame], corrections: pd.DataFrame | str | Path | None,
                      source: str | None = None) -> Applied:
    """`tables` with the corrections applied, `corrected` marks, the `corrections` table and
    the warnings. Tables that already carry an earlier `corrections` table are first put
    back as extracted (`unapply`), so applying a file twice, or a changed file, is exact;
    `corrections=None` applies those earlier ones again."""
    earlier = tables.get(TABLE)
    if corrections is None and earlier is not None and len(earlier):  # keep what the tables carry
        files = earlier["file"].dropna().unique() if "file" in earlier else []
        corrections, source = earlier[COLUMNS].astype(object), source or (files[0] if len(files) == 1 else None)
    if corrections is not None and not isinstance(corrections, pd.DataFrame):
        source = source or str(Path(corrections).absolute())  # so a later run from elsewhere finds it
        corrections = read_corrections(corrections)
    tables = add_row_keys({k: v.reset_index(drop=True) for k, v in unapply(tables).items()})
    if corrections is None:
        return Applied(tables)
    corrections = normalize(corrections, source or "corrections")
    tables = {k: _with_marks(v) if k in ROW_KEYS else v for k, v in tables.items()}
    done, warnings = [], []
    adds: dict[tuple, list[dict]] = {}
    for c in corrections.to_dict("records"):
        if c["action"] == "add":
            adds.setdefault((c["doc_id"], c["table"], c["key"]), []).append(c)
            continue
        status, old = _apply_one(tables, c)
        done.append(dict(c, status=status, old_value=old))
    for (doc_id, table, key), group in adds.items():
        status, new_key = _add_row(tables, doc_id, table, key, group)
        done += [dict(c, key=new_key, status=status, old_value=None) for c in group]
    for d in done:
        if d["status"] != "applied":
            what = f"{d['action']} {d['table']}.{d['column'] or ''} of {d['doc_id']} / {d['key']}".replace(". ", " ")
            warnings.append(f"correction not applied ({d['status']}): {what}")
    for w in warnings:
        log.warning(w)
    table = pd.DataFrame(done, columns=COLUMNS + ["status", "old_value"]).astype("string")
    table.insert(len(table.columns), "file", pd.Series([source] * len(table), dtype="string"))
    return Applied(dict(tables, **{TABLE: table}), warnings)


def _with_marks(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["corrected"] = [[] for _ in range(len(df))]
    return df


def _rows(df: pd.DataFrame, table: str, doc_id: str, key: str) -> pd.Index:
    """The rows of `doc_id` whose row_key is `key` (or whose positional id is, for a number)."""
    in_doc = df["doc_id"].astype("string") == doc_id
    hit = in_doc & (df["row_key"].astype("string") == key)
    id_col = ROW_IDS.get(table)
    if not hit.any() and id_col in df.columns and key.lstrip("-").isdigit():
        hit = in_doc & (pd.to_numeric(df[id_col], errors="coerce") == int(key))
    return df.index[hit.fillna(False)]


def _apply_one(tables: dict[str, pd.DataFrame], c: dict) -> tuple[str, str | None]:
    df = tables.get(c["table"])
    if df is None or c["table"] not in ROW_KEYS:
        return "unknown table", None
    rows = _rows(df, c["table"], c["doc_id"], c["key"])
    if not len(rows):
        return "missing", None
    if c["action"] == "drop":  # the row and where it stood, to put it back exactly
        at = int(df.index.get_loc(rows[0]))
        old = json.dumps({"at": at, "row": _jsonable_row(df.loc[rows[0]])}, ensure_ascii=False)
        tables[c["table"]] = df.drop(index=rows[:1]).reset_index(drop=True)
        return "applied", old
    col = c["column"]
    if col not in df.columns:
        return "unknown column", None
    i = rows[0]
    old = json.dumps(_jsonable(df.at[i, col]), ensure_ascii=False)
    df = df.copy()
    df.at[i, col] = _typed(c["value"], SCHEMAS.get(c["table"], {}).get(col), df[col])
    df.at[i, "corrected"] = list(df.at[i, "corrected"]) + [col]
    tables[c["table"]] = df
    return "applied", old


def _add_row(tables, doc_id: str, table: str, key: str | None, group: list[dict]) -> tuple[str, str | None]:
    df = tables.get(table)
    if df is None or table not in ROW_KEYS:
        return "unknown table", key
    schema = SCHEMAS.get(table, {})
    unknown = [c["column"] for c in group if c["column"] not in df.columns]
    if unknown:
        return "unknown column", key
    row = {c["column"]: _typed(c["value"], schema.get(c["column"]), df[c["column"]]) for c in group}
    row["doc_id"] = doc_id
    id_col = ROW_IDS.get(table)
    if id_col and id_col in df.columns and row.get(id_col) is None:
        ids = pd.to_numeric(df.loc[df["doc_id"] == doc_id, id_col], errors="coerce").dropna()
        row[id_col] = int(ids.max()) + 1 if len(ids) else 0
    new = frame(table, [row]) if table in SCHEMAS else pd.DataFrame([row])
    key = key or row_keys(new, table).iloc[0]
    if len(_rows(df, table, doc_id, key)):
        return "exists", key
    new["row_key"] = key
    new["corrected"] = [[ADDED]]
    tables[table] = pd.concat([df, new[[c for c in df.columns if c in new.columns]]], ignore_index=True)
    return "applied", key


def _typed(value: str | None, dtype: str | None, column: pd.Series):
    """A corrections-file string as the column's type ('61' -> 61.0, 'a; b' -> a list)."""
    if value is None:
        return [] if dtype == "list" else None
    if dtype == "list":
        return [v.strip() for v in value.split(";") if v.strip()]
    kind = dtype or str(column.dtype)
    if kind in ("Int64", "int64"):
        return int(float(value))
    if kind in ("Float64", "float64"):
        return float(value)
    if kind in ("boolean", "bool"):
        return value.lower() in ("true", "yes", "1")
    return value


def _jsonable(v):
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(x) for x in v]
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    return v.item() if hasattr(v, "item") else v


def _jsonable_row(row: pd.Series) -> dict:
    return {k: _jsonable(v) for k, v in row.items()}


# -- putting them back --------------------------------------------------------------------
def unapply(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables as extracted, from tables an earlier `apply_corrections` wrote: its
    `corrections` table says what each applied correction changed."""
    done = tables.get(TABLE)
    if done is None:
        return tables
    out = {k: v for k, v in tables.items() if k != TABLE}
    for c in reversed(done.astype(object).where(done.notna(), None).to_dict("records")):
        df = out.get(c["table"])
        if c["status"] != "applied" or df is None or "row_key" not in df.columns:
            continue
        if c["action"] == "add":
            hit = (df["doc_id"] == c["doc_id"]) & (df["row_key"] == c["key"])
            out[c["table"]] = df[~hit.fillna(False)].reset_index(drop=True)
        elif c["action"] == "drop":
            old = json.loads(c["old_value"])
            back = frame(c["table"], [old["row"]]) if c["table"] in SCHEMAS else pd.DataFrame([old["row"]])
            for col in ("row_key", "corrected"):
                back[col] = [old["row"].get(col)]
            back = back[[x for x in df.columns if x in back.columns]]
            out[c["table"]] = pd.concat([df.iloc[:old["at"]], back, df.iloc[old["at"]:]], ignore_index=True)
        else:
            rows = _rows(df, c["table"], c["doc_id"], c["key"])
            if len(rows):
                df = df.copy()
                df.at[rows[0], c["column"]] = json.loads(c["old_value"])
                out[c["table"]] = df
    for name, df in out.items():
        if "corrected" in df.columns:
            out[name] = _typed_frame(df.drop(columns="corrected"), name)
    return out


def _typed_frame(df: pd.DataFrame, name: str) -> pd.DataFrame:
    for col, dtype in {**SCHEMAS.get(name, {}), "row_key": "string"}.items():
        if col in df.columns and dtype != "list":
            df[col] = df[col].astype(dtype)
    return df


def summary(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Counts of the corrections table by status (for the end-of-run line)."""
    done = tables.get(TABLE)
    return {} if done is None else done["status"].value_counts().to_dict()


def previous_corrections(out_dir: str | Path | None):
    """What the last run into OUT applied, for a run not given a file: the same file
    (read again, so the reviewer's latest edits count) while it exists, else the
    corrections as recorded in OUT; None when the last run had none."""
    path = Path(out_dir) / f"{TABLE}.parquet" if out_dir is not None else None
    if path is None or not path.exists():
        return None
    done = pd.read_parquet(path)
    files = done["file"].dropna().unique() if "file" in done else []
    if len(files) == 1 and Path(files[0]).is_file():
        return str(files[0])
    return done[COLUMNS] if len(done) else None


# -- from the workbook --------------------------------------------------------------------
HARVESTED = ("cases", "treatments")  # the sheets a reviewer edits in casemine.xlsx


def harvest(workbook: str | Path, tables: dict[str, pd.DataFrame], reviewer: str | None = None) -> pd.DataFrame:
    """Corrections for the edits made in the workbook's `cases` and `treatments` sheets,
    against `tables` (the outputs the workbook was written from): a changed cell is a set,
    a deleted row a drop, a new row (blank or new row_key) an add."""
    from extract.outputs.excel import sheet_frame

    rows: list[dict] = []
    for name in HARVESTED:
        if name not in tables:
            continue
        try:
            edited = pd.read_excel(workbook, sheet_name=name[:31], dtype=object)
        except ValueError:  # the sheet was deleted or renamed
            continue
        base = sheet_frame(tables[name])
        editable = [c for c in base.columns if c in edited.columns and c not in DERIVED and c != "doc_id"
                    and not c.endswith(("_evidence", "_page"))]
        before = {(r["doc_id"], r["row_key"]): r for r in base.to_dict("records")}
        seen = set()
        for r in edited.to_dict("records"):
            doc_id, key = _cell(r.get("doc_id")), _cell(r.get("row_key"))
            if doc_id is None:
                continue
            old = before.get((doc_id, key))
            if old is None:  # a row the reviewer added
                rows += [dict(doc_id=doc_id, table=name, key=key, column=c, value=_cell(r[c]), action="add")
                         for c in editable if _cell(r[c]) is not None]
                continue
            seen.add((doc_id, key))
            rows += [dict(doc_id=doc_id, table=name, key=key, column=c, value=_cell(r[c]), action="set")
                     for c in editable if _cell(r[c]) != _cell(old[c])]
        rows += [dict(doc_id=d, table=name, key=k, action="drop") for d, k in before if (d, k) not in seen]
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["reviewer"] = reviewer
    df["note"] = "edited in the workbook"
    return normalize(df, str(workbook))


def _cell(v) -> str | None:
    """A cell as text for comparison: blanks are None, 61.0 is '61'."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return _text(v)
