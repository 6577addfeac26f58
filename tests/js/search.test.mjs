// Tests of the front-end search (themes/default/static/js/search.js): `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { SCORE, createSearch } from "../../themes/default/static/js/search.js";

// fold_map() of sitegen.i18n.search_keys over these texts and the phrases 公厕/公廁, 臺北/台北, 飲水機 and
// 行人專用清潔箱 in both scripts (json.dumps(..., ensure_ascii=False, sort_keys=True)).
const FOLD = {
  "匯": "汇", "區": "区", "園": "园", "學": "学", "專": "专", "廁": "厕", "廟": "庙", "慶": "庆", "機": "机",
  "潔": "洁", "紅": "红", "義": "义", "臺": "台", "與": "与", "華": "华", "蓮": "莲", "處": "处", "號": "号",
  "車": "车", "輔": "辅", "門": "门", "飲": "饮",
};

// Text files as the build writes them; "py" is pinyin_syllables() of each name.
const TOILET = {
  name: [
    "深南大道公厕",
    "南山大道公厕",
    "深圳大学南门",
    "车公庙公厕",
    "福田深南大道口公厕",
    "莲花山公园南门公厕",
    "士林官邸公廁",
    "公廁2號",
    "臺北車站公廁",
    "Songshan Airport Toilet",
    "行人專用清潔箱",
  ],
  addr: [
    "深圳市福田区深南大道6008号",
    "深圳市南山区南山大道与深南大道交汇处",
    "深圳市南山区南海大道3688号",
    "深圳市福田区深南大道7002号",
    "深圳市福田区福华路",
    "深圳市福田区红荔路6030号",
    "臺北市士林區福林路60號",
    "臺北市中正區重慶南路一段2號",
    "臺北市中正區北平西路3號",
    "No. 340-9, Dunhua N. Rd., Songshan Dist., Taipei",
    null,
  ],
  py: [
    "shen nan da dao gong ce",
    "nan shan da dao gong ce",
    "shen zhen da xue nan men",
    "che gong miao gong ce",
    "fu tian shen nan da dao kou gong ce",
    "lian hua shan gong yuan nan men gong ce",
    "shi lin guan di gong ce",
    "gong ce 2 hao",
    "tai bei che zhan gong ce",
    "songshan airport toilet",
    "xing ren zhuan yong qing jie xiang",
  ],
};
const WATER = {
  name: ["深南大道辅道饮水机", "台北市政府飲水機", "大安森林公園飲水機"],
  addr: ["深圳市福田区深南大道辅道", "臺北市信義區市府路1號", "臺北市大安區新生南路二段1號"],
  py: [
    "shen nan da dao fu dao yin shui ji",
    "tai bei shi zheng fu yin shui ji",
    "da an sen lin gong yuan yin shui ji",
  ],
};

const engine = createSearch({
  fold: FOLD,
  categories: [
    { id: "toilet", text: TOILET },
    { id: "water", text: WATER },
  ],
});
const names = (query, options) => engine.search(query, options).map((hit) => hit.name);

describe("Chinese queries", () => {
  it("finds either script with either script", () => {
    const simplified = names("公厕", { limit: 100 });
    assert.deepEqual(names("公廁", { limit: 100 }), simplified);
    assert.ok(simplified.includes("公廁2號") && simplified.includes("深南大道公厕"));
    assert.ok(simplified.includes("士林官邸公廁") && simplified.includes("臺北車站公廁"));

    assert.deepEqual(names("台北"), names("臺北"));
    assert.deepEqual(names("台北").slice(0, 2), ["臺北車站公廁", "台北市政府飲水機"]);
    assert.deepEqual(names("饮水机"), names("飲水機"));
    assert.deepEqual(names("行人专用清洁箱"), ["行人專用清潔箱"]);
  });

  it("ranks the exact phrase first and never matches scattered characters", () => {
    const hits = engine.search("深南大道");
    assert.deepEqual(
      hits.map((hit) => [hit.name, hit.field]),
      [
        ["深南大道公厕", "name"], // name prefix, shorter name first
        ["深南大道辅道饮水机", "name"],
        ["福田深南大道口公厕", "name"], // inside the name
        ["车公庙公厕", "addr"], // only the address has it
        ["南山大道公厕", "addr"],
      ],
    );
    assert.equal(hits[0].score, SCORE.NAME_PREFIX);
    // 深圳大学南门 has 深, 南 and 大 in its name but not 深南大道 (nor 道 at all).
    assert.deepEqual(names("深道"), []);
    // Inner matches only: shorter names first, then toilets (listed first) before water.
    assert.deepEqual(names("南大"), [
      "深南大道公厕",
      "福田深南大道口公厕",
      "深南大道辅道饮水机",
      "车公庙公厕",
      "南山大道公厕",
    ]);
  });

  it("prefers a prefix to an inner match, and the name to the address", () => {
    assert.deepEqual(names("南门"), ["深圳大学南门", "莲花山公园南门公厕"]);
    const hits = engine.search("南山");
    assert.deepEqual(hits[0], {
      category: "toilet",
      index: 1,
      name: "南山大道公厕",
      addr: "深圳市南山区南山大道与深南大道交汇处",
      score: SCORE.NAME_PREFIX,
      field: "name",
    });
    assert.ok(hits.slice(1).every((hit) => hit.field === "addr"));
  });

  it("matches digits and mixed queries after NFKC", () => {
    for (const query of ["2號", "2号", "２號", "公厕2号"]) {
      assert.equal(names(query)[0], "公廁2號", query);
    }
    assert.deepEqual(names("6008"), ["深南大道公厕"]);
  });

  it("requires every space-separated word", () => {
    assert.deepEqual(names("福田 公厕"), [
      "福田深南大道口公厕", // both in the name
      "车公庙公厕",
      "深南大道公厕",
      "莲花山公园南门公厕",
    ]);
  });
});

describe("pinyin", () => {
  it("matches full pinyin at the start, with or without spaces", () => {
    for (const query of ["gongce", "gong ce", "GongCe", "gongc"]) {
      const hits = engine.search(query);
      assert.equal(hits[0].name, "公廁2號", query);
      assert.equal(hits[0].score, SCORE.PINYIN_PREFIX);
      assert.equal(hits[0].field, "py");
    }
    assert.equal(names("shilin")[0], "士林官邸公廁");
    assert.deepEqual(names("taibei"), ["臺北車站公廁", "台北市政府飲水機"]);
  });

  it("matches full pinyin from an inner syllable but not mid-syllable", () => {
    const [hit] = engine.search("guandi");
    assert.equal(hit.name, "士林官邸公廁");
    assert.equal(hit.score, SCORE.PINYIN);
    assert.deepEqual(names("uandi"), []);
    assert.deepEqual(names("yinshuiji"), ["台北市政府飲水機", "深南大道辅道饮水机", "大安森林公園飲水機"]);
  });

  it("matches initials, at the start above inside", () => {
    const hits = engine.search("gc", { limit: 100 });
    assert.equal(hits[0].name, "公廁2號");
    assert.equal(hits[0].score, SCORE.INITIALS_PREFIX);
    assert.ok(hits.slice(1).every((hit) => hit.score === SCORE.INITIALS));
    assert.equal(hits.length, 8); // every name with 公厕/公廁
    assert.deepEqual(names("slgd"), ["士林官邸公廁"]);
    assert.equal(engine.search("slgd")[0].score, SCORE.INITIALS_PREFIX);
    assert.deepEqual(names("sndd"), ["深南大道公厕", "深南大道辅道饮水机", "福田深南大道口公厕"]);
  });

  it("ranks pinyin prefix > inner syllable > initials at start > initials inside", () => {
    const search = createSearch({
      fold: {},
      categories: [
        {
          id: "c",
          text: {
            name: ["甲", "乙", "丙", "丁"],
            addr: [null, null, null, null],
            py: ["a gong ce", "da da gong ce", "gong ce", "guo chang"],
          },
        },
      ],
    });
    assert.deepEqual(
      search.search("gc").map((hit) => [hit.name, hit.score]),
      [
        ["丙", SCORE.INITIALS_PREFIX],
        ["丁", SCORE.INITIALS_PREFIX],
        ["甲", SCORE.INITIALS],
        ["乙", SCORE.INITIALS],
      ],
    );
    assert.deepEqual(
      search.search("gongce").map((hit) => [hit.name, hit.score]),
      [
        ["丙", SCORE.PINYIN_PREFIX],
        ["甲", SCORE.PINYIN],
        ["乙", SCORE.PINYIN],
      ],
    );
  });
});

describe("latin names and addresses", () => {
  it("matches English names and addresses case-insensitively", () => {
    const [hit] = engine.search("Songshan Airport");
    assert.equal(hit.name, "Songshan Airport Toilet");
    assert.equal(hit.score, SCORE.NAME_PREFIX);
    assert.equal(engine.search("AIRPORT")[0].score, SCORE.NAME);
    assert.deepEqual(
      engine.search("dunhua").map((hit) => [hit.name, hit.field]),
      [["Songshan Airport Toilet", "addr"]],
    );
  });
});

describe("options and edge cases", () => {
  it("returns nothing for an empty or blank query", () => {
    for (const query of ["", "   ", "\u3000", null, undefined]) {
      assert.deepEqual(engine.search(query), []);
    }
  });

  it("honours the limit", () => {
    assert.equal(engine.search("公厕", { limit: 3 }).length, 3);
    assert.equal(engine.search("公厕").length, 8);
    assert.deepEqual(engine.search("公厕", { limit: 0 }), []);
  });

  it("filters by category", () => {
    assert.deepEqual(names("深南大道", { categories: new Set(["water"]) }), ["深南大道辅道饮水机"]);
    const toilets = engine.search("深南大道", { categories: new Set(["toilet"]) });
    assert.ok(toilets.length === 4 && toilets.every((hit) => hit.category === "toilet"));
    assert.deepEqual(engine.search("深南大道", { categories: new Set() }), []);
  });

  it("breaks ties by category order, then file order", () => {
    const search = createSearch({
      fold: FOLD,
      categories: [
        { id: "b", text: { name: ["公廁", "公厕"], addr: [null, null], py: ["gong ce", "gong ce"] } },
        { id: "a", text: { name: ["公厕"], addr: [null], py: ["gong ce"] } },
      ],
    });
    assert.deepEqual(
      search.search("公厕").map((hit) => [hit.category, hit.index]),
      [
        ["b", 0],
        ["b", 1],
        ["a", 0],
      ],
    );
  });
});
