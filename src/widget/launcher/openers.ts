/** A widget that can be opened: the launcher's dialog, or the form's focus. */
interface Openable extends Element {
  open(): Promise<void>;
}

let isWatching = false;

/**
 * Lets any element with `data-mt-c2c-open` open a launcher when clicked (a site's own
 * "Call us" link): the widget whose id the attribute names, else the page's first
 * launcher. Without such a widget, the click does what it did before (a `tel:` link
 * still dials).
 */
export function watchOpeners(): void {
  if (isWatching) return;
  isWatching = true;
  document.addEventListener('click', (event) => {
    const opener = event
      .composedPath()
      .find((node): node is Element => node instanceof Element && node.hasAttribute('data-mt-c2c-open'));
    if (!opener) return;
    const id = opener.getAttribute('data-mt-c2c-open');
    const widget = (
      id ? document.getElementById(id) : document.querySelector('mt-click-to-call[launcher]')
    ) as Openable | null;
    if (typeof widget?.open !== 'function') return;
    event.preventDefault();
    void widget.open();
  });
}
