import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * Sets an element's `--dot` colour through the CSS object model. Lit's `styleMap` writes
 * its first value as a `style` attribute, which the console's policy (`style-src 'self'`)
 * refuses; a property set this way is not inline markup and is allowed.
 */
class DotColourDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('dotColour() goes on an element: <span ${dotColour(c)}>');
  }

  render(_colour: string | undefined): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [colour]: [string | undefined]): typeof noChange {
    const { style } = part.element as HTMLElement;
    if (colour) style.setProperty('--dot', colour);
    else style.removeProperty('--dot');
    return noChange;
  }
}

/** `<span class="badge" ${dotColour('#2e7d32')}>`: the badge's dot in that colour. */
export const dotColour = directive(DotColourDirective);
