import { loadChunk } from './chunks.js';
import { ENGLISH, type Texts } from './strings.js';

/** The languages the widget speaks: English built in, the others loaded when a page needs them. */
export const LANGUAGES = ['en', 'hi', 'bn', 'mr', 'ta', 'te'] as const;

/** One of the widget's languages. */
export type Language = (typeof LANGUAGES)[number];

/** The widget's language for a language tag: `hi`, `hi-IN` → Hindi; one it does not speak → English. */
export function languageOf(tag: string): Language {
  const primary = tag.toLowerCase().split(/[-_]/)[0] as Language;
  return LANGUAGES.includes(primary) ? primary : 'en';
}

/**
 * A language's texts (English: those of the inline form), loaded if need be, for pages
 * that show them too; English where a language cannot be loaded.
 */
export async function loadStrings(lang: string): Promise<Texts> {
  const language = languageOf(lang);
  if (language === 'en') return ENGLISH;
  return loadChunk(`lang-${language}`).then(
    (chunk) => chunk.default,
    () => ENGLISH,
  );
}
