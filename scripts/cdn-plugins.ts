import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WIDGET = join(ROOT, 'src/widget');
const SHARED = join(WIDGET, 'shared.ts');

/** The package's version: it keys the global through which the core lends its chunks Lit. */
export const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The expression a chunk finds the core's shared modules by (see `src/widget/chunks.cdn.ts`). */
const SHARED_GLOBAL = `globalThis[Symbol.for(${JSON.stringify(`mt-click-to-call/${VERSION}`)})]`;

/** Values the widget's sources read at build time. */
export const DEFINE = { __MT_C2C_VERSION__: JSON.stringify(VERSION) };

/**
 * In the script-tag build, the widget loads its chunks as scripts beside the core:
 * `chunks.cdn.ts` stands in for `chunks.ts`.
 */
export function cdnChunkLoader(): Plugin {
  return {
    name: 'mt-c2c-cdn-chunk-loader',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './chunks.js' && importer && dirname(importer) === WIDGET) return join(WIDGET, 'chunks.cdn.ts');
      return undefined;
    },
  };
}

/** A chunk of `src/widget/chunks.ts`: its name and its module's source file. */
export interface ChunkEntry {
  name: string;
  file: string;
}

/** The chunks `src/widget/chunks.ts` lists, read from its `name: () => import('./path.js')` lines. */
export function chunkEntries(): ChunkEntry[] {
  const text = readFileSync(join(WIDGET, 'chunks.ts'), 'utf8');
  const entries = [...text.matchAll(/^\s*'?([\w-]+)'?: \(\) => import\('(\.\/[\w/.-]+)\.js'\),$/gm)].map(
    ([, name, path]) => ({ name: name!, file: join(WIDGET, `${path}.ts`) }),
  );
  if (entries.length === 0) throw new Error('src/widget/chunks.ts lists no chunks the build can read');
  return entries;
}

const ENTRY = 'virtual:mt-c2c-chunk-entry';

/**
 * Builds one chunk as a classic script: it runs its module and hands the module's exports
 * to the core. Lit and the core's helpers come from `shared.ts`, which is not bundled but
 * read from the core's global; any other import from outside the chunk's folder (or of
 * Lit itself) fails the build, since it would put a second copy in the chunk.
 */
export function chunkBuild(chunk: ChunkEntry): Plugin {
  const folder = dirname(chunk.file);
  return {
    name: 'mt-c2c-chunk',
    enforce: 'pre',
    resolveId(source, importer) {
      // Vite hands a lib entry over as a path under the project's root.
      if (source.endsWith(ENTRY)) return `\0${ENTRY}`;
      if (source === SHARED) return { id: SHARED, external: true };
      if (!importer || importer === `\0${ENTRY}`) return undefined;
      const local = source.startsWith('.') ? resolve(dirname(importer), source.replace(/\.js$/, '.ts')) : undefined;
      if (local === SHARED) return { id: SHARED, external: true };
      if (local?.startsWith(folder + '/')) return local;
      this.error(
        `${relative(ROOT, importer)} imports ${source}: a chunk imports only from its own folder and ../shared.js`,
      );
    },
    load(id) {
      if (id !== `\0${ENTRY}`) return undefined;
      return [
        `import * as chunk from ${JSON.stringify(chunk.file)};`,
        `import { provide } from ${JSON.stringify(SHARED)};`,
        `provide(${JSON.stringify(chunk.name)}, chunk);`,
      ].join('\n');
    },
    outputOptions(options) {
      return { ...options, globals: { [SHARED]: SHARED_GLOBAL } };
    },
  };
}

/** Where the chunk entry's virtual module is, for the build's `lib.entry`. */
export const CHUNK_ENTRY = ENTRY;
