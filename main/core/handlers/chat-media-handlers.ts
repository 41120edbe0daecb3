import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

type ChatMediaCall = Extract<keyof Handlers, `chatMedia.${string}`>;

export function chatMediaHandlers(core: CoreServices): Pick<Handlers, ChatMediaCall> {
  const media = core.chatMedia;
  return {
    'chatMedia.config': () => media.config(),
    'chatMedia.uploadStart': (input) => media.uploadStart(input),
    'chatMedia.uploadChunk': ({ uploadId, index, data }) => media.uploadChunk(uploadId, index, data),
    'chatMedia.uploadFinish': ({ uploadId, image, thumbnail }) => media.uploadFinish(uploadId, image, thumbnail),
    'chatMedia.uploadCancel': ({ uploadId }) => {
      media.uploadCancel(uploadId);
      return { cancelled: true };
    },
    'chatMedia.image': ({ uri, full, message }) => media.image(uri, full, message),
    'chatMedia.imageChunk': ({ imageId, index }) => media.imageChunk(imageId, index),
    'chatMedia.download': ({ uri, name, message }) => media.download(uri, name, message),
    'chatMedia.open': ({ savedId }) => media.open(savedId),
    'chatMedia.showInFolder': ({ savedId }) => media.showInFolder(savedId),
  };
}
