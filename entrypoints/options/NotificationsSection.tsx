import { t, type MessageKey } from '@/utils/i18n';
import { NotificationKind, type Settings } from '@/utils/storage/settings';
import { Checkbox, toggled } from './Checkbox';
import type { SaveSettings } from './useSettings';

const NOTIFICATION_LABELS: Record<NotificationKind, MessageKey> = {
  messages: 'options_notif_messages',
  comments: 'options_notif_comments',
  followers: 'options_notif_followers',
  ads: 'options_notif_ads',
};

export function NotificationsSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { notifications } = settings;
  const update = (patch: Partial<Settings['notifications']>) =>
    void save({ ...settings, notifications: { ...notifications, ...patch } });
  const quiet = notifications.quiet_hours;
  const setQuiet = (patch: Partial<typeof quiet>) => update({ quiet_hours: { ...quiet, ...patch } });
  const setPollMinutes = (value: number) => {
    if (Number.isInteger(value) && value >= 1 && value <= 60) update({ poll_minutes: value });
  };
  return (
    <section aria-labelledby="notif-heading">
      <h2 id="notif-heading">{t('options_notif_heading')}</h2>
      <fieldset>
        <legend>{t('options_notif_kinds_legend')}</legend>
        {NotificationKind.options.map((kind) => (
          <Checkbox
            key={kind}
            label={t(NOTIFICATION_LABELS[kind])}
            checked={notifications.kinds.includes(kind)}
            onChange={(on) => update({ kinds: toggled(NotificationKind.options, notifications.kinds, kind, on) })}
          />
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('options_notif_quiet_legend')}</legend>
        <Checkbox
          label={t('options_notif_quiet_enabled')}
          checked={quiet.enabled}
          onChange={(on) => setQuiet({ enabled: on })}
        />
        <div class="row">
          <label>
            {t('options_notif_quiet_from')}
            <input
              type="time"
              value={quiet.start}
              disabled={!quiet.enabled}
              onChange={(e) => e.currentTarget.value && setQuiet({ start: e.currentTarget.value })}
            />
          </label>
          <label>
            {t('options_notif_quiet_to')}
            <input
              type="time"
              value={quiet.end}
              disabled={!quiet.enabled}
              onChange={(e) => e.currentTarget.value && setQuiet({ end: e.currentTarget.value })}
            />
          </label>
        </div>
      </fieldset>
      <label>
        {t('options_notif_poll_label')}
        <input
          type="number"
          min={1}
          max={60}
          step={1}
          value={notifications.poll_minutes}
          onChange={(e) => setPollMinutes(e.currentTarget.valueAsNumber)}
        />
      </label>
    </section>
  );
}
