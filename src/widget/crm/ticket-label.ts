/**
 * What a CRM ticket says to show on its button: its `label` claim (the numbers inside are
 * encrypted; only the relay can read them). Read, not verified: the relay verifies.
 */
export function ticketLabel(ticket: string): string | undefined {
  try {
    const payload = ticket.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    const label: unknown = JSON.parse(new TextDecoder().decode(bytes)).label;
    return typeof label === 'string' ? label : undefined;
  } catch {
    return undefined;
  }
}
