// The GlobalComponents declaration, as Vue's template type checker reads it.
import type { GlobalComponents } from 'vue';
import 'mt-click-to-call/vue';
import type { MtCallEndEvent } from 'mt-click-to-call';

type Props = InstanceType<GlobalComponents['mt-click-to-call']>['$props'];

export const fine: Props = {
  endpoint: '/c2c',
  theme: 'dark',
  'button-label': 'Ring me',
  'onMt-call-end': (event: MtCallEndEvent) => event.state,
};
// @ts-expect-error -- not a theme
export const wrongTheme: Props = { theme: 'purple' };
// @ts-expect-error -- variables are strings
export const wrongVariables: Props = { variables: { Name: 42 } };
