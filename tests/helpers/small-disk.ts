// Real file systems that run out of space or turn read-only, for tests of what the member is
// told when a change cannot be saved. Tests run as root (CI too), and root ignores file
// permissions and may even write into ext4's reserved blocks, so neither chmod nor a small
// ext4 would do: a tmpfs of a few hundred KB fills up for anyone, and an ext4 image mounted
// with errors=remount-ro drops to read-only, under open files, when told to through
// /sys/fs/ext4/<device>/trigger_fs_error, as a failing disk does.
// Mounting needs root with CAP_SYS_ADMIN (and loop devices for ext4). Without them the test
// fails, saying so: it never skips.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const how =
  'These tests mount small file systems, which needs root with CAP_SYS_ADMIN and loop devices (/dev/loop*; e2fsprogs for ext4). ' +
  'CI runs as root; in a container, start it with --privileged (or --cap-add SYS_ADMIN --device /dev/loop-control --device /dev/loop0).';

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(`${command} ${args.join(' ')} failed: ${detail}\n${how}`, { cause: error });
  }
}

export interface SmallDisk {
  /** An empty folder on the small file system. */
  dir: string;
  release(): void;
}

/** A tmpfs of `sizeKb` KiB. */
export function tmpfsDisk(sizeKb: number): SmallDisk {
  const mountPoint = mkdtempSync(join(tmpdir(), 'plenary-tmpfs-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', mountPoint]);
  return {
    dir: mountPoint,
    release: () => {
      run('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    },
  };
}

export interface FailingDisk extends SmallDisk {
  /** The file system drops to read-only, as the kernel does when a disk fails under it. */
  failReadOnly(): void;
  /** Unmounts, repairs with e2fsck and mounts it again writable (what a member's next boot does). */
  repair(): void;
}

/** An ext4 image of `sizeMb` MiB on a loop device, mounted with errors=remount-ro. */
export function ext4Disk(sizeMb: number): FailingDisk {
  const base = mkdtempSync(join(tmpdir(), 'plenary-ext4-'));
  const image = join(base, 'disk.img');
  const mountPoint = join(base, 'mnt');
  mkdirSync(mountPoint);
  run('truncate', ['-s', `${sizeMb}M`, image]);
  run('mkfs.ext4', ['-q', '-F', '-m', '0', image]);
  run('mount', ['-o', 'loop,errors=remount-ro', image, mountPoint]);
  let mounted = true;
  return {
    dir: mountPoint,
    failReadOnly: () => {
      const device = run('findmnt', ['-n', '-o', 'SOURCE', mountPoint]).trim().replace(/^\/dev\//, '');
      run('sh', ['-c', `echo 1 > /sys/fs/ext4/${device}/trigger_fs_error`]);
    },
    repair: () => {
      run('umount', [mountPoint]);
      mounted = false;
      try {
        execFileSync('e2fsck', ['-fy', image], { stdio: 'ignore' });
      } catch (error) {
        // 1: errors were corrected, which is the expected outcome here.
        if ((error as { status?: number }).status !== 1) throw error;
      }
      run('mount', ['-o', 'loop', image, mountPoint]);
      mounted = true;
    },
    release: () => {
      if (mounted) run('umount', [mountPoint]);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
