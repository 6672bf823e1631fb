// Renders the CRM's contacts, each with a ticket-based call button, and notes each
// call's outcome in its row as the widget reports it.
const body = document.getElementById('contacts');

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
  return td;
}

async function contacts() {
  const response = await fetch('/demo/contacts');
  return (await response.json()).contacts;
}

async function load() {
  const list = await contacts();
  body.replaceChildren();
  for (const [index, contact] of list.entries()) {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = contact.name;
    row.append(name);
    cell(row, contact.company);
    cell(row, contact.city);
    const widget = document.createElement('mt-click-to-call');
    widget.setAttribute('endpoint', '/c2c');
    widget.setAttribute('ticket', contact.ticket);
    cell(row, '').append(widget);
    const state = cell(row, 'Not called yet');
    state.className = 'state';
    widget.addEventListener('mt-call-state', (event) => {
      state.textContent = event.state === 'initiated' ? 'Ringing…' : event.state.replace('-', ' ');
    });
    widget.addEventListener('mt-call-error', (event) => {
      state.textContent = `Not placed: ${event.message}`;
    });
    // A ticket serves one call: fetch a fresh one so the agent can call again.
    widget.addEventListener('mt-call-end', async () => {
      widget.setAttribute('ticket', (await contacts())[index].ticket);
    });
    body.append(row);
  }
}

load();
