// Fills the gallery: one widget per state, each pointed at the stand-in relay's
// scenario for that state and started at once.
const SCENARIOS = [
  ['idle', 'Before anything'],
  ['phone-error', 'A number of the wrong shape'],
  ['consent', 'Consent required'],
  ['submitting', 'Asking the relay'],
  ['initiated', 'The phone is ringing'],
  ['completed', 'Call finished'],
  ['busy', 'Line busy'],
  ['no-answer', 'Not answered'],
  ['agent-unavailable', 'Nobody at the business'],
  ['unreachable', 'Number unreachable'],
  ['canceled', 'Visitor hung up'],
  ['failed', 'Call failed'],
  ['unknown', 'No report in time'],
  ['rate_limited', 'Too many calls'],
  ['upstream_timeout', 'Mobtexting too slow'],
  ['upstream_error', 'Mobtexting failed'],
  ['relay_misconfigured', 'Relay set up wrongly'],
  ['invalid_phone', 'The relay refused the number'],
  ['ticket', 'A CRM ticket button'],
];

// A ticket's label is all a page reads of it; this one is unsigned, for show only.
const label = new TextEncoder().encode(JSON.stringify({ label: 'Asha (+91 98••• ••258)' }));
const SAMPLE_TICKET = `e30.${btoa(String.fromCharCode(...label)).replace(/=+$/, '')}.x`;

for (const grid of document.querySelectorAll('.states')) {
  for (const [scenario, caption] of SCENARIOS) {
    const figure = document.createElement('figure');
    const widget = document.createElement('mt-click-to-call');
    widget.setAttribute('lang', grid.dataset.lang);
    widget.setAttribute('endpoint', `/demo/states/${scenario}`);
    widget.setAttribute('target', 'sales');
    if (scenario === 'consent') widget.setAttribute('consent', 'I agree to be called about my enquiry.');
    if (scenario === 'ticket') widget.setAttribute('ticket', SAMPLE_TICKET);
    else if (scenario !== 'idle') widget.setAttribute('phone', scenario === 'phone-error' ? '12' : '98765 43210');
    const text = document.createElement('figcaption');
    const code = document.createElement('code');
    text.append(`${caption} · `, code);
    figure.append(widget, text);
    grid.append(figure);
    const show = () => (code.textContent = `state=${widget.state}`);
    for (const type of ['mt-call-request', 'mt-call-state', 'mt-call-error', 'mt-call-end'])
      widget.addEventListener(type, () => queueMicrotask(show));
    customElements.whenDefined('mt-click-to-call').then(() => {
      show();
      if (!['idle', 'ticket'].includes(scenario)) widget.call();
      setTimeout(show, 2000);
    });
  }
}
