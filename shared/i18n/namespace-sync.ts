// The "sync" namespace in every locale: texts the coop server carries for Element users
// (poll answers, the poll-closed notice) and the sync status shown in the app.
import en from './locales/en/sync.json';
import es from './locales/es/sync.json';
import ca from './locales/ca/sync.json';
import fr from './locales/fr/sync.json';
import de from './locales/de/sync.json';
import ja from './locales/ja/sync.json';

export default { en, es, ca, fr, de, ja };
