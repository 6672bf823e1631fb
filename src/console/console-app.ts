import { css, html, LitElement, nothing } from 'lit';
import { ApiError, ConsoleApi, type SessionInfo } from './api.js';
import { shared } from './styles.js';

type Section = 'live' | 'history' | 'charts' | 'scheduled';

const SECTIONS: [Section, string][] = [
  ['live', 'Live'],
  ['history', 'History'],
  ['charts', 'Charts'],
  ['scheduled', 'Scheduled'],
];

/**
 * The operator's console: signing in with the relay's console token, then calls under
 * way, the history, charts and booked callbacks. Served by the relay itself at
 * `<base>/console`, never on public pages.
 */
export class MtConsole extends LitElement {
  static override properties = {
    root: {},
    session: { state: true },
    section: { state: true },
    checking: { state: true },
    signInError: { state: true },
    busy: { state: true },
  };

  static override styles = [
    shared,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--bg);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem 1rem;
        padding: 0.75rem 1.25rem;
        border-bottom: 1px solid var(--line);
      }
      h1 {
        font-size: 1.2rem;
        margin: 0;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav button[aria-current='page'] {
        background: var(--accent);
        border-color: var(--accent);
        color: var(--accent-fg);
      }
      main {
        padding: 1rem 1.25rem 2rem;
        max-width: 1200px;
        margin: 0 auto;
      }
      form.sign-in {
        display: grid;
        gap: 0.75rem;
        max-width: 24rem;
        margin: 12vh auto 0;
        padding: 1.5rem;
        border: 1px solid var(--line);
        border-radius: 10px;
        background: var(--panel);
      }
      form.sign-in input {
        width: 100%;
      }
    `,
  ];

  /** Where the console is served: `<base>/console`. */
  declare root: string;
  declare session: SessionInfo | undefined;
  declare section: Section;
  declare checking: boolean;
  declare signInError: string;
  declare busy: boolean;
  #api: ConsoleApi | undefined;

  constructor() {
    super();
    this.root = '';
    this.section = 'live';
    this.checking = true;
    this.signInError = '';
    this.busy = false;
  }

  get api(): ConsoleApi {
    return (this.#api ??= new ConsoleApi(this.root));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#check();
  }

  async #check(): Promise<void> {
    try {
      this.#signedIn(await this.api.get<SessionInfo>('/session'));
    } catch {
      this.session = undefined;
    } finally {
      this.checking = false;
    }
  }

  #signedIn(session: SessionInfo): void {
    this.api.csrf = session.csrf;
    this.session = session;
  }

  async #signIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const token = (form.elements.namedItem('token') as HTMLInputElement).value;
    this.busy = true;
    this.signInError = '';
    try {
      this.#signedIn(await this.api.send<SessionInfo>('POST', '/session', { token }));
      form.reset();
    } catch (err) {
      this.signInError =
        err instanceof ApiError && err.status === 429
          ? `Too many wrong tokens. Try again in ${Math.ceil((err.retryAfter ?? 60) / 60)} min.`
          : err instanceof ApiError && err.status === 401
            ? 'That token is not right.'
            : 'The console could not sign you in. Try again.';
    } finally {
      this.busy = false;
    }
  }

  async #signOut(): Promise<void> {
    await this.api.send('DELETE', '/session').catch(() => {});
    this.session = undefined;
    this.section = 'live';
  }

  /** A panel's request found the session gone: back to signing in. */
  #expired = (): void => {
    this.session = undefined;
  };

  override render() {
    if (this.checking) return html`<main aria-busy="true"><p class="muted">Loading…</p></main>`;
    if (!this.session) return this.#renderSignIn();
    return html`
      <header>
        <h1>Calls</h1>
        <nav aria-label="Sections">
          <ul>
            ${SECTIONS.map(
              ([id, label]) =>
                html`<li>
                  <button
                    type="button"
                    aria-current=${this.section === id ? 'page' : 'false'}
                    @click=${() => (this.section = id)}
                  >
                    ${label}
                  </button>
                </li>`,
            )}
          </ul>
        </nav>
        <button type="button" @click=${this.#signOut}>Sign out</button>
      </header>
      <main @session-expired=${this.#expired}>${this.#renderSection(this.session)}</main>
    `;
  }

  #renderSection(session: SessionInfo) {
    switch (this.section) {
      case 'live':
        return html`<mt-console-live .api=${this.api}></mt-console-live>`;
      case 'history':
        return html`<mt-console-history .api=${this.api} .session=${session}></mt-console-history>`;
      case 'charts':
        return html`<mt-console-charts .api=${this.api} .session=${session}></mt-console-charts>`;
      case 'scheduled':
        return html`<mt-console-scheduled .api=${this.api}></mt-console-scheduled>`;
    }
  }

  #renderSignIn() {
    return html`<main>
      <form class="sign-in" @submit=${this.#signIn}>
        <h1>Sign in to the call console</h1>
        <label>
          Console token
          <input name="token" type="password" autocomplete="current-password" required />
        </label>
        ${this.signInError ? html`<p class="error" role="alert">${this.signInError}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${this.busy}>Sign in</button>
      </form>
    </main>`;
  }
}
