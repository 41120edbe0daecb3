// The "data" namespace in every locale: Settings › Data (backups, export, import) and the
// recovery screen shown when the store cannot be opened.
import en from './locales/en/data.json';
import es from './locales/es/data.json';
import ca from './locales/ca/data.json';
import fr from './locales/fr/data.json';
import de from './locales/de/data.json';
import ja from './locales/ja/data.json';

export default { en, es, ca, fr, de, ja };
