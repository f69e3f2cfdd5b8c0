"""The three reply locales, named once: Babel's identifiers, English first (the default).

>>> LOCALES
('en', 'zh_Hant_HK', 'zh_Hans_CN')
"""

from __future__ import annotations

EN = "en"
ZH_HANT_HK = "zh_Hant_HK"
ZH_HANS_CN = "zh_Hans_CN"
LOCALES = (EN, ZH_HANT_HK, ZH_HANS_CN)
CHINESE_LOCALES = (ZH_HANT_HK, ZH_HANS_CN)
# Each locale in its own words, as the language menu and the staff's ticket card show it.
LANGUAGE_NAMES = {EN: "English", ZH_HANT_HK: "繁體中文", ZH_HANS_CN: "简体中文"}
