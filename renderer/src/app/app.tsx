import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { formatRoute, sections, type Section } from '../store/nav-slice';
import { changeLocale, systemLocale } from '../i18n';
import { views } from '../views';
import { SectionIcon } from './icons';
import { ErrorBanner } from './error-banner';
import { StatusArea } from './status-area';
import { ChatNavBadge } from '../chat/chat-nav-badge';
import { VerificationNotice } from '../chat/verification-notice';

function useThemeAndLocale() {
  const theme = usePlenary((s) => s.settings?.values.theme ?? 'system');
  const locale = usePlenary((s) => s.settings?.values.locale ?? 'system');
  useEffect(() => {
    // 'system' leaves the attribute off so the prefers-color-scheme rules apply.
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    void changeLocale(locale === 'system' ? systemLocale() : locale);
  }, [locale]);
}

function NavLink({ section, current }: { section: Section; current: boolean }) {
  const { t } = useTranslation();
  const navigate = usePlenary((s) => s.navigate);
  return (
    <li>
      <a
        href={formatRoute({ section, params: [] })}
        aria-current={current ? 'page' : undefined}
        title={t(`nav.${section}`)}
        onClick={(event) => {
          event.preventDefault();
          navigate(section);
        }}
      >
        <SectionIcon section={section} />
        <span className="nav-label">{t(`nav.${section}`)}</span>
        {section === 'chat' && <ChatNavBadge />}
      </a>
    </li>
  );
}

export function App() {
  const { t } = useTranslation();
  const route = usePlenary((s) => s.route);
  const syncRouteFromLocation = usePlenary((s) => s.syncRouteFromLocation);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useThemeAndLocale();

  useEffect(() => {
    syncRouteFromLocation(window.location.hash);
    const onPop = () => syncRouteFromLocation(window.location.hash);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [syncRouteFromLocation]);

  useEffect(() => {
    // Move focus to the new view so keyboard and screen reader users land on its content.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [route.section]);

  const View = views[route.section];
  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        {t('skipToContent')}
      </a>
      <nav className="sidebar" aria-label={t('nav.label')}>
        {/* elementtiming: the browser records when the shell is painted (the bench reads it). */}
        <div className="brand" aria-hidden="true" {...{ elementtiming: 'shell' }}>
          {t('appName')}
        </div>
        <ul>
          {sections.map((section) => (
            <NavLink key={section} section={section} current={route.section === section} />
          ))}
        </ul>
        <StatusArea />
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1} className="content">
        <ErrorBanner />
        <VerificationNotice />
        <Suspense fallback={<p className="muted">{t('loading')}</p>}>
          <View params={route.params} />
        </Suspense>
      </main>
    </div>
  );
}
