import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from './view-props';

// Loaded on first visit: the timeline's virtualizer and HTML sanitizer stay out of the
// shell's first paint.
const ChatPage = lazy(() => import('../chat/chat-page').then((m) => ({ default: m.ChatPage })));

export function ChatView({ params }: ViewProps) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p>{t('loading')}</p>}>
      <ChatPage params={params} />
    </Suspense>
  );
}
