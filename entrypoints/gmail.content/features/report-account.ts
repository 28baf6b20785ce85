/** Tells the background which Gmail account this tab shows (account.ts): at start and after each view change. */
import { reportAccount } from '../account';
import { features } from '../feature-registry';

const report = () => void reportAccount().catch(() => null);

features.add({
  id: 'report-account',
  start(ctx) {
    report();
    return ctx.onViewChange(report);
  },
});
