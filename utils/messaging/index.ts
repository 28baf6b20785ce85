/**
 * Typed messaging between the content script, the extension pages and the background worker,
 * on top of @webext-core/messaging. Callers get a `Result`, never a thrown error.
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { MessageName, RequestOf, ResponseOf, Result } from './catalogue';

export type ProtocolMap = { [K in MessageName]: (data: RequestOf<K>) => Result<ResponseOf<K>> };

export const messaging = defineExtensionMessaging<ProtocolMap>();

export async function send<K extends MessageName>(name: K, data: RequestOf<K>): Promise<Result<ResponseOf<K>>> {
  try {
    return (await messaging.sendMessage(name, data as never)) as Result<ResponseOf<K>>;
  } catch (e) {
    return {
      ok: false,
      error: { code: 'unreachable', message: `The extension's background worker did not answer (${String((e as Error)?.message ?? e)}).` },
    };
  }
}
