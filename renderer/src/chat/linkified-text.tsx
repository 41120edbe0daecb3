// Plain message text with its web addresses clickable. Links open outside Plenary: the
// Electron shell sends every new-window request to the system browser, and the browser
// bridge opens a new tab without a reference back to Plenary's page.
import { useMemo } from 'react';
import { linkify } from '../../../shared/chat/linkify';

export function LinkifiedText({ text }: { text: string }) {
  const segments = useMemo(() => linkify(text), [text]);
  return (
    <>
      {segments.map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}
