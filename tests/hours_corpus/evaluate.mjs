// opening_hours.js's side of the differential test (tests/test_hours_differential.py).
//
//   node evaluate.mjs CORPUS.json CONFIG.json > results.json
//
// For each value: accepted or not (the constructor throws a string when not), whether it
// warns, and its state ("o" open, "c" closed, "u" unknown) every `step_minutes` over each
// fortnight of the config, run-length encoded ("c28u20o16…"). States come from the iterator
// (getIterator/advance, the code behind getOpenIntervals); where getState() says otherwise at
// a sample (the library's two APIs disagree, e.g. on open ends), that view is added too. It is
// computed only for values with a "+" (open ends and day offsets), the only ones where the
// two APIs have been seen to differ, to keep the run short.
//
// The library evaluates in the process's time zone, so the script re-runs itself with
// TZ=config.timezone. Holidays: the config's list replaces the library's own for the
// country (holiday_hook.mjs). "Now" is pinned to the first fortnight while the library runs
// (its warnings look five years ahead from now). The sun's events per day (suncalc, as the
// library computes them) are written in meta.sun, so the test can tell astronomy apart from
// evaluation.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [corpusPath, configPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));

if (process.env.TZ !== config.timezone) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TZ: config.timezone },
  });
  process.exit(child.status ?? 1);
}
if (Intl.DateTimeFormat().resolvedOptions().timeZone !== config.timezone) {
  throw new Error(`time zone ${config.timezone} did not take effect`);
}

function ymd(text) {
  const [y, m, d] = text.split('-').map(Number);
  return { y, m, d };
}

// The country's entry, in the shape of the library's own table.
const holidays = config.public_holidays.map((h) => {
  const { y, m, d } = ymd(h.date);
  return { name: h.name, fixed_date: [m, d], year: y };
});
globalThis.__SITEGEN_HOLIDAYS__ = { [config.country_code]: { PH: holidays } };
register(new URL('./holiday_hook.mjs', import.meta.url).href);
// The test tools live in tools/node_modules (installed by `make test` from its lock file).
const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const esmBuild = require.resolve('opening_hours').replace(/opening_hours\.js$/, 'opening_hours.esm.mjs');
const { default: OpeningHours } = await import(pathToFileURL(esmBuild).href);
if (!Array.isArray(globalThis.__SITEGEN_HOOK_EDITS__)) throw new Error('holiday hook not applied');
const SunCalc = require('suncalc');

const STEP = config.step_minutes * 60000;
const SAMPLES = (14 * 1440) / config.step_minutes;
const fortnights = config.fortnights.map((f) => {
  const { y, m, d } = ymd(f.start);
  return new Date(y, m - 1, d);
});
const place = {
  lat: String(config.lat), // the library reads the position only from strings
  lon: String(config.lon),
  address: { country_code: config.country_code },
};
const options = { mode: 0, warnings_severity: 4, locale: 'en' };

function pinnedNow(fn) {
  const RealDate = globalThis.Date;
  const now = fortnights[0].getTime();
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now);
      else super(...args);
    }
    static now() {
      return now;
    }
  };
  const saved = console.error;
  console.error = () => {}; // the library reports its own inconsistencies there
  try {
    return fn();
  } catch (error) {
    return { error: String(error) };
  } finally {
    globalThis.Date = RealDate;
    console.error = saved;
  }
}

const code = (it) => (it.getState() ? 'o' : it.getUnknown() ? 'u' : 'c');

function rle(chars) {
  let out = '';
  for (let i = 0; i < chars.length; ) {
    let j = i;
    while (j < chars.length && chars[j] === chars[i]) j++;
    out += chars[i] + (j - i);
    i = j;
  }
  return out;
}

function iteratorStates(oh, start) {
  const end = new Date(start.getTime() + SAMPLES * STEP);
  const it = oh.getIterator(start);
  const changes = [[start.getTime(), code(it)]];
  while (it.advance(end)) changes.push([it.getDate().getTime(), code(it)]);
  const chars = [];
  for (let k = 0, c = 0; k < SAMPLES; k++) {
    const t = start.getTime() + k * STEP;
    while (c + 1 < changes.length && changes[c + 1][0] <= t) c++;
    chars.push(changes[c][1]);
  }
  return chars.join('');
}

function getStateStates(oh, start) {
  const chars = [];
  for (let k = 0; k < SAMPLES; k++) {
    const at = new Date(start.getTime() + k * STEP);
    chars.push(oh.getState(at) ? 'o' : oh.getUnknown(at) ? 'u' : 'c');
  }
  return chars.join('');
}

function evaluate(value) {
  return pinnedNow(() => {
    const oh = new OpeningHours(value, place, options);
    const result = { accepted: true, warnings: oh.getWarnings().length > 0 };
    const states = fortnights.map((start) => iteratorStates(oh, start));
    result.states = states.map(rle);
    if (value.includes('+')) {
      const other = fortnights.map((start) => getStateStates(oh, start));
      if (other.join('') !== states.join('')) result.states_getstate = other.map(rle);
    }
    return result;
  });
}

function sunMinutes(start) {
  const days = [];
  for (let k = 0; k < 14; k++) {
    const noon = new Date(start.getFullYear(), start.getMonth(), start.getDate() + k, 12);
    const times = SunCalc.getTimes(noon, config.lat, config.lon);
    days.push(['dawn', 'sunrise', 'sunset', 'dusk'].map((e) => times[e].getHours() * 60 + times[e].getMinutes()));
  }
  return days;
}

const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'));
const results = corpus.map((entry) => {
  const found = evaluate(entry.value);
  return found.error === undefined ? found : { accepted: false, error: found.error };
});
const meta = {
  opening_hours: require('opening_hours/package.json').version,
  node: process.version,
  hook: globalThis.__SITEGEN_HOOK_EDITS__,
  sun: config.fortnights.map((f, i) => ({ start: f.start, days: sunMinutes(fortnights[i]) })),
};
process.stdout.write(JSON.stringify({ meta, results }));
