/** Troubleshooting for linking. */
import { HelpSection } from '@/components/HelpSection';
import { t } from '@/utils/i18n';

export function LinkHelp({ folded = false }: { folded?: boolean }) {
  return (
    <HelpSection
      title={t('popup_help_title')}
      folded={folded}
      items={[
        { question: t('popup_help_no_code_q'), answer: t('popup_help_no_code_a') },
        { question: t('popup_help_wrong_code_q'), answer: t('popup_help_wrong_code_a') },
        { question: t('popup_help_mismatch_q'), answer: t('popup_help_mismatch_a') },
        { question: t('popup_help_already_q'), answer: t('popup_help_already_a') },
        { question: t('popup_help_signin_q'), answer: t('popup_help_signin_a') },
        { question: t('popup_help_lost_gmail_q'), answer: t('popup_help_lost_gmail_a') },
        { question: t('popup_help_where_q'), answer: t('popup_help_where_a') },
      ]}
    />
  );
}
