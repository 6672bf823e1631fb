/**
 * Loads chunks for the script-tag build, where the core is one classic script and cannot
 * `import()` modules that share its Lit. Each chunk is a classic script too, built beside
 * the core file (`mt-click-to-call.<name>.js`), that finds Lit and the core's helpers in
 * one private global, keyed by this build's version, and hands its exports back through
 * it. Injected `<script src>` from the core's own location load under a strict CSP
 * (`script-src 'self'`, or a nonce, which the chunk inherits from the core's tag).
 */
import type { ChunkModule, ChunkName } from './chunks.js';
import type * as Shared from './shared.js';
import { css, fieldError, fill, html, icon, nothing, relayUrl, whenIdle } from './shared.js';

declare const __MT_C2C_VERSION__: string;

/** Where the core was loaded from, and its nonce: known only while the core first runs. */
const core = document.currentScript as HTMLScriptElement | null;
const arrivals = new Map<string, (module: unknown) => void>();
const loads = new Map<string, Promise<unknown>>();

/** What `shared.ts` exports, as one object (typed against it, so that none is forgotten). */
const shared: typeof Shared = { css, fieldError, fill, html, icon, nothing, relayUrl, whenIdle };

(globalThis as Record<symbol, unknown>)[Symbol.for(`mt-click-to-call/${__MT_C2C_VERSION__}`)] ??= {
  ...shared,
  /** Called by a chunk with its exports when it runs. */
  provide(name: string, module: unknown) {
    arrivals.get(name)?.(module);
    arrivals.delete(name);
  },
};

export function loadChunk<Name extends ChunkName>(name: Name): Promise<ChunkModule<Name>> {
  let load = loads.get(name);
  if (!load) {
    load = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = new URL(`mt-click-to-call.${name}.js`, core?.src || document.baseURI).href;
      script.nonce = core?.nonce ?? '';
      arrivals.set(name, resolve);
      const fail = (why: string) => {
        arrivals.delete(name);
        loads.delete(name); // a later need tries again
        reject(new Error(`mt-click-to-call: ${script.src}: ${why}`));
      };
      script.onerror = () => fail('not loaded');
      // A chunk runs before its load event: if it has not handed anything over by then, it
      // is not this build's (a stale copy, say).
      script.onload = () => arrivals.has(name) && fail('not of this build');
      document.head.append(script);
    });
    loads.set(name, load);
  }
  return load as Promise<ChunkModule<Name>>;
}
