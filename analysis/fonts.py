"""Fonts that draw every script of the report languages, found on this machine.

Charts (matplotlib) and the PDF (ReportLab) need a font with real glyphs
for Arabic script (Arabic, Farsi, Urdu), Han (Simplified Chinese), Gurmukhi
(Punjabi), Ethiopic (Tigrinya), Cyrillic and Latin. Fonts are found through
fontconfig (``fc-list :lang=xx``) and matplotlib's font list, preferring the
families below, and a font counts only if its character map really holds a
sample of the script (checked with fontTools). ReportLab embeds TrueType
(``glyf``) outlines only, so the PDF asks for ``truetype_only`` (Noto CJK is
CFF; WenQuanYi Micro Hei is TrueType). When nothing covers a script the
caller falls back to DejaVu Sans and logs a warning: a report is always made.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

SCRIPT_OF_LANGUAGE = {
    "ar": "arabic",
    "fa": "arabic",
    "ur": "arabic",
    "zh-Hans": "han",
    "pa": "gurmukhi",
    "ti": "ethiopic",
    "uk": "cyrillic",
}
"""The script of each report language that is not written in Latin letters."""

SCRIPT_SAMPLES = {
    "latin": "AaZzÉéÀàÑñŞş",
    "cyrillic": "АаЯяЇїЄєҐґ",
    "arabic": "ابتجحخسعفقكلمنهوي" + "پچژگکی" + "ٹڈڑںےہھ",
    "han": "就业住房健康教育语言交通歧视",
    "gurmukhi": "ਰੁਜ਼ਗਾਰਸਿਹਤਪੰਜਾਬੀ",
    "ethiopic": "ስራሕቤትትምህርቲጥዕና",
}
"""Characters a font must hold to count as drawing a script (Farsi and Urdu letters too)."""

PREFERRED_FAMILIES = {
    "latin": ("DejaVu Sans",),
    "cyrillic": ("DejaVu Sans",),
    "arabic": ("Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans"),
    "han": (
        "WenQuanYi Micro Hei",
        "WenQuanYi Zen Hei",
        "AR PL UMing CN",
        "AR PL UKai CN",
        "Noto Sans CJK SC",
    ),
    "gurmukhi": ("Noto Sans Gurmukhi", "Lohit Gurmukhi", "Noto Serif Gurmukhi"),
    "ethiopic": ("Noto Sans Ethiopic", "Abyssinica SIL", "Noto Serif Ethiopic"),
}

_FONTCONFIG_LANG = {
    "latin": "en",
    "cyrillic": "uk",
    "arabic": "ur",
    "han": "zh-cn",
    "gurmukhi": "pa",
    "ethiopic": "ti",
}

BASE_FAMILY = "DejaVu Sans"
"""Shipped with matplotlib, so always there: Latin, Cyrillic, and the fallback."""


@dataclass(frozen=True)
class FontFile:
    """One face of a font file: its family, path and index in a collection."""

    family: str
    path: str
    index: int = 0

    @property
    def truetype(self) -> bool:
        """Whether it has TrueType (``glyf``) outlines, which ReportLab can embed."""
        return _is_truetype(self.path, self.index)


def script_of(language: str) -> str:
    """The script a report language is written in (``latin`` unless listed)."""
    return SCRIPT_OF_LANGUAGE.get(language, "latin")


def base_font() -> FontFile:
    """DejaVu Sans as shipped with matplotlib."""
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return FontFile(BASE_FAMILY, str(path))


@lru_cache(maxsize=32)
def font_for_script(script: str, truetype_only: bool = False) -> FontFile | None:
    """The preferred installed font whose glyphs cover ``script``, or None."""
    sample = SCRIPT_SAMPLES[script]
    for candidate in _candidates(script):
        if truetype_only and not candidate.truetype:
            continue
        if covers(candidate, sample):
            return candidate
    return None


def font_for_language(language: str, truetype_only: bool = False) -> FontFile:
    """The font for ``language``'s script; DejaVu Sans (with a warning) when none is found."""
    script = script_of(language)
    found = font_for_script(script, truetype_only)
    if found is None:
        _warn_missing(script, language)
        return base_font()
    return found


@lru_cache(maxsize=32)
def _warn_missing(script: str, language: str) -> None:
    log.warning(
        "No installed font draws %s script (report language %s); falling back to %s, whose "
        "glyphs may show as boxes. Install Debian's fonts-noto-core and fonts-wqy-microhei.",
        script,
        language,
        BASE_FAMILY,
    )


def missing_scripts(languages: tuple[str, ...], truetype_only: bool = False) -> list[str]:
    """Scripts of ``languages`` that no installed font covers."""
    scripts = sorted({script_of(code) for code in languages})
    return [s for s in scripts if font_for_script(s, truetype_only) is None]


def fallback_chain(language: str, truetype_only: bool = False) -> tuple[FontFile, ...]:
    """Fonts to try in order for text in ``language``: its script, DejaVu Sans, other scripts.

    The other scripts' fonts draw what the first two cannot (an approved quote
    in Arabic inside an English report, a label left in another script).
    """
    chain = [font_for_language(language, truetype_only), base_font()]
    for script in SCRIPT_SAMPLES:
        found = font_for_script(script, truetype_only)
        if found is not None:
            chain.append(found)
    unique: dict[tuple[str, int], FontFile] = {}
    for font in chain:
        unique.setdefault((font.path, font.index), font)
    return tuple(unique.values())


def covers(font: FontFile, text: str) -> bool:
    """Whether ``font`` has a glyph for every non-space character of ``text``."""
    cmap = character_map(font)
    return all(ord(ch) in cmap for ch in text if not ch.isspace())


@lru_cache(maxsize=64)
def character_map(font: FontFile) -> frozenset[int]:
    """The code points ``font`` maps to glyphs (empty if it cannot be read)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(font.path, fontNumber=font.index, lazy=True) as loaded:
            return frozenset(loaded.getBestCmap() or {})
    except Exception as error:  # noqa: BLE001  (a broken font file is skipped, never fatal)
        log.warning("cannot read font %s: %s", font.path, error)
        return frozenset()


def _candidates(script: str) -> list[FontFile]:
    """Installed fonts that may draw ``script``, preferred families first."""
    preferred = PREFERRED_FAMILIES[script]
    shipped = [base_font()] if BASE_FAMILY in preferred else []
    found: dict[tuple[str, int], FontFile] = {}
    for font in (
        *shipped,
        *_fontconfig_fonts(_FONTCONFIG_LANG[script]),
        *_matplotlib_fonts(preferred),
    ):
        found.setdefault((font.path, font.index), font)

    def rank(font: FontFile) -> int:
        family = font.family.casefold()
        names = [name.casefold() for name in preferred]
        return names.index(family) if family in names else len(names)

    return sorted(found.values(), key=rank)  # stable: fontconfig's order within a rank


def _fontconfig_fonts(fc_lang: str) -> list[FontFile]:
    """Fonts fontconfig says support ``fc_lang`` (none if fontconfig is not installed)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listing = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
            [
                fc_list,
                f":lang={fc_lang}:slant=0:weight=80",
                "--format=%{file}|%{index}|%{family[0]}|%{fontformat}\n",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in listing.splitlines():
        parts = line.split("|")
        if len(parts) == 4 and parts[1].isdigit():
            fonts.append(FontFile(parts[2], parts[0], int(parts[1])))
    return fonts


def _matplotlib_fonts(families: tuple[str, ...]) -> list[FontFile]:
    """Fonts of ``families`` in matplotlib's font list (where fontconfig is missing)."""
    from matplotlib import font_manager

    wanted = {name.casefold() for name in families}
    return [
        FontFile(entry.name, entry.fname)
        for entry in font_manager.fontManager.ttflist
        if entry.name.casefold() in wanted
        and entry.style == "normal"
        and entry.weight in (400, "normal")
    ]


@lru_cache(maxsize=256)
def _is_truetype(path: str, index: int) -> bool:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as loaded:
            return "glyf" in loaded
    except Exception:  # noqa: BLE001  (unreadable: not usable by ReportLab)
        return False


def chart_families(language: str) -> tuple[str, ...]:
    """matplotlib family names for ``language``'s charts, in fallback order.

    matplotlib (3.11+) shapes text with libraqm (Arabic joining, Gurmukhi vowel
    signs, right-to-left runs) and takes each glyph from the first family that
    has it. Fonts installed after matplotlib built its font cache are added.
    """
    names: list[str] = []
    for font in fallback_chain(language):
        name = _matplotlib_name(font.path)
        if name and name not in names:
            names.append(name)
    return tuple(names)


@lru_cache(maxsize=64)
def _matplotlib_name(path: str) -> str | None:
    from matplotlib import font_manager

    manager = font_manager.fontManager
    for entry in manager.ttflist:
        if entry.fname == path:
            return entry.name
    try:
        manager.addfont(path)
    except (OSError, RuntimeError, ValueError) as error:
        log.warning("matplotlib cannot use font %s: %s", path, error)
        return None
    return next((e.name for e in manager.ttflist if e.fname == path), None)
