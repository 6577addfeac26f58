// Module hook (node:module register) that gives opening_hours.js the test's holiday list.
//
// opening_hours.js keeps its holidays in a frozen table that it does not export, read through
// one line of its ESM build: `const holidayDefinitions = holiday_definitions;`. This hook
// rewrites that line in memory when the module is loaded (nothing on disk changes), so that
// the entry of the configured country is the one in globalThis.__SITEGEN_HOLIDAYS__. A list
// covers only some years, while the library assumes that every year has holidays, so three
// spots that would throw or skip in a year without any are made to read "no holiday" there.
// Every needle must be found exactly once: a changed package fails loudly.

const BUILD = '/node_modules/opening_hours/build/opening_hours.esm.mjs';

const EDITS = [
  {
    why: 'the configured country takes its holidays from the test',
    find: 'const holidayDefinitions = holiday_definitions;',
    put: 'const holidayDefinitions = Object.freeze(Object.assign(Object.create(null), '
      + 'holiday_definitions, globalThis.__SITEGEN_HOLIDAYS__ || {}));',
  },
  {
    why: 'PH: after the last holiday of a year, look again from the next New Year',
    find: 'return [ false, new Date(holidays[0][0].getFullYear() + 1,',
    put: 'return [ false, new Date(date.getFullYear() + 1, 0, 1) ]; return [ false, new Date(holidays[0][0].getFullYear() + 1,',
  },
  {
    why: 'PH +1 day: the year before may have no holiday',
    find: 'const last_holiday_last_year_num = getValueForDate(last_holiday_last_year[0], true);',
    put: 'const last_holiday_last_year_num = last_holiday_last_year ? getValueForDate(last_holiday_last_year[0], true) : -Infinity;',
  },
  {
    why: 'PH -1 day: the year after may have no holiday',
    find: 'const first_holidays_next_year_num = getValueForDate(first_holidays_next_year[0], true);',
    put: 'const first_holidays_next_year_num = first_holidays_next_year ? getValueForDate(first_holidays_next_year[0], true) : -Infinity;',
  },
  {
    why: 'SH: a year without school holidays has none (instead of an error)',
    find: "throw formatLibraryBugMessage(t('no SH definition', {",
    put: "return [false, new Date(year + 1, 0, 1)]; throw formatLibraryBugMessage(t('no SH definition', {",
  },
];

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (!url.endsWith(BUILD)) return loaded;
  let source = String(typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source));
  for (const edit of EDITS) {
    const found = source.split(edit.find).length - 1;
    if (found !== 1) {
      throw new Error(`holiday_hook: "${edit.find}" found ${found} times in ${url}; update the hook`);
    }
    source = source.replace(edit.find, () => edit.put);
  }
  source += `\nglobalThis.__SITEGEN_HOOK_EDITS__ = ${JSON.stringify(EDITS.map((e) => e.why))};\n`;
  return { ...loaded, source, shortCircuit: true };
}
