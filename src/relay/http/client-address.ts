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
 * The client's address from `X-Forwarded-For`, trusting `hops` proxies in front of the
 * relay: the address the outermost trusted proxy saw (counted from the right, since each
 * proxy appends). Answers `undefined` when the header does not reach that far. Only this
 * header is read: proxies append to it, while a client's own `Forwarded` header usually
 * passes through untouched and could name any address.
 */
export function forwardedAddress(c: Context, hops: number): string | undefined {
  const chain = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
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
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
