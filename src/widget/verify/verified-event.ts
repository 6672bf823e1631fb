/**
 * Fired when the visitor proved their number with the spoken code: `token` names the
 * number, for `POST /calls` (`verified`) or the site's own backend (`verifyNumberToken`).
 * It bubbles and crosses shadow roots.
 */
export class MtVerifiedEvent extends Event {
  /** The relay's short-lived signed token for the verified number. */
  readonly token: string;
  constructor(token: string) {
    super('mt-verified', { bubbles: true, composed: true });
    this.token = token;
  }
}

declare global {
  interface HTMLElementEventMap {
    'mt-verified': MtVerifiedEvent;
  }
}
