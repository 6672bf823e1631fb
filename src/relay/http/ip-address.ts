/**
 * IP addresses and networks, written as people and proxies write them: parsed to bytes,
 * so that `::ffff:203.0.113.9`, `203.0.113.9:50001` and `[2001:db8::1]:443` are each
 * understood, and networks (`10.0.0.0/8`, `fc00::/7`) can be matched.
 */

/** An address as 16 bytes (IPv4 mapped into IPv6, as `::ffff:a.b.c.d`). */
export type AddressBytes = Uint8Array;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Bytes(text: string): number[] | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts : undefined;
}

function ipv6Bytes(text: string): number[] | undefined {
  const plain = text.replace(/%.*$/, '').toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(plain) || plain.split('::').length > 2) return undefined;
  const [head = '', tail] = plain.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const read = (parts: string[]) => {
    const bytes: number[] = [];
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = ipv4Bytes(part);
        if (!v4) return undefined;
        bytes.push(...v4);
      } else if (/^[0-9a-f]{1,4}$/.test(part)) {
        const value = parseInt(part, 16);
        bytes.push(value >> 8, value & 0xff);
      } else return undefined;
    }
    return bytes;
  };
  const front = read(groups(head));
  const back = tail === undefined ? [] : read(groups(tail));
  if (!front || !back) return undefined;
  const missing = 16 - front.length - back.length;
  if (tail === undefined ? missing !== 0 : missing < 2) return undefined;
  return [...front, ...Array<number>(missing).fill(0), ...back];
}

/**
 * Reads an address as a proxy may write it: IPv4 or IPv6, with a port (`1.2.3.4:50001`,
 * `[2001:db8::1]:443`) or brackets, which are dropped. Answers `undefined` for anything
 * that is not an address.
 */
export function parseAddress(text: string): AddressBytes | undefined {
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(trimmed);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(trimmed);
  const bare = bracketed?.[1] ?? withPort?.[1] ?? trimmed;
  const v4 = ipv4Bytes(bare);
  const bytes = v4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4] : ipv6Bytes(bare);
  return bytes && Uint8Array.from(bytes);
}

const isMappedV4 = (bytes: AddressBytes) =>
  bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

/** An address written plainly: dotted IPv4 (also for IPv4-mapped IPv6), or full IPv6 groups. */
export function formatAddress(bytes: AddressBytes): string {
  if (isMappedV4(bytes)) return Array.from(bytes.slice(12)).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/**
 * The key a client's address is counted under: IPv4 as is, IPv6 by its /64 network (one
 * subscriber usually holds a whole /64), IPv4-mapped IPv6 as IPv4. Anything that is not an
 * address is counted as it is written.
 */
export function addressKey(address: string): string {
  const bytes = parseAddress(address);
  if (!bytes) return address;
  if (isMappedV4(bytes)) return formatAddress(bytes);
  return `${formatAddress(bytes).split(':').slice(0, 4).join(':')}::/64`;
}

/** A network: an address and how many leading bits of it count. */
export interface Network {
  bytes: AddressBytes;
  bits: number;
}

/** Networks `trustProxy: true` means: loopback and the private and link-local ranges. */
export const LOCAL_NETWORKS = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
];

/** Reads `10.0.0.0/8`, `2001:db8::/32` or a single address. */
export function parseNetwork(text: string): Network | undefined {
  const [address = '', prefix] = text.trim().split('/');
  const bytes = parseAddress(address);
  if (!bytes) return undefined;
  const v4 = isMappedV4(bytes) && !address.includes(':');
  const width = v4 ? 32 : 128;
  const length = prefix === undefined ? width : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(length >= 0 && length <= width)) return undefined;
  return { bytes, bits: v4 ? length + 96 : length };
}

/** Whether an address lies in a network. */
export function inNetwork(address: AddressBytes, network: Network): boolean {
  for (let bit = 0; bit < network.bits; bit += 8) {
    const take = Math.min(8, network.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((address[bit >> 3]! & mask) !== (network.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}
