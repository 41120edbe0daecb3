// What a member types into a search (the decision archive, chat): bounded in length and in
// words, parsed by the one query parser both searches share (governance/archive-query.ts).
import { z } from 'zod';
import { archiveQueryMaxLength, archiveQueryMaxTerms, parseArchiveQuery } from '../governance/archive-query';

export const searchTextSchema = z
  .string()
  .max(archiveQueryMaxLength, `must be at most ${archiveQueryMaxLength} characters`)
  .refine((text) => {
    const terms = parseArchiveQuery(text);
    return terms.indexed.length + terms.short.length <= archiveQueryMaxTerms;
  }, `must have at most ${archiveQueryMaxTerms} words or phrases`);
