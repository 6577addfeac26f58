"""Chinese and English forms of real registers, each with the OSM form it is read as;
lunar dates on known years; sun times; site closures; ``check --explain-hours``."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from sitegen.cli.main import main
from sitegen.hours.compile import compile_schedule
from sitegen.hours.lunar import lunar_to_solar, new_year_eve
from sitegen.hours.normalise import to_osm
from sitegen.hours.parse import parse_hours
from sitegen.hours.sun import PlaceSun
from tests.conftest import MakeSite

LUNAR_EVE = ",".join(  # 除夕 of 2024 … 2035
    f"{y} {m}"
    for y, m in (
        (2024, "Feb 09"),
        (2025, "Jan 28"),
        (2026, "Feb 16"),
        (2027, "Feb 05"),
        (2028, "Jan 25"),
        (2029, "Feb 12"),
        (2030, "Feb 02"),
        (2031, "Jan 22"),
        (2032, "Feb 10"),
        (2033, "Jan 30"),
        (2034, "Feb 18"),
        (2035, "Feb 07"),
    )
)


@pytest.mark.parametrize(
    ("text", "osm"),
    [
        # 每 / 每日 / 每週 prefixes
        ("每日 06:00-23:00", "Mo-Su 06:00-23:00"),
        ("每週一公休", "Mo off"),
        ("每週二及週四 14:00-17:00", "Tu,Th 14:00-17:00"),
        # 及 / 和 / 、 lists, 週六、日, ranges with 至 and a bare second day
        ("週二及週四 09:00-12:00", "Tu,Th 09:00-12:00"),
        ("週六、日 10:00-16:00", "Sa,Su 10:00-16:00"),
        ("星期一,三至六 08:00-18:00", "Mo,We-Sa 08:00-18:00"),
        ("星期一至五 08:30-17:30 星期六 09:00-12:00", "Mo-Fr 08:30-17:30; Sa 09:00-12:00"),
        (
            "週二至週六：08:30~21:00；週日、週一：09:00~17:00。",
            "Tu-Sa 08:30-21:00; Su,Mo 09:00-17:00",
        ),
        ("周一至周五 08:30-21:30", "Mo-Fr 08:30-21:30"),
        # 上午 / 下午 / 晚上 / 凌晨 12-hour forms, 時 分 半 正, Chinese numerals
        ("每日上午7時至晚上11時", "Mo-Su 07:00-23:00"),
        ("上午8時45分至下午1時正 下午2時正至下午6時正", "Mo-Su 08:45-13:00,14:00-18:00"),
        ("上午七時半至下午四時", "Mo-Su 07:30-16:00"),
        ("上午七時至凌晨十二時正", "Mo-Su 07:00-24:00"),
        ("上午6時正至凌晨2時正", "Mo-Su 06:00-02:00"),
        ("上午 7 至 9 時 下午 4 時 30 分至晚上 10 時", "Mo-Su 07:00-09:00,16:30-22:00"),
        ("下午18:00-22:00", "Mo-Su 18:00-22:00"),
        ("星期一 下午2:00-10:00", "Mo 14:00-22:00"),
        # always open
        ("全年全天开放", "24/7"),
        ("全日開放", "24/7"),
        ("二十四小時", "24/7"),
        ("24 小時", "24/7"),
        # notes in parentheses: kept as comments, or read when they are rules
        ("上午7時至晚上11時 (定期保養日除外)", 'Mo-Su 07:00-23:00 open "定期保養日除外"'),
        ("09:00-17:00（週一閉館，法定節假日除外）", "Mo-Su 09:00-17:00; Mo off; PH Mo 09:00-17:00"),
        (
            "星期一至五 上午9:00-下午5:00, 星期六 上午9:00-下午1:00 (公眾假期除外)",
            "Mo-Fr 09:00-17:00; Sa 09:00-13:00; PH off",
        ),
        ("週一至週五 09:00-17:00 “需預約”", 'Mo-Fr 09:00-17:00 open "需預約"'),
        # 法定節假日 / 公眾假期 = PH
        ("星期六、日及公眾假期 上午9時至晚上11時", "Sa,Su,PH 09:00-23:00"),
        ("法定节假日 休息", "PH off"),
        # seasons by month and day, months
        ("4月1日-10月31日 08:00-18:00", "Apr 01-Oct 31 08:00-18:00"),
        ("4月1日至10月31日 每日06:00-22:00", "Apr 01-Oct 31 Mo-Su 06:00-22:00"),
        ("7月及8月 09:00-18:00", "Jul,Aug 09:00-18:00"),
        # English prose of Hong Kong and Taiwan registers
        ("24 hours", "24/7"),
        ("24 hrs daily", "24/7"),
        ("7 am to 11 pm daily", "Mo-Su 07:00-23:00"),
        ("7:00 a.m. to 10:00 p.m.", "Mo-Su 07:00-22:00"),
        ("6:00 a.m. to Mid-night", "Mo-Su 06:00-24:00"),
        ("Mon-Fri 9am-5pm", "Mo-Fr 09:00-17:00"),
        ("Mon to Sat 11:00am to 2:00pm", "Mo-Sa 11:00-14:00"),
        ("Sat/Sun 9:00am - 6:00pm", "Sa,Su 09:00-18:00"),
        ("Mon&We 10:00-12:00", "Mo,We 10:00-12:00"),
        ("10am-12pm", "Mo-Su 10:00-12:00"),
        ("0700 - 2300 hrs", "Mo-Su 07:00-23:00"),
        ("7 a.m. to 9 a.m. 4:30 p.m. to 10 p.m.", "Mo-Su 07:00-09:00,16:30-22:00"),
        (
            "Mon - Fri 9:00am - 5:00pm, Sat 9:00am - 1:00pm (except public holidays)",
            "Mo-Fr 09:00-17:00; Sa 09:00-13:00; PH off",
        ),
        (
            "Mondays to Fridays: 0900 - 1230 hrs 1400 - 1630 hrs Saturdays: 0900 - 1230 hrs "
            "Sundays and Public Holidays: Close",
            "Mo-Fr 09:00-12:30,14:00-16:30; Sa 09:00-12:30; Su,PH off",
        ),
        (
            "7 am to 11 pm daily (except maintenance days)",
            'Mo-Su 07:00-23:00 open "except maintenance days"',
        ),
        ("<p>6:30am &ndash; 11:00pm&nbsp;daily</p>", "Mo-Su 06:30-23:00"),
    ],
)
def test_form_reads_as_osm(text: str, osm: str) -> None:
    assert to_osm(text) == osm
    assert parse_hours(text).osm == osm


@pytest.mark.parametrize(
    "text",
    [
        "Market (6:00 a.m. to 8 p.m.) Cooked Food Centre (6:00 a.m. to 2:00 a.m.)",  # two places
        "夏季期間 每年7月及8月：9時至18時",  # prose before the hours
        "開放時間依公告",
        "週一至週五 25:00-26:00",
    ],
)
def test_prose_that_is_not_understood_is_not_guessed(text: str) -> None:
    assert to_osm(text) is None


def test_lunar_new_year_eve_on_known_years() -> None:
    assert new_year_eve(2025) == date(2025, 1, 28)
    assert new_year_eve(2026) == date(2026, 2, 16)
    assert lunar_to_solar(2026, 8, 15) == date(2026, 9, 25)  # 中秋
    assert lunar_to_solar(2025, 5, 5) == date(2025, 5, 31)  # 端午


def test_lunar_closure_is_written_out_per_year() -> None:
    osm = to_osm("除夕～初四公休")
    assert osm is not None
    assert osm.startswith(
        "2024 Feb 09-2024 Feb 13,2025 Jan 28-2025 Feb 01,2026 Feb 16-2026 Feb 20,"
    )
    assert osm.endswith(' off "除夕至初四"')
    hours = parse_hours("每日 09:00-17:00（除夕～初四公休）")
    assert hours.osm.startswith("Mo-Su 09:00-17:00; 2024 Feb 09-2024 Feb 13,")
    assert hours.open_spans(date(2026, 2, 16)) == ()  # 除夕 2026
    assert hours.open_spans(date(2026, 2, 20)) == ()  # 初四
    assert hours.open_spans(date(2026, 2, 21)) == ((540, 1020),)
    assert hours.open_spans(date(2025, 1, 28)) == ()
    assert hours.describe("zh-Hans") == "每日 09:00–17:00；除夕至初四"
    assert to_osm("除夕休息") == f'{LUNAR_EVE} off "除夕"'


def test_sun_times_follow_the_place_and_the_day() -> None:
    shenzhen = PlaceSun(22.54, 114.05, "Asia/Shanghai")
    # suncalc (opening_hours.js): 2026-03-02 sunrise 06:44:35, sunset 18:27:41, dawn 06:22:04.
    assert shenzhen.minutes("sunrise", date(2026, 3, 2)) == 6 * 60 + 44
    assert shenzhen.minutes("sunset", date(2026, 3, 2)) == 18 * 60 + 27
    assert shenzhen.minutes("dawn", date(2026, 3, 2)) == 6 * 60 + 22
    assert shenzhen.minutes("sunset", date(2026, 6, 21)) > shenzhen.minutes(
        "sunset", date(2026, 3, 2)
    )
    harbin = PlaceSun(45.8, 126.6, "Asia/Shanghai")
    assert harbin.minutes("sunrise", date(2026, 6, 21)) < shenzhen.minutes(
        "sunrise", date(2026, 6, 21)
    )
    hours = parse_hours("sunrise-sunset")
    assert hours.uses_sun and not hours.week_stable
    assert hours.open_spans(date(2026, 3, 2), sun=shenzhen) == ((404, 1107),)
    assert hours.open_spans(date(2026, 3, 2)) == ((360, 1080),)  # no place: 06:00 and 18:00


def test_closure_days_close_whatever_the_hours() -> None:
    start = date(2026, 10, 1)
    closed = frozenset({date(2026, 10, 2)})
    days = compile_schedule("24/7", start, 3, closed=closed)
    assert days == (((0, 1440),), (), ((0, 1440),))


SEASONAL_SITE = {
    "content/categories/fruit.yaml": (
        "id: fruit\nname: {zh-Hans: 水果摊, en: Fruit stall}\ncolor: '#2e7d32'\n"
        "fields:\n  opening_hours: {type: hours, required: true}\n"
    ),
    "content/facilities/fruit/a.yaml": (
        "id: fruit-a\ncategory: fruit\nname: 荔枝摊\nlocation: [114.06, 22.55]\n"
        'opening_hours: "6月15日-10月15日 每日08:00-18:00"\n'
    ),
    "content/facilities/fruit/b.yaml": (
        "id: fruit-b\ncategory: fruit\nname: 龙眼摊\nlocation: [114.07, 22.56]\n"
        'opening_hours: "Jun 15-Oct 15 08:00-18:00"\n'
    ),
}


def test_check_explain_hours_shows_the_osm_form(make_site: MakeSite) -> None:
    project = make_site(SEASONAL_SITE)
    result = CliRunner().invoke(main, ["check", "-C", str(project), "--explain-hours"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "toilet" not in line]
    assert lines[0].endswith(
        'hours "6月15日-10月15日 每日08:00-18:00" read as "Jun 15-Oct 15 Mo-Su 08:00-18:00": '
        "Jun 15–Oct 15: Daily 08:00–18:00 (1 card)"
    )
    assert "content/facilities/fruit/a.yaml:1:1: " in lines[0]
    assert lines[1].endswith(
        'hours "Jun 15-Oct 15 08:00-18:00" read as written: Jun 15–Oct 15: 08:00–18:00 (1 card)'
    )
    assert lines[-1] == "No problems found."


def test_week_before_and_after_a_season() -> None:
    hours = parse_hours("Jun 15-Oct 15 08:00-18:00")
    inside = [hours.open_spans(date(2026, 6, 15) + timedelta(days=i)) for i in range(7)]
    assert inside == [((480, 1080),)] * 7
    assert hours.open_spans(date(2026, 6, 14)) == ()
    assert hours.open_spans(date(2026, 10, 16)) == ()


CLOSURES = """\
closures:
  - {from: 2026-10-02, to: 2026-10-03, name: {zh-Hans: 检修}, categories: [fruit]}
  - {from: 2026-10-05}
"""
SUN_CARDS = (
    "- {id: sun-a, category: fruit, name: 日落摊甲, location: [114.01, 22.51], "
    "opening_hours: sunrise-sunset}\n"
    "- {id: sun-b, category: fruit, name: 日落摊乙, location: [114.02, 22.52], "
    "opening_hours: sunrise-sunset}\n"
    "- {id: sun-c, category: fruit, name: 日落摊丙, location: [113.81, 22.61], "
    "opening_hours: sunrise-sunset}\n"
)


def test_closures_and_sun_cells_in_the_model(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitegen.build.stages import load_site
    from tests.conftest import SITE_YAML

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790784000")  # 2026-10-01 in Shanghai
    files = {
        **SEASONAL_SITE,
        "content/site.yaml": SITE_YAML + CLOSURES,
        "content/facilities/fruit/b.yaml": (
            "id: fruit-b\ncategory: fruit\nname: 龙眼摊\nlocation: [114.07, 22.56]\n"
            'opening_hours: "24/7"\n'
        ),
        "content/facilities/fruit/sun.yaml": SUN_CARDS,
    }
    site, _ = load_site(make_site(files))
    assert site.today == date(2026, 10, 1)
    fruit, toilet = site.facilities["fruit-b"], site.facilities["futian-0001"]
    assert fruit.schedule is not None and toilet.schedule is not None
    days = [site.schedules.spans_on(fruit.schedule, date(2026, 10, d)) for d in range(1, 7)]
    assert days == [((0, 1440),), (), (), ((0, 1440),), (), ((0, 1440),)]
    toilet_days = [site.schedules.spans_on(toilet.schedule, date(2026, 10, d)) for d in (2, 5)]
    assert toilet_days == [((360, 1380),), ()]  # only the closure for every category
    a, b, c = (site.facilities[f"sun-{x}"].schedule for x in "abc")
    assert a == b != c  # one 0.1° square shares a schedule; 20 km west is another


def test_closure_that_ends_before_it_starts(make_site: MakeSite) -> None:
    from tests.conftest import SITE_YAML

    bad = SITE_YAML + "closures:\n  - {from: 2026-10-05, to: 2026-10-01}\n"
    project = make_site({"content/site.yaml": bad})
    result = CliRunner().invoke(main, ["check", "-C", str(project)])
    assert result.exit_code == 1
    assert (
        "content/site.yaml:21:28: closures.to: 2026-10-01 is before closures.from" in result.output
    )
