import { indentOf, linesOf, normalizeComponent, packageOfComponent } from './dumpsys.js';

/**
 * `dumpsys package`: per package its install facts and permissions (the `Packages:` section), which
 * apps receive BOOT_COMPLETED (the receiver resolver table), and which show an icon in the app drawer
 * (MAIN + LAUNCHER in the activity resolver table, when the dump prints categories). A phone's dump is
 * tens of MB: one pass over the lines, no regular expression over the whole text.
 */

export interface PackageDump {
  name: string;
  uid: number | null;
  codePath: string | null;
  versionName: string | null;
  installer: string | null;
  /** `initiatingPackageName` (Android 11+): who asked for the install (`com.android.shell` for adb, a file manager for a downloaded APK). */
  initiator: string | null;
  firstInstallTime: string | null;
  lastUpdateTime: string | null;
  system: boolean;
  requested: string[];
  /** Permissions granted, install-time and runtime, any user. */
  granted: string[];
  /** Installed for some user and not hidden. */
  hidden: boolean;
}

export interface PackageDumpResult {
  packages: Map<string, PackageDump>;
  bootReceivers: Set<string>;
  /** Packages with a MAIN/LAUNCHER activity; null when the dump does not print categories. */
  launchers: Set<string> | null;
  /**
   * Packages with any activity that handles MAIN (a start screen), from a whole Activity Resolver
   * Table; null when the dump has no such table, or it was cut before the package list that follows it.
   * A full `dumpsys package` (as in AndroidQF's dumpsys.txt) names these without their categories: an
   * app missing from it has no icon for certain, one in it may still have hidden its icon.
   */
  startScreens: Set<string> | null;
  verifiers: string[];
}

function emptyPackage(name: string): PackageDump {
  return {
    name,
    uid: null,
    codePath: null,
    versionName: null,
    installer: null,
    initiator: null,
    firstInstallTime: null,
    lastUpdateTime: null,
    system: false,
    requested: [],
    granted: [],
    hidden: false,
  };
}

const NULLISH = new Set(['', 'null']);

export function parsePackageDump(text: string): PackageDumpResult {
  const lines = linesOf(text);
  const packages = new Map<string, PackageDump>();
  const bootReceivers = new Set<string>();
  let launchers: Set<string> | null = null;
  const verifiers: string[] = [];

  let table: 'activity' | 'receiver' | 'other' | null = null;
  let action: string | null = null;
  let entryPkg: string | null = null;
  let entryIndent = 0;
  let sawCategory = false;
  let sawActivityTable = false;
  let sawPackagesAfter = false;
  const mainEntries = new Map<string, boolean>();

  let inPackages = false;
  let pkg: PackageDump | null = null;
  let permList: 'requested' | 'install' | 'runtime' | null = null;
  let permIndent = 0;
  let inVerifiers = false;

  const flushEntry = (): void => {
    entryPkg = null;
  };

  for (const line of lines) {
    if (line.length === 0) continue;
    const ind = indentOf(line);
    const t = line.slice(ind);

    if (ind === 0) {
      flushEntry();
      table = null;
      action = null;
      inVerifiers = t.startsWith('Verifiers:');
      if (t.startsWith('Activity Resolver Table:')) (table = 'activity'), (sawActivityTable = true);
      else if (t.startsWith('Receiver Resolver Table:')) table = 'receiver';
      else if (t.endsWith('Resolver Table:')) table = 'other';
      inPackages = t === 'Packages:';
      if (inPackages && sawActivityTable) sawPackagesAfter = true;
      pkg = null;
      permList = null;
      continue;
    }
    if (inVerifiers) {
      const v = /^Required: (\S+)/.exec(t);
      if (v) verifiers.push(v[1]!);
      continue;
    }

    if (table === 'activity' || table === 'receiver') {
      if (ind <= 4) {
        action = null;
        flushEntry();
        continue;
      }
      if (t.endsWith(':') && !t.includes(' ') && ind <= 8 && !t.startsWith('Action') ) {
        action = t.slice(0, -1);
        flushEntry();
        continue;
      }
      const entry = /^[0-9a-f]+ ([A-Za-z][\w.]*\/[\w.$]+)/.exec(t);
      if (entry && action !== null) {
        entryPkg = packageOfComponent(normalizeComponent(entry[1]!));
        entryIndent = ind;
        if (table === 'receiver' && action === 'android.intent.action.BOOT_COMPLETED') bootReceivers.add(entryPkg);
        if (table === 'activity' && action === 'android.intent.action.MAIN' && !mainEntries.has(entryPkg)) mainEntries.set(entryPkg, false);
        continue;
      }
      if (entryPkg !== null && ind > entryIndent) {
        if (table === 'activity' && action === 'android.intent.action.MAIN' && t.startsWith('Category: ')) {
          sawCategory = true;
          if (t.includes('"android.intent.category.LAUNCHER"')) mainEntries.set(entryPkg, true);
        }
        if (table === 'receiver' && t === 'Action: "android.intent.action.BOOT_COMPLETED"') bootReceivers.add(entryPkg);
      }
      continue;
    }

    if (!inPackages) continue;
    if (ind === 2 && t.startsWith('Package [')) {
      const close = t.indexOf(']');
      if (close < 0) continue;
      const name = t.slice(9, close);
      pkg = packages.get(name) ?? emptyPackage(name);
      packages.set(name, pkg);
      permList = null;
      continue;
    }
    if (pkg === null) continue;
    if (permList !== null && ind > permIndent) {
      const colon = t.indexOf(':');
      const perm = colon > 0 ? t.slice(0, colon) : t.trimEnd();
      if (perm.length === 0 || perm.includes(' ')) continue;
      if (permList === 'requested') pkg.requested.push(perm);
      else if (t.includes('granted=true')) pkg.granted.push(perm);
      continue;
    }
    permList = null;
    if (t === 'requested permissions:') (permList = 'requested'), (permIndent = ind);
    else if (t === 'install permissions:') (permList = 'install'), (permIndent = ind);
    else if (t === 'runtime permissions:') (permList = 'runtime'), (permIndent = ind);
    else if (t.startsWith('User ')) {
      if (t.includes(' hidden=true')) pkg.hidden = true;
    } else {
      const eq = t.indexOf('=');
      if (eq <= 0) continue;
      const key = t.slice(0, eq);
      const value = t.slice(eq + 1);
      switch (key) {
        case 'userId':
          pkg.uid = Number.parseInt(value, 10);
          break;
        case 'codePath':
          pkg.codePath = value;
          break;
        case 'versionName':
          pkg.versionName = value;
          break;
        case 'installerPackageName':
          pkg.installer = NULLISH.has(value) ? null : value;
          break;
        case 'initiatingPackageName':
        case 'installInitiatingPackageName':
          pkg.initiator = NULLISH.has(value) ? null : value;
          break;
        case 'firstInstallTime':
          pkg.firstInstallTime = value;
          break;
        case 'lastUpdateTime':
          pkg.lastUpdateTime = value;
          break;
        case 'pkgFlags':
        case 'flags':
          if (/\bSYSTEM\b/.test(value)) pkg.system = true;
          break;
        default:
          if (key === 'installerAttributionTag' || key === 'installSource') break;
      }
    }
  }
  if (sawCategory) launchers = new Set([...mainEntries].filter(([, l]) => l).map(([p]) => p));
  // The table is whole only when the package list after it was reached, and it names some start screen.
  const startScreens = sawActivityTable && sawPackagesAfter && mainEntries.size > 0 ? new Set(mainEntries.keys()) : null;
  for (const p of packages.values()) {
    p.requested = [...new Set(p.requested)];
    p.granted = [...new Set(p.granted)];
  }
  return { packages, bootReceivers, launchers, startScreens, verifiers };
}
