// The "forum" namespace in every locale: the coop's Discourse forum (Settings › Forum, a
// circle's topics, threads and posting results and minutes) and NextCloud files.
import en from './locales/en/forum.json';
import es from './locales/es/forum.json';
import ca from './locales/ca/forum.json';
import fr from './locales/fr/forum.json';
import de from './locales/de/forum.json';
import ja from './locales/ja/forum.json';

export default { en, es, ca, fr, de, ja };
