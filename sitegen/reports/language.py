"""Choosing the language of an answer: the ``locale`` parameter, else ``Accept-Language``."""

from __future__ import annotations

# Region subtags that mean Traditional script when a browser sends no script subtag.
_TRADITIONAL_REGIONS = {"tw", "hk", "mo"}

# The few sentences the service itself says, in every locale a site may have.
MESSAGES: dict[str, dict[str, str]] = {
    "notice": {
        "zh-Hans": "感谢您的反映。请保存案件编号，以便查询处理进度。",
        "zh-Hant": "感謝您的反映。請保存案件編號，以便查詢處理進度。",
        "en": "Thank you. Keep the ticket number to look up the progress of your report.",
    },
    "string": {
        "zh-Hans": "一行文字",
        "zh-Hant": "一行文字",
        "en": "A line of text",
    },
    "text": {
        "zh-Hans": "文字，可多行",
        "zh-Hant": "文字，可多行",
        "en": "Text, may span several lines",
    },
    "number": {
        "zh-Hans": "数字",
        "zh-Hant": "數字",
        "en": "A number",
    },
    "datetime": {
        "zh-Hans": "日期时间，例如 2026-11-05T08:15:30+08:00",
        "zh-Hant": "日期時間，例如 2026-11-05T08:15:30+08:00",
        "en": "A date and time such as 2026-11-05T08:15:30+08:00",
    },
    "singlevaluelist": {
        "zh-Hans": "从列表中选择一项",
        "zh-Hant": "從列表中選擇一項",
        "en": "Choose one of the values",
    },
    "multivaluelist": {
        "zh-Hans": "从列表中选择一项或多项",
        "zh-Hant": "從列表中選擇一項或多項",
        "en": "Choose one or more of the values",
    },
}


def message(key: str, locale: str) -> str:
    """A sentence of the service in ``locale`` (English when that locale has none)."""
    texts = MESSAGES[key]
    return texts.get(locale) or texts["en"]


def _match(tag: str, locales: tuple[str, ...]) -> str | None:
    parts = tag.strip().lower().replace("_", "-").split("-")
    if not parts or not parts[0]:
        return None
    by_lower = {loc.lower(): loc for loc in locales}
    if "-".join(parts) in by_lower:
        return by_lower["-".join(parts)]
    if parts[0] == "zh":
        rest = set(parts[1:])
        script = (
            "zh-hant"
            if "hant" in rest or rest & _TRADITIONAL_REGIONS
            else "zh-hans"
            if rest
            else ""
        )
        if script and script in by_lower:
            return by_lower[script]
        chinese = [loc for loc in locales if loc.lower().startswith("zh")]
        return chinese[0] if chinese else None
    return next((loc for loc in locales if loc.lower().split("-")[0] == parts[0]), None)


def negotiate(
    requested: str | None, accept_language: str | None, locales: tuple[str, ...], default: str
) -> str:
    """The best of the site's ``locales`` for a request; ``default`` when nothing matches."""
    if requested:
        found = _match(requested, locales)
        if found:
            return found
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if tag.strip() and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    for _, _, tag in sorted(ranked):
        found = _match(tag, locales)
        if found:
            return found
    return default
