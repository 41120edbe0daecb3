// The 64 emoji of SAS verification, in the specification's order
// (https://spec.matrix.org/v1.12/client-server-api/#sas-method-emoji): the short
// authentication string picks seven of them by index. Each has an i18n key under
// settings:sasEmoji, so the member reads the names in their language, as Element shows them.
export const sasEmoji = [
  ['🐶', 'dog'], ['🐱', 'cat'], ['🦁', 'lion'], ['🐎', 'horse'], ['🦄', 'unicorn'], ['🐷', 'pig'], ['🐘', 'elephant'], ['🐰', 'rabbit'],
  ['🐼', 'panda'], ['🐓', 'rooster'], ['🐧', 'penguin'], ['🐢', 'turtle'], ['🐟', 'fish'], ['🐙', 'octopus'], ['🦋', 'butterfly'], ['🌷', 'flower'],
  ['🌳', 'tree'], ['🌵', 'cactus'], ['🍄', 'mushroom'], ['🌏', 'globe'], ['🌙', 'moon'], ['☁️', 'cloud'], ['🔥', 'fire'], ['🍌', 'banana'],
  ['🍎', 'apple'], ['🍓', 'strawberry'], ['🌽', 'corn'], ['🍕', 'pizza'], ['🎂', 'cake'], ['❤️', 'heart'], ['😀', 'smiley'], ['🤖', 'robot'],
  ['🎩', 'hat'], ['👓', 'glasses'], ['🔧', 'spanner'], ['🎅', 'santa'], ['👍', 'thumbsUp'], ['☂️', 'umbrella'], ['⌛', 'hourglass'], ['⏰', 'clock'],
  ['🎁', 'gift'], ['💡', 'lightBulb'], ['📕', 'book'], ['✏️', 'pencil'], ['📎', 'paperclip'], ['✂️', 'scissors'], ['🔒', 'lock'], ['🔑', 'key'],
  ['🔨', 'hammer'], ['☎️', 'telephone'], ['🏁', 'flag'], ['🚂', 'train'], ['🚲', 'bicycle'], ['✈️', 'aeroplane'], ['🚀', 'rocket'], ['🏆', 'trophy'],
  ['⚽', 'ball'], ['🎸', 'guitar'], ['🎺', 'trumpet'], ['🔔', 'bell'], ['⚓', 'anchor'], ['🎧', 'headphones'], ['📁', 'folder'], ['📌', 'pin'],
] as const satisfies readonly (readonly [string, string])[];

export type SasEmojiName = (typeof sasEmoji)[number][1];

export interface SasEmojiView {
  symbol: string;
  /** The i18n key under settings:sasEmoji. */
  name: SasEmojiName;
}

/** The emoji for the seven indexes of a short authentication string; refuses anything else. */
export function sasEmojiFor(indexes: readonly number[]): SasEmojiView[] {
  if (indexes.length !== 7) throw new Error(`a short authentication string has 7 emoji, not ${indexes.length}`);
  return indexes.map((index) => {
    const entry = Number.isInteger(index) ? sasEmoji[index] : undefined;
    if (!entry) throw new Error(`no SAS emoji has index ${index}`);
    return { symbol: entry[0], name: entry[1] };
  });
}
