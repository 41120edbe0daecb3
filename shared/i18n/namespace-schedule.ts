// The "schedule" namespace in every locale.
import en from './locales/en/schedule.json';
import es from './locales/es/schedule.json';
import ca from './locales/ca/schedule.json';
import fr from './locales/fr/schedule.json';
import de from './locales/de/schedule.json';
import ja from './locales/ja/schedule.json';

export default { en, es, ca, fr, de, ja };
