// Backup file names carry their time and reason (plenary-2026-12-07T10-30-00Z-daily.sqlite),
// so listing the backups folder needs no index file that could disagree with it.
import { backupReasons, type BackupReason } from '../../../shared/contract/data';
import { fileStamp, parseFileStamp } from './store-files';

export function backupFileName(createdAt: number, reason: BackupReason): string {
  return `plenary-${fileStamp(createdAt)}-${reason}.sqlite`;
}

export function parseBackupFileName(name: string): { createdAt: number; reason: BackupReason } | null {
  const match = /^plenary-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)-([a-z-]+)\.sqlite$/.exec(name);
  if (!match) return null;
  const createdAt = parseFileStamp(match[1]!);
  const reason = match[2] as BackupReason;
  if (createdAt === null || !backupReasons.includes(reason)) return null;
  return { createdAt, reason };
}
