import type { VerifyTexts } from '../strings.js';

/** The English of verifying a number by a spoken code; other languages carry their own. */
export const VERIFY_ENGLISH: VerifyTexts = {
  codeSent: 'We are calling {phone} to say a code.',
  codeLabel: 'Code from the call ({digits} digits)',
  check: 'Check the code',
  codeEmpty: 'Enter the code you heard.',
  wrongCode: 'That code is not right. Tries left: {left}.',
  codeExpired: 'This code has expired.',
  resend: 'Call me again with a new code',
  verified: 'Your number is verified.',
  verifyFailed: 'We could not call you with a code. Try again later.',
};
