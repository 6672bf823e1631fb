import { whenIdle } from '../shared.js';

/** A country's name from its ISO code ("India", "भारत"), in `lang`; the code itself where the browser has no name. */
export function countryName(iso: string, lang = 'en'): string {
  try {
    return new Intl.DisplayNames(lang, { type: 'region' }).of(iso.toUpperCase()) ?? iso;
  } catch {
    return iso; // not a region code
  }
}

const names = new Map<string, string>();

/**
 * {@link countryName} without holding up a page: the browser's first `Intl.DisplayNames`
 * loads its country names, a tenth of a second on a slow phone, so a name not known yet
 * is looked up when the browser is idle, and `ready` is called once it is.
 */
export function countryNameSoon(iso: string, lang: string, ready: () => void): string | undefined {
  const key = `${iso} ${lang}`;
  if (names.has(key)) return names.get(key);
  whenIdle(() => {
    if (!names.has(key)) names.set(key, countryName(iso, lang));
    ready();
  });
  return undefined;
}
