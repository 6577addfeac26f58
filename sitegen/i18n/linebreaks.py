"""Line breaks inside Chinese text: a soft break between two Chinese characters is no space.

Markdown and YAML block text keep the writer's line breaks as soft breaks, which browsers
show as a space. Between Latin words that is right; between Han characters or Chinese
punctuation it puts a stray space into the sentence ("評鑑等級， 特優級"). CSS Text 3 asks
browsers to drop such breaks, but none does yet, so the build joins them.
"""

from __future__ import annotations

import re

# Han (with the extension blocks), CJK punctuation, full-width forms and the ideographic space.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
_SOFT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")
# In HTML the characters may sit in inline elements: "等級，\n<strong>特優級</strong>".
_TAGS = r"(?:<[^<>]+>)*"
_SOFT_BREAK_HTML = re.compile(rf"([{_CJK}]{_TAGS})[ \t]*\n[ \t]*({_TAGS}[{_CJK}])")
_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.S)


def join_cjk_lines(text: str) -> str:
    """Plain text with the soft breaks between Chinese characters removed."""
    return _SOFT_BREAK.sub("", text)


def join_cjk_lines_html(html: str) -> str:
    """The same for HTML made from Markdown, leaving preformatted blocks as they are."""
    parts = _PRE.split(html)
    return "".join(
        part if i % 2 else _SOFT_BREAK_HTML.sub(r"\1\2", part) for i, part in enumerate(parts)
    )
