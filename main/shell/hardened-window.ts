// Plenary's windows are created through this constructor: Electron's BrowserWindow, typed
// so its webPreferences must be exactly the core's hardened set (contextIsolation, sandbox,
// no Node, no <webview>…; main/core/policy/app-window-policy.ts). Windows spell the
// preferences out literally, which lets electronegativity read them, and the compiler
// refuses any value that differs from the policy.
import { BrowserWindow as ElectronBrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import type { HardenedWebPreferences } from '../core/policy/app-window-policy';

export type HardenedWindowOptions = Omit<BrowserWindowConstructorOptions, 'webPreferences'> & { webPreferences: HardenedWebPreferences };

export const BrowserWindow: new (options: HardenedWindowOptions) => ElectronBrowserWindow = ElectronBrowserWindow;
