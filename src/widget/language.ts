import { loadChunk } from './chunks.js';
import { ENGLISH, type Texts } from './strings.js';

/** The languages the widget speaks: English built in, the others loaded when a page needs them. */
export const LANGUAGES = ['en', 'hi', 'bn', 'mr', 'ta', 'te'] as const;

/** One of the widget's languages. */
export type Language = (typeof LANGUAGES)[number];

const loaded: Partial<Record<Language, Texts>> = { en: ENGLISH };
const loading: Partial<Record<Language, Promise<Texts>>> = {};

/** The widget's language for a language tag: `hi`, `hi-IN` → Hindi; one it does not speak → English. */
export function languageOf(tag: string): Language {
  const primary = tag.toLowerCase().split(/[-_]/)[0] as Language;
  return LANGUAGES.includes(primary) ? primary : 'en';
}

/**
 * A language's texts: at once when they are here, else a promise of them, loading their
 * chunk the first time. A language that cannot be loaded answers English for the rest of
 * the page's life (and says so in the console), so the widget always has words to show.
 */
export function languageStrings(lang: Language): Texts | Promise<Texts> {
  if (loaded[lang]) return loaded[lang];
  return (loading[lang] ??= loadChunk(`lang-${lang as Exclude<Language, 'en'>}`).then(
    (chunk) => (loaded[lang] = chunk.default),
    (err: unknown) => {
      console.warn(`mt-click-to-call: the ${lang} texts could not be loaded; showing English.`, err);
      return (loaded[lang] = ENGLISH);
    },
  ));
}

/** A language's texts (English: those of the inline form), loaded if need be, for pages that show them too. */
export async function loadStrings(lang: string): Promise<Texts> {
  return languageStrings(languageOf(lang));
}
