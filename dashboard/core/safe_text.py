"""Show text typed by users (register fields, file names, editor names) as plain text.

``plain(text)`` returns a string that ``st.markdown``/``st.write``/``st.caption`` display exactly
as typed: HTML is escaped (``<script>`` shows as text, never runs), Markdown punctuation is
backslash-escaped (``**x**``, ``[link](javascript:...)``, ``# heading`` do nothing), Streamlit's
own ``$maths$``, ``:emoji:``/``:red[colour]`` directives are defused, and a leading indent cannot
start a code block. Newlines are kept as line breaks.

Prefer widgets that never interpret text (``st.text``, ``st.dataframe``, ``st.code``) where they
fit; use ``plain`` whenever user text goes through a Markdown-rendering call. No Streamlit import.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Every ASCII punctuation character CommonMark lets us escape that means something to Markdown,
# GitHub-flavoured Markdown or Streamlit (tables |, strike ~, maths $, directives :).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:=^])")
# Bidirectional overrides and other invisible format characters ("Trojan source" tricks).
_INVISIBLE = {"Cf"}


def _strip_invisible(text: str) -> str:
    return "".join(
        ch
        for ch in text
        if ch in "\n\t" or (unicodedata.category(ch) not in _INVISIBLE and unicodedata.category(ch) != "Cc")
    )


def plain(text: Any) -> str:
    """``text`` escaped for Markdown and HTML so it shows literally; None becomes ""."""
    if text is None:
        return ""
    if isinstance(text, float) and text != text:  # NaN: missing
        return ""
    value = str(text)
    value = _strip_invisible(value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    lines = [line.strip() for line in value.split("\n")]
    return "  \n".join(lines)


def plain_inline(text: Any) -> str:
    """Like ``plain`` but on one line (newlines become spaces): for captions, labels, table cells."""
    return plain(" ".join(str(text).split()) if text is not None else None)
