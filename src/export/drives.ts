/**
 * Which removable drives (USB sticks, SD cards in a reader) are mounted, from the kernel's own lists:
 * /proc/mounts for what is mounted where, /sys/block for whether the disk behind it is removable or on
 * the USB bus (many USB sticks and disks say removable=0). Nothing is mounted or unmounted here:
 * quietcheck writes only to drives the desktop or the administrator mounted.
 *
 * QUIETCHECK_MOUNTS_FILE and QUIETCHECK_SYS_BLOCK_DIR replace /proc/mounts and /sys/block (tests, and
 * systems that present their drives differently).
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

export interface Drive {
  /** Where it is mounted: the name the API takes to write there. */
  mountPoint: string;
  device: string;
  /** The whole disk (sdb for /dev/sdb1). */
  disk: string;
  fsType: string;
  /** The file-system label, when /dev/disk/by-label names it. */
  label: string | null;
  readOnly: boolean;
  freeBytes: number | null;
  totalBytes: number | null;
  /** Why it counts as removable: the kernel's flag, or the disk sits on the USB bus. */
  why: 'removable' | 'usb';
}

export interface DetectOptions {
  mountsFile?: string;
  sysBlockDir?: string;
  byLabelDir?: string;
  /** Free and total bytes of a mounted file system (tests stand in a full drive). */
  space?: (mountPoint: string) => { free: number; total: number } | null;
}

/** File systems a USB stick carries; pseudo and network file systems are never drives. */
const DRIVE_FS = new Set(['vfat', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'ext2', 'ext3', 'ext4', 'btrfs', 'xfs', 'f2fs', 'hfsplus', 'udf', 'iso9660', 'msdos']);
/** Never offered, whatever the flags say: the system itself. */
const SYSTEM_MOUNTS = new Set(['/', '/boot', '/boot/firmware', '/boot/efi', '/usr', '/var', '/home', '/opt', '/srv', '/tmp']);

/** /proc/mounts escapes space, tab, newline and backslash as \040, \011, \012, \134. */
export function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[0] === '') continue;
    out.push({ device: unescapeMountField(f[0]!), mountPoint: unescapeMountField(f[1]!), fsType: f[2]!, options: f[3]!.split(',') });
  }
  return out;
}

export function resolveOptions(opts: DetectOptions = {}, env: NodeJS.ProcessEnv = process.env): Required<DetectOptions> {
  return {
    space: opts.space ?? spaceOf,
    mountsFile: opts.mountsFile ?? env.QUIETCHECK_MOUNTS_FILE ?? '/proc/mounts',
    sysBlockDir: opts.sysBlockDir ?? env.QUIETCHECK_SYS_BLOCK_DIR ?? '/sys/block',
    byLabelDir: opts.byLabelDir ?? '/dev/disk/by-label',
  };
}

/** The whole disk a device node belongs to, by /sys/block's layout (a partition is a folder of its disk). */
export function diskOf(devName: string, sysBlockDir: string): string | null {
  let disks: string[];
  try {
    disks = readdirSync(sysBlockDir);
  } catch {
    return null;
  }
  if (disks.includes(devName)) return devName;
  for (const d of disks) if (existsSync(join(sysBlockDir, d, devName))) return d;
  return null;
}

function readTrim(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** 'removable' or 'usb' when the disk is one a person plugs in, else null. */
export function removableWhy(disk: string, sysBlockDir: string): Drive['why'] | null {
  if (readTrim(join(sysBlockDir, disk, 'removable')) === '1') return 'removable';
  try {
    // /sys/block/sdb -> ../devices/platform/…/usb1/1-1/…/block/sdb
    if (/\/usb\d*\//.test(realpathSync(join(sysBlockDir, disk)))) return 'usb';
  } catch {
    /* not there */
  }
  return null;
}

function labelOf(device: string, byLabelDir: string): string | null {
  try {
    for (const name of readdirSync(byLabelDir)) {
      if (realpathSync(join(byLabelDir, name)) === device) return name.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
  } catch {
    /* no labels */
  }
  return null;
}

export function spaceOf(mountPoint: string): { free: number; total: number } | null {
  try {
    const s = statfsSync(mountPoint);
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  } catch {
    return null;
  }
}

function writable(mountPoint: string): boolean {
  try {
    accessSync(mountPoint, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every mounted removable drive, in mount order; the same disk mounted twice is listed twice. */
export function detectDrives(opts: DetectOptions = {}): Drive[] {
  const o = resolveOptions(opts);
  let text: string;
  try {
    text = readFileSync(o.mountsFile, 'utf8');
  } catch {
    return [];
  }
  const out: Drive[] = [];
  for (const m of parseMounts(text)) {
    if (!m.device.startsWith('/dev/') || !DRIVE_FS.has(m.fsType) || SYSTEM_MOUNTS.has(m.mountPoint)) continue;
    let dev = m.device;
    try {
      dev = realpathSync(m.device);
    } catch {
      /* a device node we cannot see (tests, containers): keep the name */
    }
    // A stale entry whose folder is gone (the stick was pulled, the mount lazily detached).
    try {
      if (!statSync(m.mountPoint).isDirectory()) continue;
    } catch {
      continue;
    }
    const disk = diskOf(basename(dev), o.sysBlockDir);
    if (disk === null) continue;
    const why = removableWhy(disk, o.sysBlockDir);
    if (why === null) continue;
    const space = o.space(m.mountPoint);
    out.push({
      mountPoint: m.mountPoint,
      device: dev,
      disk,
      fsType: m.fsType,
      label: labelOf(dev, o.byLabelDir),
      readOnly: m.options.includes('ro') || !writable(m.mountPoint),
      freeBytes: space?.free ?? null,
      totalBytes: space?.total ?? null,
      why,
    });
  }
  return out;
}
