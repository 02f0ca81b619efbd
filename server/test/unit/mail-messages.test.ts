import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import { confirmationMessage, emailChangedMessage, passwordResetMessage } from '../../src/domain/mail/messages.ts';

const ctx = { instance: 'Photos <&> Friends', username: 'mara' };

test('a reset mail carries its link in the text and in the HTML, and says how long it works', () => {
  const mail = passwordResetMessage(ctx, 'https://photos.example/reset-password/abc_DEF-123', 60 * 60 * 1000);
  assert.match(mail.subject, /Reset your password on Photos <&> Friends/);
  assert.ok(mail.text.includes('\nhttps://photos.example/reset-password/abc_DEF-123\n'));
  assert.ok(mail.html.includes('<a href="https://photos.example/reset-password/abc_DEF-123">'));
  assert.match(mail.text, /within an hour/);
});

test('the HTML part escapes what it quotes (the instance title, a new address)', () => {
  const mail = emailChangedMessage(ctx, '"><script>x</script>@evil.test', 'https://photos.example');
  assert.ok(!mail.html.includes('<script>'));
  assert.ok(mail.html.includes('Photos &lt;&amp;&gt; Friends'));
  assert.ok(mail.text.includes('"><script>x</script>@evil.test'), 'plain text stays as it is');
});

test('confirmation mails differ for a sign-up and a new address', () => {
  assert.match(confirmationMessage(ctx, 'https://x/confirm-email/t', 48 * 3_600_000, 'sign-up').subject, /^Confirm your e-mail address/);
  assert.match(confirmationMessage(ctx, 'https://x/confirm-email/t', 48 * 3_600_000, 'new-address').text, /within 48 hours/);
});

test('GLIMPSE_SMTP_URL takes smtp:// and smtps:// only; GLIMPSE_MAIL_FROM defaults to the quoted title at the public host', () => {
  assert.equal(loadConfig({}).smtpUrl, '');
  assert.equal(loadConfig({ GLIMPSE_SMTP_URL: 'smtps://u:p@mail.example:465' }).smtpUrl, 'smtps://u:p@mail.example:465');
  assert.throws(() => loadConfig({ GLIMPSE_SMTP_URL: 'http://mail.example' }), /smtp:\/\/ or smtps:\/\//);
  assert.throws(() => loadConfig({ GLIMPSE_SMTP_URL: 'not a url' }), /GLIMPSE_SMTP_URL must be a URL/);
  assert.equal(loadConfig({ GLIMPSE_PUBLIC_URL: 'https://photos.example', GLIMPSE_INSTANCE_TITLE: 'Photos, "the" place' }).mailFrom, '"Photos, the place" <notifications@photos.example>');
  assert.equal(loadConfig({ GLIMPSE_MAIL_FROM: 'Me <me@x.example>' }).mailFrom, 'Me <me@x.example>');
});
