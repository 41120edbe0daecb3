// A stand-in for the Electron binary, for packaging dry runs where Electron cannot be
// downloaded. electron-builder copies it as the app's executable, so the dry run builds a
// real app.asar and resources folder. It carries an Electron fuse wire (the sentinel
// @electron/fuses looks for, then Electron's shipped states), so electron-builder's
// `electronFuses` step flips real bytes and the dry run can prove which fuses a release
// will have. It is not runnable: started, it says what it is and exits 1.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Fuse order of wire version 1 (@electron/fuses FuseV1Options). */
export const fuseNames = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;

export type FuseName = (typeof fuseNames)[number];
export type FuseState = 'enabled' | 'disabled' | 'removed' | 'inherit' | 'unknown';

const enabled = 0x31; // '1'
const disabled = 0x30; // '0'

/** The states Electron ships with, before any flipping: permissive where it matters. */
const shippedStates: Record<FuseName, number> = {
  runAsNode: enabled,
  enableCookieEncryption: disabled,
  enableNodeOptionsEnvironmentVariable: enabled,
  enableNodeCliInspectArguments: enabled,
  enableEmbeddedAsarIntegrityValidation: disabled,
  onlyLoadAppFromAsar: disabled,
  loadBrowserProcessSpecificV8Snapshot: disabled,
  grantFileProtocolExtraPrivileges: enabled,
};

/** Writes `<dir>/electron` and returns `dir`, for electron-builder's electronDist option. */
export function createStandInElectron(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const script = Buffer.from('#!/bin/sh\necho "This is a stand-in for Electron, made for a packaging dry run; it cannot run Plenary." >&2\nexit 1\n# ');
  const wire = Buffer.from([0x01, fuseNames.length, ...fuseNames.map((name) => shippedStates[name])]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([script, Buffer.from(fuseSentinel, 'latin1'), wire, Buffer.from('\n')]));
  chmodSync(join(dir, 'electron'), 0o755);
  return dir;
}

/** Reads the fuse states of an Electron binary (the real one or the stand-in). */
export function readFuses(executable: string): Record<FuseName, FuseState> {
  const bytes = readFileSync(executable);
  const at = bytes.indexOf(Buffer.from(fuseSentinel, 'latin1'));
  if (at < 0) throw new Error(`${executable} has no Electron fuse wire`);
  const wire = at + fuseSentinel.length;
  if (bytes[wire] !== 1) throw new Error(`${executable} has fuse wire version ${bytes[wire]}, expected 1`);
  const length = bytes[wire + 1]!;
  const states = {} as Record<FuseName, FuseState>;
  fuseNames.forEach((name, i) => {
    const state = i < length ? bytes[wire + 2 + i] : undefined;
    states[name] =
      state === enabled ? 'enabled' : state === disabled ? 'disabled' : state === 0x72 ? 'removed' : state === 0x90 ? 'inherit' : 'unknown';
  });
  return states;
}
