import { fixtureSync, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../src/widget/define.js';
import type { MtClickToCall } from '../../src/widget/index.js';
import type { WidgetState } from '../../src/protocol/index.js';

export { html };

// Each test starts in a fresh tab, as far as widgets can tell: no call kept from a test before.
beforeEach(() => sessionStorage.clear());

// Each test file ends by checking that no relay response carried a secret.
after(async () => {
  const { leaks } = await (await fetch('/__leaks')).json();
  if (leaks.length > 0) throw new Error(`a secret was seen in: ${leaks.join(', ')}`);
});

/**
 * Renders a widget (or a template holding one) and answers the widget. Waits for Lit's
 * update only, not for an animation frame, which pages running in the background of a
 * parallel test run do not get.
 */
export async function mount(template: TemplateResult): Promise<MtClickToCall> {
  const root = fixtureSync<HTMLElement>(template);
  const widget =
    root.localName === 'mt-click-to-call' ? (root as MtClickToCall) : root.querySelector('mt-click-to-call')!;
  await widget.updateComplete;
  return widget;
}

/** A part of the widget's shadow DOM, or `null`. */
export function part<T extends HTMLElement = HTMLElement>(widget: MtClickToCall, name: string): T | null {
  return widget.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

/** The text of a part as a visitor sees it (hidden text left out), trimmed. */
export function text(widget: MtClickToCall, name: string): string {
  return visibleText(part(widget, name));
}

/** The text of an element as a visitor sees it: text in hidden elements is left out. */
export function visibleText(element: Element | null): string {
  if (!element) return '';
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let seen = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (getComputedStyle(node.parentElement!).visibility === 'visible') seen += node.textContent;
  }
  return seen.replace(/\s+/g, ' ').trim();
}

/** Waits until the widget reaches a state; a time-out says the state it was in then. */
export async function until(widget: MtClickToCall, state: WidgetState, timeout = 8000): Promise<void> {
  await waitUntil(() => widget.state === state, undefined, { timeout }).catch(() => {
    throw new Error(`Timeout: state ${state}, still ${widget.state}`);
  });
  await widget.updateComplete;
}

/** Types a number as a visitor would (setting the value and firing input). */
export async function typeNumber(widget: MtClickToCall, value: string): Promise<void> {
  const input = part<HTMLInputElement>(widget, 'input')!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await widget.updateComplete;
}

/** Presses the Call button. */
export async function pressCall(widget: MtClickToCall): Promise<void> {
  part(widget, 'button')!.click();
  await widget.updateComplete;
}

/** Bodies of the Click2Call requests the sandbox has received so far. */
export async function sandboxRequests(): Promise<Record<string, string>[]> {
  return (await (await fetch('/__sandbox')).json()).requests;
}

/** Collects the widget's events, in order. */
export function recordEvents(widget: MtClickToCall): Event[] {
  const events: Event[] = [];
  for (const type of ['mt-call-request', 'mt-call-initiated', 'mt-call-state', 'mt-call-end', 'mt-call-error']) {
    widget.addEventListener(type, (event) => events.push(event));
  }
  return events;
}

let counter = 0;

/**
 * A fresh Indian mobile number, so calls in different tests never share a number. Without
 * `ending` it ends in 8, which no sandbox test number does: the call completes.
 */
export function freshNumber(ending = ''): string {
  counter++;
  const random = String(Math.floor(Math.random() * 1e5)).padStart(5, '0');
  const base = `9${random}${String(counter % 1000).padStart(3, '0')}8`;
  return ending ? base.slice(0, 10 - ending.length) + ending : base;
}

/** The widget's next event of a type, typed as the widget fires it. */
export function nextEvent<K extends keyof HTMLElementEventMap>(
  widget: MtClickToCall,
  type: K,
): Promise<HTMLElementEventMap[K]> {
  return new Promise((resolve) => widget.addEventListener(type, resolve, { once: true }));
}
