const encoder = new TextEncoder();

/**
 * Compares a presented secret with the expected one in constant time: every byte of the
 * expected secret is compared whatever the presented one holds, so the time depends on
 * neither its contents nor its length. Synchronous and portable (no `node:crypto`, and
 * no trip to a thread pool as `crypto.subtle` would take).
 */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = encoder.encode(presented);
  const b = encoder.encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i] ?? 0) ^ b[i]!;
  return difference === 0;
}
