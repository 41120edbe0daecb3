import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';
import { GovernanceQueries } from '../governance/governance-queries';
import { minutesMarkdown } from '../governance/governance-exports';
import { circleLinks } from '../forum/circle-links';
import { newId } from '../../../shared/governance/ids';

type CloudCall = Extract<keyof Handlers, `cloud.${string}`>;

export function cloudHandlers(core: CoreServices): Pick<Handlers, CloudCall> {
  const { cloud } = core;
  const queries = new GovernanceQueries(core.db, () => core.identity.current(), () => core.clock.now());
  return {
    'cloud.status': () => cloud.view(),
    'cloud.setAddress': ({ address }) => cloud.setAddress(address),
    'cloud.signIn': () => cloud.signIn(),
    'cloud.cancelSignIn': () => cloud.cancelSignIn(),
    'cloud.signOut': () => cloud.signOut(),
    'cloud.browse': ({ path }) => cloud.browse(path),
    'cloud.uploadStart': (input) => cloud.uploadStart(input),
    'cloud.uploadChunk': ({ uploadId, index, data }) => cloud.uploadChunk(uploadId, index, data),
    'cloud.uploadFinish': ({ uploadId }) => cloud.uploadFinish(uploadId),
    'cloud.uploadCancel': ({ uploadId }) => {
      cloud.uploadCancel(uploadId);
      return { cancelled: true };
    },
    'cloud.attach': async ({ circleId, subject, path }) => {
      queries.circle(circleId);
      const shared = await cloud.share(path);
      const attachmentId = newId(core.clock.now());
      core.governance.applyLocal('attachment.add', circleId, { attachmentId, subject, name: shared.name, url: shared.url, sizeBytes: shared.sizeBytes });
      return circleLinks(core.db, circleId).attachments.find((a) => a.attachmentId === attachmentId)!;
    },
    'cloud.saveMinutes': ({ circleId, assemblyId, folder, locale }) => {
      const file = minutesMarkdown(queries.assembly(circleId, assemblyId), locale, queries.circle(circleId).timezone);
      return cloud.saveText(folder, file.filename, file.text, 'text/markdown; charset=utf-8');
    },
  };
}
