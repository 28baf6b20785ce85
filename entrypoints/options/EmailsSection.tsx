/**
 * Options → Emails from the service (issue 15): per linked Gmail address, which TikTok activity the service emails it
 * (`Link.notifications`), and, where the service takes replies by email (`features.reply_by_email`), that answering
 * those emails from any mail app reaches TikTok. Shown only for a service that emails activity.
 */
import { useEffect, useState } from 'preact/hooks';
import type { NotificationSettings } from '@/utils/api/schemas';
import { t, type MessageKey } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import type { EmailedAccount, ResponseOf } from '@/utils/messaging/catalogue';
import { Checkbox } from './Checkbox';
import { Status, type StatusMessage } from './Status';

const KINDS: [keyof NotificationSettings, MessageKey][] = [
  ['messages', 'options_emails_messages'],
  ['comments', 'options_emails_comments'],
  ['mentions', 'options_emails_mentions'],
  ['followers', 'options_emails_followers'],
  ['ads', 'options_emails_ads'],
];

type Emails = ResponseOf<'emailNotifications'>;

function AccountKinds({
  account,
  busy,
  onChange,
}: {
  account: EmailedAccount;
  busy: boolean;
  onChange: (kind: keyof NotificationSettings, on: boolean) => void;
}) {
  const { notifications } = account;
  return (
    <fieldset disabled={busy} data-testid="emailed-account">
      <legend>{t('options_emails_account', [account.gmail, account.username])}</legend>
      {notifications ? (
        KINDS.map(([kind, label]) => (
          <Checkbox key={kind} label={t(label)} checked={notifications[kind]} onChange={(on) => onChange(kind, on)} />
        ))
      ) : (
        <p class="hint">{t('options_emails_not_offered')}</p>
      )}
      {account.stale && <p class="hint">{t('options_emails_stale')}</p>}
    </fieldset>
  );
}

/** `service`: the configured service (mode and URL); the section reads again when it changes. */
export function EmailsSection({ service }: { service: string }) {
  const [emails, setEmails] = useState<Emails | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  useEffect(() => {
    void send('emailNotifications', {}).then((r) => setEmails(r.ok ? r.data : null));
  }, [service]);

  if (!emails || (!emails.reply_by_email && !emails.accounts.some((a) => a.notifications))) return null;

  const put = (next: EmailedAccount) =>
    setEmails((now) => now && { ...now, accounts: now.accounts.map((a) => (a.gmail === next.gmail ? next : a)) });
  /** Shown changed at once; the service's answer is what stays (the box goes back if it refused). */
  const change = async (account: EmailedAccount, kind: keyof NotificationSettings, on: boolean) => {
    put({ ...account, notifications: account.notifications && { ...account.notifications, [kind]: on } });
    setBusy(account.gmail);
    const r = await send('emailNotificationsSet', { gmail: account.gmail, changes: { [kind]: on } });
    setBusy(null);
    put(r.ok ? r.data : account);
    setStatus(
      r.ok
        ? { tone: 'ok', text: t('options_emails_saved', account.gmail) }
        : { tone: 'error', text: t('options_emails_save_failed', [account.gmail, r.error.message]) },
    );
  };

  return (
    <section aria-labelledby="emails-heading">
      <h2 id="emails-heading">{t('options_emails_heading')}</h2>
      <p>{t('options_emails_intro')}</p>
      {emails.reply_by_email && <p data-testid="reply-by-email">{t('options_emails_reply')}</p>}
      {emails.accounts.length ? (
        emails.accounts.map((account) => (
          <AccountKinds
            key={account.gmail}
            account={account}
            busy={busy === account.gmail}
            onChange={(kind, on) => void change(account, kind, on)}
          />
        ))
      ) : (
        <p>{t('options_emails_no_accounts')}</p>
      )}
      <Status status={status} testId="emails-status" />
    </section>
  );
}
