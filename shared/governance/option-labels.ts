// What a vote's option labels may be, checked where a vote is made (the form as it is typed,
// the store's rules for local operations): two options may not read the same once case and
// spaces are ignored ("Bruno" and " bruno "), and a show of hands has one place for
// abstentions, its Abstentions count, so no option may be an abstention.

/** An option label compared ignoring case, spaces and compatibility forms (full-width letters). */
export function optionKey(label: string): string {
  return label.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** Indexes of labels that repeat an earlier one (by optionKey); empty labels are left to "required". */
export function duplicateOptionIndexes(labels: readonly string[]): number[] {
  const seen = new Set<string>();
  const repeats: number[] = [];
  labels.forEach((label, index) => {
    const key = optionKey(label);
    if (key === '') return;
    if (seen.has(key)) repeats.push(index);
    seen.add(key);
  });
  return repeats;
}

/**
 * "Abstain" and "Abstention(s)" in the six interface languages (as the Abstentions field and
 * the consent position read, singular and plural), and the usual English verb forms.
 */
const abstainWords = new Set(
  [
    'abstain', 'abstains', 'abstained', 'abstention', 'abstentions',
    'abstención', 'abstenciones', 'abstenerse', 'abstenció', 'abstencions', 'abstenir-se',
    'abstenir', "s'abstenir", 'enthaltung', 'enthaltungen', 'enthalten', 'stimmenthaltung', 'stimmenthaltungen',
    '棄権',
  ].map(optionKey),
);

export function isAbstainLabel(label: string): boolean {
  return abstainWords.has(optionKey(label).replace(/[.!。]+$/u, ''));
}
