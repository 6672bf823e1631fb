import type { ClosableTransport, UpstreamRequest, UpstreamResponse } from '../upstream/transport.js';

/**
 * The Node server's way to Mobtexting: {@link undiciTransport}, loaded when the first call
 * is placed rather than at start-up, which reading undici would slow by about 80 ms. The
 * first call waits for it once; every later one uses it directly.
 */
export function upstreamClient(): ClosableTransport {
  let ready: ClosableTransport | undefined;
  let loading: Promise<ClosableTransport> | undefined;
  const load = () =>
    (loading ??= import('./undici-transport.js').then(({ undiciTransport }) => (ready = undiciTransport())));
  const transport = (request: UpstreamRequest): Promise<UpstreamResponse> =>
    ready ? ready(request) : load().then((loaded) => loaded(request));
  return Object.assign(transport, {
    close() {
      void loading?.then((loaded) => loaded.close());
    },
  });
}
