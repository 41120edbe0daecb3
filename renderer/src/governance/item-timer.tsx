// The running timer of the agenda item an assembly is on: time spent since it became the
// current item, against its timebox, and a word when the time is up. It ticks every
// second; only the moment the timebox runs out is announced (a timer that read itself out
// every second would drown the meeting).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Minutes and seconds, "4:05", or hours too, "1:04:05". */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function ItemTimer({ since, timeboxMinutes, title }: { since: number; timeboxMinutes: number | null; title: string }) {
  const { t } = useTranslation('governance');
  const now = useNow(1000);
  const spent = Math.max(0, now - since);
  const box = timeboxMinutes === null ? null : timeboxMinutes * 60_000;
  const over = box !== null && spent > box;
  return (
    <p className={over ? 'gov-timer over' : 'gov-timer'}>
      <span role="timer">
        {box === null
          ? t('timer.running', { time: clock(spent) })
          : over
            ? t('timer.over', { time: clock(spent - box), box: clock(box) })
            : t('timer.runningOf', { time: clock(spent), box: clock(box) })}
      </span>
      <span className="visually-hidden" role="status">
        {over ? t('timer.timeUp', { title }) : ''}
      </span>
    </p>
  );
}
