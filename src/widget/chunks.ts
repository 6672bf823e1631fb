/**
 * The widget's chunks: the parts a page loads the first time it needs them, so that a page
 * with the inline form downloads none of them.
 *
 * To add a chunk (the time-slot picker, the code entry…): put its code in a folder of its
 * own, add one line below, and load it with `loadChunk('name')` where it is first needed.
 * With npm and a bundler, the `import()` below loads it (the bundler splits it off). The
 * script-tag build swaps this module for `chunks.cdn.ts` and builds each entry here into
 * `mt-click-to-call.<name>.js` beside the core file (`scripts/build-cdn.ts` reads this
 * list). A chunk takes Lit and the core's helpers from `./shared.js` and imports nothing
 * else outside its folder, so it never carries a second copy of them (the build refuses
 * any other import).
 */
import type { CSSResult } from 'lit';
import type { MtClickToCall } from './mt-click-to-call.component.js';
import type { WidgetStrings } from './strings.js';

export const CHUNKS = {
  launcher: () => import('./launcher/launcher.js'),
  crm: () => import('./crm/crm.js'),
  recovery: () => import('./recovery/recovery.js'),
  consent: () => import('./consent/consent.js'),
  countries: () => import('./countries/countries.js'),
  slots: () => import('./slots/slots.js'),
  verify: () => import('./verify/verify.js'),
  'theme-dark': () => import('./theme/dark.js'),
  'lang-hi': () => import('./lang/hi.js'),
  'lang-bn': () => import('./lang/bn.js'),
  'lang-mr': () => import('./lang/mr.js'),
  'lang-ta': () => import('./lang/ta.js'),
  'lang-te': () => import('./lang/te.js'),
};

/**
 * What a chunk may export for the widget to add to its own when the chunk arrives: its
 * English texts (other languages carry theirs) and its styles.
 */
export interface ChunkAdditions {
  english?: Partial<WidgetStrings>;
  styles?: CSSResult;
  /** Makes the chunk's part of one widget (the launcher, a ticket's agent, the consent box) when it arrives. */
  attach?(host: MtClickToCall): unknown;
}

/** What a chunk gives one widget: what its `attach` makes, else its exports. */
export type ChunkPart<Name extends ChunkName> =
  ChunkModule<Name> extends { attach(host: MtClickToCall): infer Part } ? Part : ChunkModule<Name>;

/** A chunk's name. */
export type ChunkName = keyof typeof CHUNKS;

/** What a chunk's module exports. */
export type ChunkModule<Name extends ChunkName> = Awaited<ReturnType<(typeof CHUNKS)[Name]>>;

const loads = new Map<ChunkName, Promise<unknown>>();

/** Loads a chunk (once: later calls answer the same promise). */
export function loadChunk<Name extends ChunkName>(name: Name): Promise<ChunkModule<Name>> {
  if (!loads.has(name)) loads.set(name, CHUNKS[name]());
  return loads.get(name) as Promise<ChunkModule<Name>>;
}
