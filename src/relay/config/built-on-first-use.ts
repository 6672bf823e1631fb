/**
 * A value made by `build` the first time it is asked for, then kept. The schemas of
 * request bodies are made this way: building them is part of what the relay's start-up
 * would otherwise cost, and a relay only needs each once a request of its kind arrives.
 */
export function builtOnFirstUse<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}
