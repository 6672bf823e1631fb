import type { Context } from 'hono';

/**
 * The client's address as the socket saw it, on Node (`@hono/node-server`). Other runtimes
 * pass `clientIp` in the relay's options (on Cloudflare: the `CF-Connecting-IP` header).
 */
export function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/**
 * The client's address from forwarding headers, trusting `hops` proxies in front of the
 * relay: the address the outermost trusted proxy saw. Answers `undefined` when the
 * headers do not reach that far.
 */
export function forwardedAddress(c: Context, hops: number): string | undefined {
  const forwarded = c.req.header('forwarded');
  const chain = forwarded
    ? [...forwarded.matchAll(/for=("?)\[?([^\]";,]+)\]?\1/gi)].map((m) => m[2]!)
    : (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return chain[chain.length - hops];
}

/**
 * The key a client's address is counted under: IPv4 as is, IPv6 by its /64 network (one
 * subscriber usually holds a whole /64), IPv4-mapped IPv6 as IPv4.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.replace(/%.*$/, '').toLowerCase().split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const groups = [...headParts, ...Array(Math.max(8 - headParts.length - tailParts.length, 0)).fill('0'), ...tailParts];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
