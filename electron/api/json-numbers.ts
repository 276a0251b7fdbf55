import { inexactNumberIn, inexactNumberMessage } from '../../shared/json-numbers';
import { PurserError } from '../core/errors';

/** Refuses a body with a number JSON.parse would round (shared/json-numbers.ts). */
export function assertExactNumbers(text: string): void {
  const literal = inexactNumberIn(text);
  if (literal === undefined) return;
  const { message, shown } = inexactNumberMessage(literal);
  throw new PurserError('invalid_request', `Invalid body: ${message}.`, {
    reason: 'inexact_number',
    number: shown,
  });
}
