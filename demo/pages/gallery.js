// Fills the gallery: one widget per state, each pointed at the stand-in relay's scenario
// for that state (demo/state-relay.ts) and started at once, in the language the page's
// address names (?lang=hi), for a visitor's form and for a CRM's ticket buttons.
const LANGUAGES = [
  ['en', 'English'],
  ['hi', 'हिन्दी'],
  ['bn', 'বাংলা'],
  ['mr', 'मराठी'],
  ['ta', 'தமிழ்'],
  ['te', 'తెలుగు'],
];

const VISITOR = [
  ['idle', 'Before anything'],
  ['phone-error', 'A number of the wrong shape'],
  ['consent', 'Consent not given'],
  ['submitting', 'Asking the relay'],
  ['initiated', 'The phone is ringing'],
  ['late', 'No outcome after the ringing time'],
  ['completed', 'Call finished'],
  ['busy', 'Line busy'],
  ['no-answer', 'Not answered'],
  ['agent-unavailable', 'Nobody at the business'],
  ['unreachable', 'Number unreachable'],
  ['canceled', 'Visitor hung up'],
  ['failed', 'Call failed'],
  ['unknown', 'No report in time'],
  ['rate_limited', 'Too many calls'],
  ['call_in_progress', 'Another call to this number'],
  ['upstream_timeout', 'Mobtexting too slow'],
  ['upstream_error', 'Mobtexting failed'],
  ['country_not_allowed', 'A country the relay does not call'],
  ['invalid_phone', 'The relay refused the number'],
  ['unknown_target', 'Set up wrongly (the console says how)'],
  ['origin_not_allowed', 'A page the relay refuses'],
  ['network', 'The relay cannot be reached; fallback-tel'],
];

const TICKET = [
  ['idle', 'Ready to call'],
  ['agent-busy', 'The agent is on another call'],
  ['submitting', 'Asking the relay'],
  ['initiated', 'Ringing the agent, then the customer'],
  ['late', 'No outcome after the ringing time'],
  ['completed', 'Call finished'],
  ['busy', 'Customer’s line busy'],
  ['no-answer', 'Customer did not answer'],
  ['agent-unavailable', 'The agent did not answer'],
  ['unreachable', 'Customer unreachable'],
  ['canceled', 'Call canceled'],
  ['failed', 'Call failed'],
  ['unknown', 'No report in time'],
  ['invalid_ticket', 'A used or expired ticket'],
  ['network', 'The relay cannot be reached'],
];

// A ticket's label is all a page reads of it; this one is unsigned, for show only.
const label = new TextEncoder().encode(JSON.stringify({ label: 'Asha (+91 98••• ••258)' }));
const SAMPLE_TICKET = `e30.${btoa(String.fromCharCode(...label)).replace(/=+$/, '')}.x`;

const lang = new URLSearchParams(location.search).get('lang') ?? 'en';
const languages = document.getElementById('languages');
for (const [code, name] of LANGUAGES) {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = `?lang=${code}`;
  link.lang = code;
  link.textContent = name;
  if (code === lang) link.setAttribute('aria-current', 'page');
  item.append(link);
  languages.append(item);
}

/** Where a scenario's widget sends its calls. */
function endpointOf(scenario) {
  if (scenario === 'network') return 'http://127.0.0.1:9/c2c';
  return `/demo/states/${scenario === 'agent-busy' ? 'initiated' : scenario}`;
}

/**
 * A widget that was calling before the page loaded picks its call up again; the late one
 * was accepted two minutes ago, past its ringing time (the widget keeps its call in the
 * tab under `mt-click-to-call:<endpoint> <id>`).
 */
function keepLateCall(widget) {
  const key = `mt-click-to-call:${widget.getAttribute('endpoint')} ${widget.id}`;
  sessionStorage.setItem(key, JSON.stringify({ callId: 'late-0-1', at: Date.now() - 120_000 }));
}

for (const grid of document.querySelectorAll('.states')) {
  const ticket = grid.dataset.mode === 'ticket';
  for (const [scenario, caption] of ticket ? TICKET : VISITOR) {
    const figure = document.createElement('figure');
    const widget = document.createElement('mt-click-to-call');
    widget.id = `${grid.dataset.mode}-${grid.dataset.theme ?? 'light'}-${scenario}`;
    widget.lang = lang;
    widget.setAttribute('endpoint', endpointOf(scenario));
    widget.setAttribute('target', 'sales');
    if (grid.dataset.theme) widget.setAttribute('theme', grid.dataset.theme);
    if (scenario === 'network') widget.setAttribute('fallback-tel', '+91 80 4600 0100');
    if (ticket) widget.setAttribute('ticket', SAMPLE_TICKET);
    else {
      if (scenario === 'consent') widget.setAttribute('consent', 'I agree to be called about my enquiry.');
      if (scenario !== 'idle') widget.setAttribute('phone', scenario === 'phone-error' ? '12' : '98765 43210');
    }
    if (scenario === 'late') keepLateCall(widget);
    const text = document.createElement('figcaption');
    const code = document.createElement('code');
    text.append(`${caption} · `, code);
    figure.append(widget, text);
    grid.append(figure);
    const show = () => (code.textContent = `state=${widget.state}`);
    for (const type of ['mt-call-request', 'mt-call-state', 'mt-call-error', 'mt-call-end'])
      widget.addEventListener(type, () => queueMicrotask(show));
    customElements.whenDefined('mt-click-to-call').then(async () => {
      await widget.updateComplete;
      show();
      if (!['idle', 'late', 'agent-busy'].includes(scenario)) widget.call();
      setTimeout(show, 2500);
    });
  }
}
