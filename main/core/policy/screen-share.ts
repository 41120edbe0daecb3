// Which picker a call's screen sharing uses. On Linux under Wayland, Chromium captures
// through PipeWire and the desktop portal (xdg-desktop-portal): asking Electron for sources
// opens the portal's own screen-and-window picker, and the one source it returns is the
// member's choice. A second, Plenary-made picker there would only ask again, so the portal
// is used alone. Everywhere else (Windows, macOS, X11) Electron lists sources without
// asking, and Plenary's picker (permission-policy.ts, displayPickerModel) lets the member
// choose. Electron's `useSystemPicker` option is not used: Electron 40 documents it for
// macOS 15 only, and on Linux it changes nothing.
//
// Chromium's own test for "running under Wayland" (webrtc DesktopCapturer::
// IsRunningUnderWayland) reads only XDG_SESSION_TYPE and WAYLAND_DISPLAY, not the Ozone
// platform, so an X11 window under XWayland still captures through the portal. The
// WebRTCPipeWireCapturer feature is on by default in Electron 40 (Chromium 144); it can be
// switched off with --disable-features.

export type ScreenSharePicker = 'portal' | 'plenary';

export interface ScreenShareEnvironment {
  platform: string;
  /** XDG_SESSION_TYPE and WAYLAND_DISPLAY from the process environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** The values of Chromium's --enable-features and --disable-features switches ("" when absent). */
  enableFeatures: string;
  disableFeatures: string;
}

export const pipeWireCapturerFeature = 'WebRTCPipeWireCapturer';

function listsFeature(switchValue: string, feature: string): boolean {
  return switchValue
    .split(',')
    .map((f) => f.trim().replace(/<.*$/, ''))
    .includes(feature);
}

export function screenSharePicker(environment: ScreenShareEnvironment): ScreenSharePicker {
  if (environment.platform !== 'linux') return 'plenary';
  const underWayland = (environment.env.XDG_SESSION_TYPE ?? '').startsWith('wayland') && (environment.env.WAYLAND_DISPLAY ?? '') !== '';
  if (!underWayland) return 'plenary';
  // --disable-features wins over --enable-features in Chromium's feature list.
  if (listsFeature(environment.disableFeatures, pipeWireCapturerFeature)) return 'plenary';
  return 'portal';
}
