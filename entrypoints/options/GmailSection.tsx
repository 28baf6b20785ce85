import { EMAIL_KINDS, type EmailKind } from '@/utils/detect/kinds';
import { t, type MessageKey } from '@/utils/i18n';
import type { Settings } from '@/utils/storage/settings';
import { Checkbox, toggled } from './Checkbox';
import type { SaveSettings } from './useSettings';

export const EMAIL_KIND_LABELS: Record<EmailKind, MessageKey> = {
  code: 'options_kind_code',
  security: 'options_kind_security',
  message: 'options_kind_message',
  comment: 'options_kind_comment',
  mention: 'options_kind_mention',
  follower: 'options_kind_follower',
  like: 'options_kind_like',
  live: 'options_kind_live',
  ads: 'options_kind_ads',
  shop: 'options_kind_shop',
  other: 'options_kind_other',
};

export function GmailSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { gmail } = settings;
  const update = (patch: Partial<Settings['gmail']>) => void save({ ...settings, gmail: { ...gmail, ...patch } });
  return (
    <section aria-labelledby="gmail-heading">
      <h2 id="gmail-heading">{t('options_gmail_heading')}</h2>
      <fieldset>
        <legend>{t('options_gmail_kinds_legend')}</legend>
        <div class="grid">
          {EMAIL_KINDS.map((kind) => (
            <Checkbox
              key={kind}
              label={t(EMAIL_KIND_LABELS[kind])}
              checked={gmail.kinds.includes(kind)}
              onChange={(on) => update({ kinds: toggled(EMAIL_KINDS, gmail.kinds, kind, on) })}
            />
          ))}
        </div>
      </fieldset>
      <Checkbox
        label={t('options_gmail_quick_actions')}
        checked={gmail.quick_actions}
        onChange={(on) => update({ quick_actions: on })}
      />
      <Checkbox
        label={t('options_gmail_impersonation_warnings')}
        checked={gmail.impersonation_warnings}
        onChange={(on) => update({ impersonation_warnings: on })}
      />
      <p class="hint">{t('options_gmail_live_hint')}</p>
    </section>
  );
}
