import { describe, expect, it } from 'vitest';
import { loginItemPlan, quoteExecArgument, startsHidden } from '../../main/core/policy/login-item';

describe('start at login', () => {
  it('uses the system login items on macOS and Windows, starting hidden', () => {
    expect(loginItemPlan('darwin', true, '/Applications/Plenary.app/Contents/MacOS/Plenary')).toEqual({ kind: 'electron', settings: { openAtLogin: true, args: ['--hidden'] } });
    expect(loginItemPlan('win32', false, 'C:\\Plenary\\Plenary.exe')).toEqual({ kind: 'electron', settings: { openAtLogin: false, args: ['--hidden'] } });
  });

  it('writes an XDG autostart entry on Linux, quoting the executable, and removes it when off', () => {
    const plan = loginItemPlan('linux', true, '/home/ana/Apps/Plenary 0.1.AppImage');
    expect(plan).toMatchObject({ kind: 'xdg-autostart', fileName: 'plenary.desktop' });
    expect(plan.kind === 'xdg-autostart' && plan.content).toContain('Exec="/home/ana/Apps/Plenary 0.1.AppImage" --hidden\n');
    expect(loginItemPlan('linux', false, '/usr/bin/plenary')).toEqual({ kind: 'xdg-autostart', fileName: 'plenary.desktop', content: null });
    expect(quoteExecArgument('/usr/bin/plenary')).toBe('/usr/bin/plenary');
    expect(quoteExecArgument('/tmp/a"b$c`d\\e f')).toBe('"/tmp/a\\"b\\$c\\`d\\\\e f"');
  });

  it('starts hidden when asked to, or when launched at login', () => {
    expect(startsHidden(false, ['/usr/bin/plenary'], false)).toBe(false);
    expect(startsHidden(true, ['/usr/bin/plenary'], false)).toBe(true);
    expect(startsHidden(false, ['/usr/bin/plenary', '--hidden'], false)).toBe(true);
    expect(startsHidden(false, [], true)).toBe(true);
  });
});
