import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

type ChatMediaCall = Extract<keyof Handlers, `chatMedia.${string}`>;

export function chatMediaHandlers(core: CoreServices): Pick<Handlers, ChatMediaCall> {
  const media = core.chatMedia;
  return {
    'chatMedia.config': () => media.config(),
    'chatMedia.uploadStart': (input) => media.uploadStart(input),
    'chatMedia.uploadChunk': ({ uploadId, index, data }) => media.uploadChunk(uploadId, index, data),
    'chatMedia.uploadFinish': ({ uploadId, image }) => media.uploadFinish(uploadId, image),
    'chatMedia.uploadCancel': ({ uploadId }) => {
      media.uploadCancel(uploadId);
      return { cancelled: true };
    },
    'chatMedia.image': ({ uri, full }) => media.image(uri, full),
    'chatMedia.imageChunk': ({ imageId, index }) => media.imageChunk(imageId, index),
    'chatMedia.download': ({ uri, name }) => media.download(uri, name),
    'chatMedia.open': ({ savedId }) => media.open(savedId),
    'chatMedia.showInFolder': ({ savedId }) => media.showInFolder(savedId),
  };
}
