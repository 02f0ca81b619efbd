import { boolish, text, z } from '../input.ts';

/**
 * The body of a sign-up, for both doors (POST /api/v1/accounts and the web client's
 * /api/glimpse/v1/registrations). Bounded loosely here; the field rules themselves (blank, too
 * short or long, invalid, reserved, taken, blocked) are AccountService.register's, so every
 * refusal carries Mastodon's `details` with its ERR_… code. A missing field is blank, a
 * missing agreement is not accepted.
 */
export const registrationInput = z.object({
  username: text(1000).optional().default(''),
  email: text(2000).optional().default(''),
  password: text(1000).optional().default(''),
  agreement: boolish.optional().default(false),
  locale: text(16).optional(),
  reason: text(5000).optional(),
});
