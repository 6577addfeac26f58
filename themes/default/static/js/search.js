// Search over the published text files (names, addresses, pinyin; docs/front-end-data.md).
//
// Everything that does not depend on the query is prepared once, in createSearch: each field of
// all entries is laid end to end in one "column" string, NFKC-normalised, lowercased and folded
// to Simplified with the site's fold map; pinyin is joined without spaces, and its syllable
// starts and initials are noted. A query is then a few indexOf scans over the columns, whose
// cost follows the number of matches rather than the number of entries.
//
// Chinese text matches as a contiguous substring only. Scattered characters (深 … 南 … 大 … 道)
// are never a match: for place names they are noise that would bury the real hits.

// What a match is worth: higher ranks first. Each score belongs to one field (see FIELD_OF).
export const SCORE = Object.freeze({
  NAME_PREFIX: 100, // the name starts with the query
  PINYIN_PREFIX: 90, // the name's pinyin starts with the query ("shilin", "shi lin guan di")
  NAME: 80, // the name contains the query
  PINYIN: 70, // full pinyin from an inner syllable ("guandi")
  INITIALS_PREFIX: 60, // initials of the first syllables ("slgd", "gc")
  INITIALS: 50, // initials from an inner syllable ("gd")
  ADDR_PREFIX: 40,
  ADDR: 30,
});

const FIELD_OF = new Map([
  [SCORE.NAME_PREFIX, "name"],
  [SCORE.NAME, "name"],
  [SCORE.PINYIN_PREFIX, "py"],
  [SCORE.PINYIN, "py"],
  [SCORE.INITIALS_PREFIX, "py"],
  [SCORE.INITIALS, "py"],
  [SCORE.ADDR_PREFIX, "addr"],
  [SCORE.ADDR, "addr"],
]);

// A term that could be pinyin: latin letters and digits, with the apostrophe of "xi'an".
const PINYIN_TERM = /^[a-z0-9']+$/;

// Between two entries in a column. It is removed from texts and queries, and is no white space
// (which normalising collapses), so no match can run from one entry into the next.
const SEPARATOR = "\u0000";

// Ranks are packed into one number (see rankKey), which leaves room for 2^21 entries.
const MAX_ENTRIES = 2 ** 21;

// Up to this limit the best hits are picked while scanning; above it all hits are sorted.
const PICK_LIMIT = 64;

/** A function that NFKC-normalises, lowercases, collapses spaces and folds text to Simplified. */
function makeNormalizer(fold) {
  const keys = Object.keys(fold ?? {}).filter((k) => [...k].length === 1);
  // One regular expression for all keys: far faster than a lookup per character.
  const pattern = keys.length
    ? new RegExp(`[${keys.map((k) => k.replace(/[\\\]^-]/g, "\\$&")).join("")}]`, "gu")
    : null;
  return (text) => {
    const plain = text
      .normalize("NFKC")
      .toLowerCase()
      // Only what is not already a single " ": a column has one space per pinyin syllable,
      // and a replacement each would cost more than all the rest.
      .replace(/\s{2,}|[^\S ]/gu, " ")
      .replace(/ \u0000 ?|\u0000 /gu, SEPARATOR) // trims each entry of a column
      .trim();
    return pattern ? plain.replace(pattern, (c) => fold[c]) : plain;
  };
}

/** Texts (null for none) end to end, as one string to normalise in a single pass. */
function joinTexts(texts) {
  return texts.map((text) => (text == null ? "" : String(text).replaceAll(SEPARATOR, ""))).join(
    SEPARATOR,
  );
}

/** One field of all entries, end to end, with the offset where each entry starts. */
class Column {
  constructor(text, count) {
    this.text = text;
    this.starts = new Int32Array(count + 1);
    let end = -1;
    for (let entry = 0; entry < count; entry++) {
      this.starts[entry] = end + 1;
      end = text.indexOf(SEPARATOR, end + 1);
      if (end === -1) end = text.length;
    }
    this.starts[count] = end + 1; // entry e spans starts[e] .. starts[e + 1] - 1
  }

  length(entry) {
    return this.starts[entry + 1] - this.starts[entry] - 1;
  }

  /** The entry that the column offset `at` falls in (binary search). */
  entryAt(at) {
    let low = 0;
    let high = this.starts.length - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * Calls `visit(entry, offset)` for the first occurrence of `needle` in each entry that has one
   * or, with `accept`, for the first occurrence at a column offset that `accept` takes.
   */
  forEachMatch(needle, visit, accept = null) {
    let at = this.text.indexOf(needle);
    while (at !== -1) {
      if (accept && !accept(at)) {
        at = this.text.indexOf(needle, at + 1);
        continue;
      }
      const entry = this.entryAt(at);
      visit(entry, at - this.starts[entry]);
      // The first occurrence decides (a prefix is always the first): on to the next entry.
      at = this.text.indexOf(needle, this.starts[entry + 1]);
    }
  }
}

/**
 * The pinyin columns: syllables joined ("shilinguandi") with a flag at each syllable start, and
 * the initials ("slgd"), from the published space-separated syllables.
 */
function pinyinColumns(spaced, count) {
  const joined = spaced.replaceAll(" ", "");
  const isSyllableStart = new Uint8Array(joined.length + 1);
  // Initials and separators as UTF-16 code units, decoded once at the end: a regular
  // expression replace per syllable costs several times more.
  const initials = new Uint16Array(joined.length);
  let length = 0;
  let at = 0; // offset in `joined`
  let boundary = true;
  for (let i = 0; i < spaced.length; i++) {
    const code = spaced.charCodeAt(i);
    if (code === 0x20) {
      boundary = true;
      continue; // spaces are not in `joined`
    }
    if (code === 0) {
      boundary = true;
      initials[length++] = code;
    } else if (boundary) {
      isSyllableStart[at] = 1;
      initials[length++] = code;
      boundary = false;
    }
    at++;
  }
  return {
    joined: new Column(joined, count),
    initials: new Column(new TextDecoder("utf-16le").decode(initials.subarray(0, length)), count),
    isSyllableStart,
  };
}

/** A term with the pinyin key it is also tried as (null when it cannot be pinyin). */
function makeTerm(text) {
  const key = text.replaceAll(" ", "");
  return { text, pinyinKey: PINYIN_TERM.test(key) ? key.replaceAll("'", "") : null };
}

/** One number that sorts ascending in rank order: score, then shorter name, then position. */
function rankKey(score, nameLength, position) {
  // Exact in a double: 8 bits of score, 11 of length, 21 of position (< 2^53).
  return (255 - score) * 2 ** 32 + Math.min(nameLength, 2047) * 2 ** 21 + position;
}

/** The `limit` smallest of `keys`, ascending. */
function smallest(keys, limit) {
  if (limit > PICK_LIMIT || keys.length <= limit) return keys.sort().subarray(0, limit);
  // Insert into a short sorted list: much cheaper than sorting every match when a one-letter
  // query (the first keystroke) matches most entries.
  const best = new Float64Array(limit).fill(Infinity);
  for (const key of keys) {
    if (key >= best[limit - 1]) continue;
    let i = limit - 1;
    for (; i > 0 && best[i - 1] > key; i--) best[i] = best[i - 1];
    best[i] = key;
  }
  return best;
}

/**
 * Prepares the texts of every category for searching.
 *
 * `fold`: the Traditional → Simplified character map; `categories`: `[{id, text: {name, addr,
 * py}}]` in display order, each `text` a fetched text file.
 */
export function createSearch({ fold, categories }) {
  const normalize = makeNormalizer(fold);
  // Entries are numbered across categories, in display order.
  const firstEntry = [];
  let count = 0;
  for (const { text } of categories) {
    firstEntry.push(count);
    count += text?.name?.length ?? 0;
  }
  if (count > MAX_ENTRIES) throw new RangeError(`more than ${MAX_ENTRIES} entries`);
  const categoryOf = new Uint16Array(count);
  categories.forEach((_, c) => categoryOf.fill(c, firstEntry[c], firstEntry[c + 1] ?? count));

  // Each field of every entry, with missing values ("addr": null, no "py") as empty texts.
  const allOf = (key) =>
    joinTexts(
      categories.flatMap(({ text }) => Array.from(text?.name ?? [], (_, i) => text[key]?.[i])),
    );
  const names = new Column(normalize(allOf("name")), count);
  const addrs = new Column(normalize(allOf("addr")), count);
  const pinyin = pinyinColumns(normalize(allOf("py")), count);
  const keys = new Float64Array(count); // rank keys of one query's hits, reused

  /** Each entry's best score for one term (0: no match). */
  function scoreTerm({ text, pinyinKey }) {
    const scores = new Uint8Array(count);
    // A visitor that keeps the better of an entry's score so far and this match's.
    const prefixOr = (prefix, inner) => (entry, offset) => {
      const score = offset === 0 ? prefix : inner;
      if (scores[entry] < score) scores[entry] = score;
    };
    names.forEachMatch(text, prefixOr(SCORE.NAME_PREFIX, SCORE.NAME));
    addrs.forEachMatch(text, prefixOr(SCORE.ADDR_PREFIX, SCORE.ADDR));
    if (pinyinKey) {
      // Full pinyin may run across syllables and end inside one, but starts at a syllable.
      const atSyllable = (at) => pinyin.isSyllableStart[at] === 1;
      const visit = prefixOr(SCORE.PINYIN_PREFIX, SCORE.PINYIN);
      pinyin.joined.forEachMatch(pinyinKey, visit, atSyllable);
      // Each initial is a syllable start, so any occurrence in the initials is a valid run.
      pinyin.initials.forEachMatch(pinyinKey, prefixOr(SCORE.INITIALS_PREFIX, SCORE.INITIALS));
    }
    return scores;
  }

  /**
   * Up to `limit` best matches of `query`, in rank order, optionally only in the categories of
   * the Set `categories`: `[{category, index, name, addr, score, field}]`.
   */
  function search(query, { limit = 20, categories: only = null } = {}) {
    const phrase = normalize(String(query ?? "").replaceAll(SEPARATOR, ""));
    if (!phrase || !(limit > 0)) return [];
    // Words separated by spaces must each match (福田 公厕), and the weakest one says how good
    // the match is. The whole query is tried as one term too, so that "songshan airport" is a
    // name prefix and "gong ce" joined pinyin.
    const words = phrase.split(" ");
    const scores = scoreTerm(makeTerm(words[0]));
    for (const word of words.slice(1)) {
      const more = scoreTerm(makeTerm(word));
      for (let entry = 0; entry < count; entry++) {
        scores[entry] = Math.min(scores[entry], more[entry]);
      }
    }
    if (words.length > 1) {
      const whole = scoreTerm(makeTerm(phrase));
      for (let entry = 0; entry < count; entry++) {
        scores[entry] = Math.max(scores[entry], whole[entry]);
      }
    }

    const allowed = categories.map(({ id }) => !only || only.has(id));
    let hits = 0;
    for (let entry = 0; entry < count; entry++) {
      if (scores[entry] && allowed[categoryOf[entry]]) {
        keys[hits++] = rankKey(scores[entry], names.length(entry), entry);
      }
    }
    return Array.from(smallest(keys.subarray(0, hits), limit), (key) => {
      const entry = key % MAX_ENTRIES;
      const { id, text } = categories[categoryOf[entry]];
      const index = entry - firstEntry[categoryOf[entry]];
      const score = scores[entry];
      return {
        category: id,
        index,
        name: text.name[index],
        addr: text.addr?.[index] ?? null,
        score,
        field: FIELD_OF.get(score),
      };
    });
  }

  return { search };
}
