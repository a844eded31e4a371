"""Which plots change, and into what: the "after" of the indicator card.

By default every plot becomes what it is recommended for (:func:`planner.score`). A selection
file — the output of ``planner select`` or ``planner allocate``, or any table with a
``plot_id`` column — names the chosen plots instead: rows whose ``selected`` column is false
are left out, and a ``use`` column (``allocated_use``, ``use``, ``selected_use``, ``用途``) says
what each becomes; where it does not, the ``use`` argument (``--selected-use``) or else the
plot's recommended use does.
"""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.errors import ConfigError, InputFileError, UnreadableFileError
from planner.messages import Msg

#: Columns naming the plot, in order of preference (as for the plots layer).
ID_COLUMNS = ("plot_id", "id", "编号")
#: Columns saying whether a row is chosen (``planner select`` writes ``selected``).
FLAG_COLUMNS = ("selected", "选中")
#: Columns saying what a chosen plot becomes (``planner allocate`` writes ``allocated_use``).
USE_COLUMNS = ("allocated_use", "use", "selected_use", "用途")
#: Words accepted for each use in a selection file (lower case).
USE_WORDS: dict[str, tuple[str, ...]] = {
    "pocket_park": ("pocket_park", "park", "口袋公园", "公园", "绿地"),
    "parking": ("parking", "car_park", "停车场", "停车"),
    "none": ("none", "无", "不改造"),
}
_TRUE = {"true", "1", "1.0", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "0.0", "no", "n", "否", "f", ""}
#: Ids listed in an error message at most.
MAX_IDS_SHOWN = 5


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    lower = {str(c).strip().lower(): c for c in columns}
    return next((lower[n] for n in names if n in lower), None)


def _read_any(path: Path) -> pd.DataFrame:
    """The table of ``path``: CSV, Excel (first sheet), or any GIS format (attributes)."""
    from planner.io.encoding import decide_text_encoding

    ext = path.suffix.lower()
    if ext == ".csv":
        data = path.read_bytes()
        enc = decide_text_encoding(data, source=str(path)).encoding
        return pd.read_csv(io.StringIO(data.decode(enc)), dtype=str, keep_default_na=False)
    if ext == ".xlsx":
        return pd.read_excel(path, dtype=object, engine="openpyxl")
    import pyogrio

    return pd.DataFrame(pyogrio.read_dataframe(path, read_geometry=False))


def _as_text(values: pd.Series) -> pd.Series:
    """Ids as text: whole numbers read as floats (Excel) lose their ``.0``."""

    def one(v: object) -> str:
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()

    return values.astype(object).map(one)


def read_selection(path: str | Path) -> pd.DataFrame:
    """The chosen plots of a selection file: ``plot_id`` and ``use`` (``<NA>`` where unsaid).

    Raises
    ------
    InputFileError
        Missing or unreadable file, no plot id column, a ``selected`` or ``use`` value that
        is not understood.
    """
    path = Path(path)
    if not path.exists():
        raise UnreadableFileError(path, Msg("indicators.selection_missing"))
    try:
        table = _read_any(path)
    except InputFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas, openpyxl and GDAL raise many kinds
        raise UnreadableFileError(
            path, Msg("indicators.not_a_table", detail=f"{type(exc).__name__}: {exc}")
        ) from None
    columns = [str(c) for c in table.columns]
    table.columns = columns
    id_col = _find(columns, ID_COLUMNS)
    if id_col is None:
        raise InputFileError(path, Msg("indicators.no_id_column", cn_name="编号"))
    keep = np.ones(len(table), dtype=bool)
    flag_col = _find(columns, FLAG_COLUMNS)
    if flag_col is not None:
        flag = _as_text(table[flag_col]).str.lower()
        bad = ~flag.isin(_TRUE | _FALSE)
        if bad.any():
            raise InputFileError(
                path, Msg("indicators.flag_not_bool", column=flag_col, value=flag[bad].iloc[0])
            )
        keep = flag.isin(_TRUE).to_numpy()
    use = pd.Series(pd.NA, index=table.index, dtype="string")
    use_col = _find(columns, USE_COLUMNS)
    if use_col is not None:
        use = _uses(_as_text(table[use_col]), path, use_col)
    out = pd.DataFrame({"plot_id": _as_text(table[id_col]).to_numpy(), "use": use.to_numpy()})[keep]
    return out[out["plot_id"] != ""].reset_index(drop=True)


def _uses(text: pd.Series, path: Path, column: str) -> pd.Series:
    """Use words mapped onto ``pocket_park``/``parking``/``none``; blank -> ``<NA>``."""
    low = text.str.strip().str.lower()
    out = pd.Series(pd.NA, index=text.index, dtype="string")
    for use, words in USE_WORDS.items():
        out = out.mask(low.isin(words), use)
    bad = out.isna() & (low != "")
    if bad.any():
        raise InputFileError(
            path, Msg("indicators.not_a_use", column=column, value=text[bad].iloc[0])
        )
    return out


def conversions(
    scored: gpd.GeoDataFrame,
    selection: pd.DataFrame | None = None,
    *,
    use: str | None = None,
    source: str = "selection",
) -> gpd.GeoDataFrame:
    """The plots that change and what they become, with their area and new stalls.

    Parameters
    ----------
    scored : GeoDataFrame
        Output of :func:`planner.score` (``plot_id``, ``recommended_use``,
        ``est_parking_spaces``).
    selection : DataFrame, optional
        :func:`read_selection`; every plot's recommended use when omitted.
    use : {"pocket_park", "parking"}, optional
        What chosen plots whose row names no use become (default: their recommended use).
    source : str
        Named in error messages (the selection file).

    Returns
    -------
    GeoDataFrame
        ``plot_id``, ``name``, ``use`` (``pocket_park`` or ``parking``), ``area_m2``,
        ``new_stalls`` (the layout's stalls for parking, else 0), geometry.

    Raises
    ------
    ConfigError
        Ids not among the plots, or chosen plots with no use to become.
    """
    ids = scored["plot_id"].astype(str)
    rec = scored["recommended_use"].astype(str)
    if selection is None:
        chosen = pd.Series(rec.to_numpy(), index=ids.to_numpy())
    else:
        unknown = ~selection["plot_id"].isin(set(ids))
        if unknown.any():
            raise ConfigError(
                Msg(
                    "indicators.unknown_ids",
                    source=source,
                    ids=_ids(selection.loc[unknown, "plot_id"]),
                )
            )
        given = selection.drop_duplicates("plot_id", keep="last").set_index("plot_id")["use"]
        unsaid = given.isna().to_numpy()
        fallback = (
            pd.Series(use, index=given.index)
            if use
            else pd.Series(rec.to_numpy(), index=ids.to_numpy()).reindex(given.index)
        )
        chosen = pd.Series(
            np.where(unsaid, fallback.astype(object), given.astype(object)), index=given.index
        )
        idle = unsaid & (chosen == "none").to_numpy()
        if idle.any():
            raise ConfigError(
                Msg("indicators.chosen_without_use", source=source, ids=_ids(chosen.index[idle]))
            )
    keep = ids.isin(chosen.index[chosen.isin(["pocket_park", "parking"])]).to_numpy()
    rows = scored.loc[keep]
    what = chosen.reindex(rows["plot_id"].astype(str)).to_numpy()
    stalls = np.where(what == "parking", rows["est_parking_spaces"].to_numpy(dtype=float), 0.0)
    return gpd.GeoDataFrame(
        {
            "plot_id": rows["plot_id"].astype(str).to_numpy(),
            "name": (
                rows["name"].astype("string").to_numpy()
                if "name" in rows
                else pd.array([pd.NA] * len(rows), dtype="string")
            ),
            "use": what.astype(object),
            "area_m2": rows.geometry.area.to_numpy(),
            "new_stalls": stalls,
        },
        geometry=rows.geometry.to_numpy(),
        crs=scored.crs,
    )


def _ids(values: object) -> str:
    vals = [str(v) for v in values]
    more = f" and {len(vals) - MAX_IDS_SHOWN} more" if len(vals) > MAX_IDS_SHOWN else ""
    return ", ".join(vals[:MAX_IDS_SHOWN]) + more
