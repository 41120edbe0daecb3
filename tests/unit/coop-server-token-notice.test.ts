// Settings › Coop server tells a signed-in member, in words, when the access token is only
// kept in memory (no usable keychain) and says nothing when it is stored. The real
// signed-in section is rendered to markup with the real translations (server rendering
// reads the store's initial state, so the status is given as a prop, as the page does).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources, namespaces } from '../../shared/i18n/resources';
import { defaultElementUrl, type MatrixStatusView, type TokenStorage } from '../../shared/contract/matrix';
import { SignedIn } from '../../renderer/src/chat/coop-server-settings';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ resources, lng: 'en', fallbackLng: 'en', ns: [...namespaces], defaultNS: 'common', interpolation: { escapeValue: false } });
});

function status(tokenStorage: TokenStorage): MatrixStatusView {
  return {
    session: { homeserverUrl: 'https://matrix.meet.coop', userId: '@ana:meet.coop', deviceId: 'ABCDEF' },
    connection: { status: 'online', lastSyncAt: 0 },
    paused: false,
    sso: { state: 'idle' },
    elementUrl: defaultElementUrl,
    tokenStorage,
  };
}

async function render(view: MatrixStatusView, locale = 'en'): Promise<string> {
  await i18next.changeLanguage(locale);
  return renderToStaticMarkup(createElement(SignedIn, { status: view }));
}

const notice = 'Your computer has no keychain Plenary can use, so you will need to sign in again next time Plenary starts.';

describe('the token storage notice', () => {
  it('is shown, as text, to a member signed in with the token in memory only', async () => {
    const html = await render(status('memory'));
    expect(html).toContain('@ana:meet.coop');
    expect(html).toContain(`<p class="token-storage-notice">${notice}</p>`);
  });

  it('is not shown when the token is stored', async () => {
    for (const storage of ['encrypted', 'user-file'] as const) {
      const html = await render(status(storage));
      expect(html).toContain('@ana:meet.coop');
      expect(html).not.toContain('token-storage-notice');
    }
  });

  it('is translated', async () => {
    const html = await render(status('memory'), 'de');
    expect(html).toContain(i18next.t('settings:secrets.memoryOnly', { lng: 'de' }));
    expect(html).toContain('Schlüsselbund');
    expect(html).not.toContain(notice);
  });
});
