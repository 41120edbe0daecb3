// The "settings" namespace in every locale.
import en from './locales/en/settings.json';
import es from './locales/es/settings.json';
import ca from './locales/ca/settings.json';
import fr from './locales/fr/settings.json';
import de from './locales/de/settings.json';
import ja from './locales/ja/settings.json';

export default { en, es, ca, fr, de, ja };
