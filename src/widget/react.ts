/**
 * Types `<mt-click-to-call>` for JSX in React 19. Import this module once in an app that
 * type-checks its JSX (`import 'mt-click-to-call/react';`; it adds no code): the element's
 * attributes and properties become typed props, its events typed `onmt-call-*` props
 * (React 19 listens to a custom element's events by their name), and `ref` the element.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  MtCallEndEvent,
  MtCallErrorEvent,
  MtCallInitiatedEvent,
  MtCallRequestEvent,
  MtCallScheduledEvent,
  MtCallStateEvent,
} from './events.js';
import type { MtClickToCall } from './mt-click-to-call.component.js';
import type { MtVerifiedEvent } from './verify/verified-event.js';
import type { StringOverrides } from './strings.js';

/** The props of `<mt-click-to-call>` in JSX. */
export interface MtClickToCallProps extends DetailedHTMLProps<HTMLAttributes<MtClickToCall>, MtClickToCall> {
  endpoint?: string;
  target?: string;
  country?: string;
  phone?: string;
  ticket?: string;
  consent?: string;
  verify?: string;
  label?: string;
  'button-label'?: string;
  'fallback-tel'?: string;
  theme?: 'light' | 'dark' | 'auto';
  launcher?: boolean | 'bottom-right' | 'bottom-left';
  disabled?: boolean;
  variables?: Record<string, string>;
  strings?: StringOverrides;
  humanToken?: string;
  'onmt-call-request'?: (event: MtCallRequestEvent) => void;
  'onmt-call-initiated'?: (event: MtCallInitiatedEvent) => void;
  'onmt-call-scheduled'?: (event: MtCallScheduledEvent) => void;
  'onmt-call-state'?: (event: MtCallStateEvent) => void;
  'onmt-call-end'?: (event: MtCallEndEvent) => void;
  'onmt-call-error'?: (event: MtCallErrorEvent) => void;
  'onmt-verified'?: (event: MtVerifiedEvent) => void;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- how React types its JSX elements
  namespace JSX {
    interface IntrinsicElements {
      'mt-click-to-call': MtClickToCallProps;
    }
  }
}
