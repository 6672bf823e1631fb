// What the declarations must refuse: each line below is an error, or tsc fails the test.
import 'mt-click-to-call/react';
import type { MtCallErrorEvent } from 'mt-click-to-call';

export const mistakes = [
  // @ts-expect-error -- not a theme
  <mt-click-to-call theme="purple" />,
  // @ts-expect-error -- variables are strings
  <mt-click-to-call variables={{ Name: 42 }} />,
  // @ts-expect-error -- mt-call-end does not carry an error
  <mt-click-to-call onmt-call-end={(event: MtCallErrorEvent) => event.code} />,
  // @ts-expect-error -- no such attribute
  <mt-click-to-call endpont="/c2c" />,
];
