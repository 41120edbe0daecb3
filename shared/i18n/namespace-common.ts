// The "common" namespace in every locale.
import en from './locales/en/common.json';
import es from './locales/es/common.json';
import ca from './locales/ca/common.json';
import fr from './locales/fr/common.json';
import de from './locales/de/common.json';
import ja from './locales/ja/common.json';

export default { en, es, ca, fr, de, ja };
