"""The Korean font of figures and pages: NanumGothic, bundled in the `koreanize-matplotlib` wheel (a core dependency,
so `pip install` brings it; nothing to install by hand).

The wheel's own import changes matplotlib's global settings (and needs `distutils`), so it is never imported: only its
font files are located. Figures register the TTFs with matplotlib's font manager; HTML pages embed a subset of the TTF
(only the characters the page uses) as an @font-face data URL, so the page renders Korean in any browser without
system fonts.
"""
from __future__ import annotations

import base64
import functools
import importlib.util
import io
from pathlib import Path

from re300.errors import Re300Error

FONT_FAMILY = "NanumGothic"
_FILES = {"regular": "NanumGothic.ttf", "bold": "NanumGothicBold.ttf"}


class FontError(Re300Error):
    """The Korean font is missing (the package that bundles it is not installed)."""


@functools.lru_cache(maxsize=None)
def font_dir() -> Path:
    """Folder of the NanumGothic TTFs inside the installed koreanize-matplotlib package (not imported)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FontError("the Korean font package 'koreanize-matplotlib' is not installed (expected it as a core "
                        "dependency of re300: run `make install` or `pip install -e .`)")
    folder = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    missing = [name for name in _FILES.values() if not (folder / name).is_file()]
    if missing:
        raise FontError(f"{folder}: font file(s) {', '.join(missing)} missing (expected NanumGothic TTFs from "
                        "koreanize-matplotlib)")
    return folder


def font_path(weight: str = "regular") -> Path:
    return font_dir() / _FILES[weight]


@functools.lru_cache(maxsize=None)
def register_matplotlib_fonts() -> str:
    """Add NanumGothic (regular, bold) to matplotlib's font manager once; returns the family name."""
    from matplotlib import font_manager

    for weight in _FILES:
        font_manager.fontManager.addfont(str(font_path(weight)))
    return FONT_FAMILY


def subset_font_data_url(text: str, weight: str = "regular") -> str:
    """A `data:font/ttf;base64,...` URL of NanumGothic reduced to the characters of `text` (plus ASCII)."""
    from fontTools import subset

    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)}
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # VTT hinting sources, useless in a page
    font = subset.load_font(str(font_path(weight)), options)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return "data:font/ttf;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def font_face_css(text: str) -> str:
    """@font-face rules (regular and bold) embedding the subset font for a page whose text is `text`."""
    rules = []
    for weight, css_weight in (("regular", 400), ("bold", 700)):
        rules.append(
            f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {css_weight}; font-style: normal; "
            f"src: url({subset_font_data_url(text, weight)}) format('truetype'); }}"
        )
    return "\n".join(rules)
