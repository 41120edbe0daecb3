// Start at login. macOS and Windows have a system setting Electron manages
// (app.setLoginItemSettings); Linux desktops read XDG autostart entries
// (~/.config/autostart/*.desktop), which Electron does not write, so the shell writes one.
// Started at login, Plenary starts hidden in the tray (the --hidden argument).

export const hiddenArgument = '--hidden';
export const autostartFileName = 'plenary.desktop';

export type LoginItemPlan =
  | { kind: 'electron'; settings: { openAtLogin: boolean; args: string[] } }
  | { kind: 'xdg-autostart'; fileName: string; content: string | null };

/** Quotes one Exec argument as the Desktop Entry Specification asks. */
export function quoteExecArgument(arg: string): string {
  if (!/[\s"'\\`$]/.test(arg)) return arg;
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function loginItemPlan(platform: string, enabled: boolean, executable: string): LoginItemPlan {
  if (platform !== 'linux') return { kind: 'electron', settings: { openAtLogin: enabled, args: [hiddenArgument] } };
  if (!enabled) return { kind: 'xdg-autostart', fileName: autostartFileName, content: null };
  const content = [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Plenary',
    `Exec=${quoteExecArgument(executable)} ${hiddenArgument}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
  return { kind: 'xdg-autostart', fileName: autostartFileName, content };
}

/** Whether this launch should stay in the tray: the setting, or a start at login. */
export function startsHidden(startHiddenSetting: boolean, argv: readonly string[], openedAtLogin: boolean): boolean {
  return startHiddenSetting || openedAtLogin || argv.includes(hiddenArgument);
}
