// Whose picker screen sharing uses: the desktop portal's alone under Wayland with
// PipeWire capture (the default), Plenary's everywhere else.
import { describe, expect, it } from 'vitest';
import { screenSharePicker } from '../../main/core/policy/screen-share';

const wayland = { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' };
const base = { platform: 'linux', env: wayland, enableFeatures: '', disableFeatures: '' };

describe('screen sharing picker', () => {
  it('uses the portal alone on Linux under Wayland, even for an X11 window under XWayland', () => {
    expect(screenSharePicker(base)).toBe('portal');
    expect(screenSharePicker({ ...base, env: { ...wayland, DISPLAY: ':0' } })).toBe('portal');
    expect(screenSharePicker({ ...base, enableFeatures: 'WebRTCPipeWireCapturer' })).toBe('portal');
  });

  it('keeps Plenary’s picker on X11, on other systems, and where PipeWire capture is switched off', () => {
    expect(screenSharePicker({ ...base, env: { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' } })).toBe('plenary');
    expect(screenSharePicker({ ...base, env: { XDG_SESSION_TYPE: 'wayland' } })).toBe('plenary'); // no WAYLAND_DISPLAY: Chromium does not use the portal
    expect(screenSharePicker({ ...base, env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBe('plenary');
    expect(screenSharePicker({ ...base, disableFeatures: 'HardwareMediaKeyHandling,WebRTCPipeWireCapturer' })).toBe('plenary');
    expect(screenSharePicker({ ...base, enableFeatures: 'WebRTCPipeWireCapturer', disableFeatures: 'WebRTCPipeWireCapturer' })).toBe('plenary');
    for (const platform of ['darwin', 'win32', 'freebsd']) expect(screenSharePicker({ ...base, platform }), platform).toBe('plenary');
  });
});
