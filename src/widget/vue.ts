/**
 * Types `<mt-click-to-call>` in Vue 3.5 templates (for `vue-tsc` and Volar). Import this
 * module once (`import 'mt-click-to-call/vue';`; it adds no code). Vue must also be told
 * that the tag is a custom element: `compilerOptions.isCustomElement` (see the README).
 */
import type { AllowedComponentProps, ComponentCustomProps, HTMLAttributes, VNodeProps } from 'vue';
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

/** The attributes and properties a template may set on `<mt-click-to-call>`. */
export type MtClickToCallVueProps = HTMLAttributes &
  Partial<
    Pick<
      MtClickToCall,
      | 'endpoint'
      | 'target'
      | 'country'
      | 'phone'
      | 'ticket'
      | 'consent'
      | 'verify'
      | 'label'
      | 'theme'
      | 'disabled'
      | 'variables'
      | 'strings'
      | 'humanToken'
    >
  > & {
    'button-label'?: string;
    'fallback-tel'?: string;
    launcher?: boolean | 'bottom-right' | 'bottom-left';
    'onMt-call-request'?: (event: MtCallRequestEvent) => void;
    'onMt-call-initiated'?: (event: MtCallInitiatedEvent) => void;
    'onMt-call-scheduled'?: (event: MtCallScheduledEvent) => void;
    'onMt-call-state'?: (event: MtCallStateEvent) => void;
    'onMt-call-end'?: (event: MtCallEndEvent) => void;
    'onMt-call-error'?: (event: MtCallErrorEvent) => void;
    'onMt-verified'?: (event: MtVerifiedEvent) => void;
    onMtCallRequest?: (event: MtCallRequestEvent) => void;
    onMtCallInitiated?: (event: MtCallInitiatedEvent) => void;
    onMtCallScheduled?: (event: MtCallScheduledEvent) => void;
    onMtCallState?: (event: MtCallStateEvent) => void;
    onMtCallEnd?: (event: MtCallEndEvent) => void;
    onMtCallError?: (event: MtCallErrorEvent) => void;
    onMtVerified?: (event: MtVerifiedEvent) => void;
  };

/** `<mt-click-to-call>` as Vue's type checker sees a component: the element, with its props. */
export type MtClickToCallVue = new () => MtClickToCall & {
  $props: MtClickToCallVueProps & AllowedComponentProps & ComponentCustomProps & VNodeProps;
};

declare module 'vue' {
  interface GlobalComponents {
    'mt-click-to-call': MtClickToCallVue;
  }
}
