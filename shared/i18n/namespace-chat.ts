// The "chat" namespace in every locale.
import en from './locales/en/chat.json';
import es from './locales/es/chat.json';
import ca from './locales/ca/chat.json';
import fr from './locales/fr/chat.json';
import de from './locales/de/chat.json';
import ja from './locales/ja/chat.json';

export default { en, es, ca, fr, de, ja };
