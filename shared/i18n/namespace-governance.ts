// The "governance" namespace in every locale.
import en from './locales/en/governance.json';
import es from './locales/es/governance.json';
import ca from './locales/ca/governance.json';
import fr from './locales/fr/governance.json';
import de from './locales/de/governance.json';
import ja from './locales/ja/governance.json';

export default { en, es, ca, fr, de, ja };
