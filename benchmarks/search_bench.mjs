// Front-end search on 30,000 synthetic facilities: index build time, median query times and the
// size of the text payload. Run by hand: `node benchmarks/search_bench.mjs [COUNT]`.
import { performance } from "node:perf_hooks";
import zlib from "node:zlib";

import { createSearch } from "../themes/default/static/js/search.js";

const COUNT = Number(process.argv[2] ?? 30_000);
const RUNS = 51;

// Word parts with their pinyin, so that names, addresses and "py" stay consistent.
const PLACES = [
  ["深南", "shen nan"], ["南山", "nan shan"], ["福田", "fu tian"], ["罗湖", "luo hu"],
  ["莲花山", "lian hua shan"], ["车公庙", "che gong miao"], ["华强北", "hua qiang bei"],
  ["科技园", "ke ji yuan"], ["蛇口", "she kou"], ["西丽", "xi li"], ["龙华", "long hua"],
  ["士林", "shi lin"], ["大安", "da an"], ["信義", "xin yi"], ["松山", "song shan"],
  ["中正", "zhong zheng"], ["萬華", "wan hua"], ["北投", "bei tou"], ["內湖", "nei hu"],
  ["民生", "min sheng"], ["光明", "guang ming"], ["海岸", "hai an"], ["前海", "qian hai"],
];
const SITES = [
  ["大道", "da dao"], ["公园", "gong yuan"], ["中心公园", "zhong xin gong yuan"],
  ["地铁站", "di tie zhan"], ["市场", "shi chang"], ["广场", "guang chang"], ["图书馆", "tu shu guan"],
  ["體育館", "ti yu guan"], ["夜市", "ye shi"], ["車站", "che zhan"], ["大学", "da xue"],
  ["医院", "yi yuan"], ["社区", "she qu"], ["", ""],
];
const SIDES = [["南门", "nan men"], ["北门", "bei men"], ["东侧", "dong ce"], ["", ""], ["", ""]];
const KINDS = {
  toilet: [["公厕", "gong ce"], ["公廁", "gong ce"], ["无障碍厕所", "wu zhang ai ce suo"]],
  water: [["饮水机", "yin shui ji"], ["飲水機", "yin shui ji"], ["直饮水点", "zhi yin shui dian"]],
  bin: [["清洁箱", "qing jie xiang"], ["行人專用清潔箱", "xing ren zhuan yong qing jie xiang"]],
};
const CITIES = ["深圳市", "臺北市"];
const DISTRICTS = ["福田区", "南山区", "罗湖区", "士林區", "大安區", "信義區"];
const ROADS = ["深南大道", "红荔路", "滨海大道", "福林路", "重慶南路一段", "市府路", "新生南路二段"];
const FOLD = {
  "廁": "厕", "飲": "饮", "機": "机", "專": "专", "潔": "洁", "臺": "台", "區": "区", "義": "义",
  "萬": "万", "華": "华", "內": "内", "體": "体", "館": "馆", "車": "车", "慶": "庆", "號": "号",
};

// A small deterministic generator (mulberry32), so every run measures the same data.
let seed = 20240601;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

function makeText(kinds, count) {
  const text = { name: [], addr: [], py: [] };
  for (let i = 0; i < count; i++) {
    const parts = [pick(PLACES), pick(SITES), pick(SIDES), pick(kinds)];
    text.name.push(parts.map(([han]) => han).join(""));
    text.py.push(parts.map(([, py]) => py).filter(Boolean).join(" "));
    text.addr.push(
      random() < 0.1
        ? null
        : `${pick(CITIES)}${pick(DISTRICTS)}${pick(ROADS)}${1 + Math.floor(random() * 900)}號`,
    );
  }
  return text;
}

const ids = Object.keys(KINDS);
const perCategory = Math.round(COUNT / ids.length);
const categories = ids.map((id) => ({ id, text: makeText(KINDS[id], perCategory) }));

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
// The first build is what a visitor waits for (cold code); later ones show the steady cost.
const builds = [];
let engine;
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  engine = createSearch({ fold: FOLD, categories });
  builds.push(performance.now() - started);
}
const total = categories.reduce((sum, c) => sum + c.text.name.length, 0);
console.log(
  `${total} entries, index built in ${builds[0].toFixed(0)} ms cold, ` +
    `${median(builds.slice(1)).toFixed(0)} ms warm\n`,
);
console.log("query            kind              matches median ms   max ms");
const queries = [
  ["公厕", "CJK 2"], ["深南", "CJK 2"], ["南门", "CJK 2"], ["福田", "CJK 2 (addr)"],
  ["深南大道", "CJK 4"], ["中心公园", "CJK 4"], ["士林车站", "CJK 4 (folded)"], ["路", "CJK 1"],
  ["gongce", "pinyin"], ["shennan", "pinyin"], ["zhongxin", "pinyin"], ["g", "pinyin 1"],
  ["gc", "initials"], ["sndd", "initials"], ["zxgy", "initials"], ["福田 公厕", "two words"],
];
for (const [query, kind] of queries) {
  engine.search(query); // warm up
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    engine.search(query);
    times.push(performance.now() - started);
  }
  const matches = engine.search(query, { limit: Infinity }).length;
  const max = Math.max(...times);
  const wide = [...query].filter((c) => c > "\u2e7f").length; // CJK takes two columns
  console.log(
    `${query.padEnd(16 - wide)} ${kind.padEnd(15)}${String(matches).padStart(7)}` +
      `${median(times).toFixed(2).padStart(10)}${max.toFixed(2).padStart(9)}`,
  );
}

const json = categories.map(({ text }) => Buffer.from(JSON.stringify(text)));
const sum = (buffers) => buffers.reduce((bytes, b) => bytes + b.length, 0);
const gzip = json.map((b) => zlib.gzipSync(b, { level: 9 }));
const brotli = json.map((b) =>
  zlib.brotliCompressSync(b, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length,
    },
  }),
);
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
console.log(
  `\ntext payload (${json.length} files): raw ${kib(sum(json))}, ` +
    `gzip -9 ${kib(sum(gzip))}, brotli q11 ${kib(sum(brotli))}`,
);
const withoutPy = categories.map(({ text }) =>
  Buffer.from(JSON.stringify({ ...text, py: undefined })),
);
const pyShare = sum(json) - sum(withoutPy);
const pyGzip = sum(gzip) - sum(withoutPy.map((b) => zlib.gzipSync(b, { level: 9 })));
console.log(`of which "py": raw ${kib(pyShare)}, gzip ${kib(pyGzip)}`);
console.log(`fold map: ${Buffer.from(JSON.stringify(FOLD)).length} bytes (benchmark's own)`);
