import type { Context } from 'hono';
import { formatAddress, inNetwork, parseAddress, type Network } from './ip-address.js';

/**
 * The client's address as the socket saw it, on Node (`@hono/node-server`). Other runtimes
 * pass `clientIp` in the relay's options (on Cloudflare: the `CF-Connecting-IP` header).
 */
export function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** The entries of `X-Forwarded-For`, nearest proxy last. */
function forwardedChain(c: Context): string[] {
  return (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Which proxies in front of the relay are believed about the client's address: a count of
 * hops (each appends to `X-Forwarded-For`), or the proxies' own addresses and networks.
 */
export type ProxyTrust = { hops: number } | { networks: Network[] };

/**
 * Finds the client's address as the relay is set up to: the socket's, unless proxies are
 * trusted. With a hop count, the address the outermost of those proxies saw (counted from
 * the right of `X-Forwarded-For`); with networks, only a request whose socket address is
 * in one of them is read further, walking `X-Forwarded-For` from the right past every
 * trusted address, so a client that reaches the relay directly cannot choose its address.
 * Ports and brackets that proxies add are dropped. Only `X-Forwarded-For` is read: proxies
 * append to it, while a client's own `Forwarded` header usually passes through untouched.
 */
export function clientAddress(c: Context, trust: ProxyTrust | undefined): string | undefined {
  const socket = socketAddress(c);
  if (!trust) return socket;
  const chain = forwardedChain(c);
  if ('hops' in trust) {
    const entry = chain[chain.length - trust.hops];
    const bytes = entry === undefined ? undefined : parseAddress(entry);
    return bytes && formatAddress(bytes);
  }
  const trusted = (bytes: Uint8Array) => trust.networks.some((network) => inNetwork(bytes, network));
  const peer = socket === undefined ? undefined : parseAddress(socket);
  if (!peer || !trusted(peer)) return socket;
  let client = formatAddress(peer);
  for (let i = chain.length - 1; i >= 0; i--) {
    const bytes = parseAddress(chain[i]!);
    if (!bytes) return undefined;
    client = formatAddress(bytes);
    if (!trusted(bytes)) return client;
  }
  return client;
}
