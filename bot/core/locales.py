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
