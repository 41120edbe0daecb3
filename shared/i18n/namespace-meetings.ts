// The "meetings" namespace in every locale.
import en from './locales/en/meetings.json';
import es from './locales/es/meetings.json';
import ca from './locales/ca/meetings.json';
import fr from './locales/fr/meetings.json';
import de from './locales/de/meetings.json';
import ja from './locales/ja/meetings.json';

export default { en, es, ca, fr, de, ja };
