// Reading "!log 1h30 care onboarding" (shared/governance/log-command.ts): durations, streams
// in each language, and each way a message can be wrong.
import { describe, expect, it } from 'vitest';
import { isLogCommand, parseDuration, parseLogCommand } from '../../shared/governance/log-command';

describe('!log durations', () => {
  it.each([
    ['1h30', 90],
    ['1h30m', 90],
    ['1H05', 65],
    ['2h', 120],
    ['90m', 90],
    ['45min', 45],
    ['1.5h', 90],
    ['1,5h', 90],
    ['0.25h', 15],
    ['1:30', 90],
    ['30h', 1800],
  ])('%s is %i minutes', (token, minutes) => expect(parseDuration(token)).toBe(minutes));

  it.each(['1h75', '1.01h', 'abc', '90', '1h30x', '-1h', '1:75', ''])('%s is not a duration', (token) => expect(parseDuration(token)).toBeNull());
});

describe('!log messages', () => {
  it('tells a command from chat', () => {
    expect(isLogCommand('!log 1h care x')).toBe(true);
    expect(isLogCommand('  !LOG')).toBe(true);
    expect(isLogCommand('!logging is fun')).toBe(false);
    expect(isLogCommand('I will !log it later')).toBe(false);
    expect(isLogCommand({ body: '!log' })).toBe(false);
  });

  it('reads duration, stream and description', () => {
    expect(parseLogCommand('!log 1h30 care onboarding')).toEqual({ ok: true, minutes: 90, stream: 'care', description: 'onboarding', locale: null });
    expect(parseLogCommand('!log 2h Livelihood  invoicing  the  members ')).toEqual({ ok: true, minutes: 120, stream: 'livelihood', description: 'invoicing  the  members', locale: null });
    expect(parseLogCommand('!log 90m commons')).toEqual({ ok: true, minutes: 90, stream: 'commons', description: '', locale: null });
    expect(parseLogCommand('!log 1h love docs')).toMatchObject({ ok: true, stream: 'commons', locale: 'en' });
  });

  it('takes stream names in the member’s language and answers in it', () => {
    expect(parseLogCommand('!log 1h cuidados acogida')).toMatchObject({ ok: true, stream: 'care', locale: 'es' });
    expect(parseLogCommand('!log 1h Communs wiki')).toMatchObject({ ok: true, stream: 'commons', locale: 'fr' });
    expect(parseLogCommand('!log 1h ケア 新メンバー対応')).toMatchObject({ ok: true, stream: 'care', locale: 'ja', description: '新メンバー対応' });
    expect(parseLogCommand('!log 1h Sorge Einarbeitung')).toMatchObject({ ok: true, stream: 'care', locale: 'de' });
  });

  it('refuses what does not read, saying what', () => {
    expect(parseLogCommand('!log')).toMatchObject({ ok: false, problem: 'no_duration' });
    expect(parseLogCommand('!log soon care x')).toMatchObject({ ok: false, problem: 'bad_duration', token: 'soon' });
    expect(parseLogCommand('!log 0m care x')).toMatchObject({ ok: false, problem: 'zero_duration' });
    expect(parseLogCommand('!log 30h care x')).toMatchObject({ ok: false, problem: 'over_a_day', token: '30h' });
    expect(parseLogCommand('!log 24h care x')).toMatchObject({ ok: true, minutes: 1440 });
    expect(parseLogCommand('!log 1h')).toMatchObject({ ok: false, problem: 'no_stream' });
    expect(parseLogCommand('!log 1h fun x')).toMatchObject({ ok: false, problem: 'unknown_stream', token: 'fun' });
    expect(parseLogCommand(`!log 1h care ${'x'.repeat(1001)}`)).toMatchObject({ ok: false, problem: 'description_too_long' });
    // The language is known from the stream word even when the duration is wrong.
    expect(parseLogCommand('!log mucho cuidados x')).toMatchObject({ ok: false, problem: 'bad_duration', locale: 'es' });
  });
});
