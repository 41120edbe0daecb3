// The member's NextCloud: sign-in with Login Flow v2, browsing folders, uploading with
// progress, attaching files to agenda items and votes as share links, and saving exported
// minutes into a folder. See README "The coop's files".
import { z } from 'zod';
import { call, event, returns } from './define';
import { entityIdSchema } from '../governance/operation';
import { attachmentSubjectSchema } from '../governance/link-operation-types';
import { supportedLocales } from '../locales';
import { maxChunkBytes } from './data';
import type { CloudEntry, CloudListing, CloudStatusView, CloudUploadProgress } from '../cloud/types';
import type { AttachmentView } from '../forum/types';

const path = z.string().max(4096);
const uploadId = z.string().regex(/^[0-9a-f]{32}$/);

export const cloudCalls = {
  cloud: {
    status: call(z.object({}).strict(), returns<CloudStatusView>()),
    /** The member's own NextCloud address; '' to use the coop's (coop.json). */
    setAddress: call(z.object({ address: z.string().trim().max(2048) }).strict(), returns<CloudStatusView>()),
    /** Starts Login Flow v2: opens NextCloud's login page (the page opens it itself in the browser bridge). */
    signIn: call(z.object({}).strict(), returns<{ url: string; openedExternally: boolean }>()),
    cancelSignIn: call(z.object({}).strict(), returns<CloudStatusView>()),
    /** Revokes the app password on NextCloud (when it answers) and forgets it here. */
    signOut: call(z.object({}).strict(), returns<{ status: CloudStatusView; revokedOnServer: boolean }>()),
    browse: call(z.object({ path }).strict(), returns<CloudListing>()),
    uploadStart: call(z.object({ folder: path, name: z.string().min(1).max(255), sizeBytes: z.int().min(0).max(5 * 1024 ** 3) }).strict(), returns<{ uploadId: string; chunkBytes: number }>()),
    uploadChunk: call(z.object({ uploadId, index: z.int().min(0), data: z.base64().max(Math.ceil(maxChunkBytes / 3) * 4) }).strict(), returns<{ received: number }>()),
    /** Sends the file to NextCloud (cloud.upload events report progress); all or nothing. */
    uploadFinish: call(z.object({ uploadId }).strict(), returns<CloudEntry>()),
    uploadCancel: call(z.object({ uploadId }).strict(), returns<{ cancelled: true }>()),
    /** Shares the file as a public link and attaches it to the agenda item or vote (an operation every member gets). */
    attach: call(z.object({ circleId: entityIdSchema, subject: attachmentSubjectSchema, path }).strict(), returns<AttachmentView>()),
    /** Saves the assembly's exported minutes (Markdown) into a NextCloud folder. */
    saveMinutes: call(z.object({ circleId: entityIdSchema, assemblyId: entityIdSchema, folder: path, locale: z.enum(supportedLocales) }).strict(), returns<CloudEntry>()),
  },
};

export const cloudEvents = {
  'cloud.status': event<CloudStatusView>(),
  'cloud.upload': event<CloudUploadProgress>(),
};
