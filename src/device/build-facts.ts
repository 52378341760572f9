import type { AcquisitionFile, OpenedSource } from './acquisition/source.js';
import type { DeviceApp, DeviceFacts, InstallSource } from './facts.js';
import { parseAccessibility } from './parse/accessibility.js';
import { parseAdb } from './parse/adb-keys.js';
import { parseAcquisitionJson, parseFilesJson, parsePackagesJson, parseProcessesJson, parsePs, parseStringList, type AcquiredPackage } from './parse/androidqf.js';
import { parseAppops } from './parse/appops.js';
import { parseDevicePolicy } from './parse/device-policy.js';
import { dumpText, splitDumpsys } from './parse/dumpsys.js';
import { parseNotificationListeners } from './parse/notification.js';
import { parsePackageDump, type PackageDumpResult } from './parse/package-dump.js';
import { componentList, parseGetprop, parseSettings } from './parse/settings.js';

/** Google Play: the only installer that runs Google's own review on every app. */
const PLAY = new Set(['com.android.vending']);
/** Other app stores, whose apps are reviewed by their store (not "sideloaded" in the sense that matters here). */
const STORES = new Set([
  'com.sec.android.app.samsungapps',
  'com.huawei.appmarket',
  'com.xiaomi.market',
  'com.xiaomi.mipicks',
  'com.amazon.venezia',
  'org.fdroid.fdroid',
  'com.aurora.store',
  'com.heytap.market',
  'com.oppo.market',
  'com.bbk.appstore',
  'com.vivo.appstore',
  'com.oneplus.store',
  'com.lenovo.leos.appstore',
  'com.apkpure.aegon',
]);
/** Android's package installers: what opens a downloaded APK file. */
const PACKAGE_INSTALLERS = new Set([
  'com.google.android.packageinstaller',
  'com.android.packageinstaller',
  'com.samsung.android.packageinstaller',
  'com.miui.packageinstaller',
]);

export function installSource(installer: string | null, system: boolean): InstallSource {
  if (installer !== null && PLAY.has(installer)) return 'play';
  if (installer !== null && STORES.has(installer)) return 'store';
  if (system && installer === null) return 'preinstalled';
  if (installer === null) return 'none';
  if (PACKAGE_INSTALLERS.has(installer)) return 'package-installer';
  return 'other-app';
}

/** Packages that give root to other apps: their presence means the phone is rooted. */
export const ROOT_PACKAGES = new Set([
  'com.topjohnwu.magisk',
  'io.github.huskydg.magisk',
  'io.github.vvb2060.magisk',
  'me.weishu.kernelsu',
  'eu.chainfire.supersu',
  'com.noshufou.android.su',
  'com.noshufou.android.su.elite',
  'com.koushikdutta.superuser',
  'com.thirdparty.superuser',
  'com.yellowes.su',
  'com.kingroot.kinguser',
  'com.kingo.root',
  'me.bmax.apatch',
]);

function flag(v: string | undefined): boolean | null {
  if (v === undefined || v === 'null' || v === '') return null;
  return v !== '0' && v.toLowerCase() !== 'false';
}

interface Problem {
  file: string;
  message: string;
}

/** Runs one file's parser; a file that does not parse is reported and its facts stay unknown. */
function tryParse<T>(problems: Problem[], file: string, fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    problems.push({ file, message: (e as Error).message });
    return null;
  }
}

export function buildDeviceFacts(src: OpenedSource | { kind: 'adb'; name: string; files: Map<AcquisitionFile, Buffer>; problems: Problem[]; damage: string | null }): DeviceFacts {
  const problems: Problem[] = [...src.problems];
  const files = new Map(src.files);
  const fileNames = [...files.keys()].sort();
  const text = (f: AcquisitionFile): string | null => {
    const b = files.get(f);
    return b === undefined ? null : dumpText(b);
  };

  const dumpsysText = text('dumpsys.txt');
  // The bytes are no longer needed once decoded: a real dump is tens of MB.
  files.delete('dumpsys.txt');
  src.files.delete('dumpsys.txt');
  const sections = dumpsysText === null ? new Map<string, string>() : splitDumpsys(dumpsysText);
  if (dumpsysText !== null && sections.size === 0) problems.push({ file: 'dumpsys.txt', message: 'no "DUMP OF SERVICE" section found' });

  const getprop = parseGetprop(text('getprop.txt') ?? '');
  const secure = files.has('settings_secure.txt') ? parseSettings(text('settings_secure.txt')!) : null;
  const global = files.has('settings_global.txt') ? parseSettings(text('settings_global.txt')!) : null;

  const pkgJson = files.has('packages.json') ? tryParse(problems, 'packages.json', () => parsePackagesJson(text('packages.json')!)) : null;
  const pkgDump: PackageDumpResult | null = sections.has('package') ? tryParse(problems, 'dumpsys.txt', () => parsePackageDump(sections.get('package')!)) : null;
  const appops = sections.has('appops') ? tryParse(problems, 'dumpsys.txt', () => parseAppops(sections.get('appops')!)) : null;

  // Our own collection records which apps have an icon; a dump that prints categories says it too.
  let launchers: Set<string> | null = pkgDump?.launchers ?? null;
  const launcherText = text('launcher_activities.txt');
  if (launcherText !== null) {
    launchers = new Set<string>();
    for (const m of launcherText.matchAll(/^\s*([A-Za-z][\w.]*)\/[\w.$]+\s*$/gm)) launchers.add(m[1]!);
  }

  const apps = new Map<string, DeviceApp>();
  const fromJson = (p: AcquiredPackage): DeviceApp => ({
    name: p.name,
    installer: p.installer,
    initiator: null,
    source: installSource(p.installer, p.system),
    system: p.system,
    thirdParty: p.thirdParty,
    disabled: p.disabled,
    uid: p.uid,
    versionName: null,
    firstInstallTime: null,
    files: p.files.map((f) => ({ path: f.path, sha256: f.sha256, sha1: f.sha1, md5: f.md5 })),
    certificates: dedupeCerts(p.files.map((f) => f.certificate).filter((c) => c !== null)),
    granted: null,
    requested: null,
    allowedOps: [],
    startsAtBoot: null,
    launcher: null,
  });
  for (const p of pkgJson ?? []) apps.set(p.name, fromJson(p));
  if (pkgDump) {
    for (const d of pkgDump.packages.values()) {
      let app = apps.get(d.name);
      if (!app) {
        // Without packages.json the dump alone says what is installed.
        if (pkgJson !== null) continue;
        app = fromJson({ name: d.name, installer: d.installer, uid: d.uid, system: d.system, thirdParty: !d.system, disabled: false, files: [] });
        apps.set(d.name, app);
      }
      if (app.installer === null && d.installer !== null) {
        app.installer = d.installer;
        app.source = installSource(d.installer, app.system);
      }
      app.initiator = d.initiator;
      app.versionName = d.versionName;
      app.firstInstallTime = d.firstInstallTime;
      app.uid ??= d.uid;
      app.granted = d.granted;
      app.requested = d.requested;
    }
    for (const app of apps.values()) {
      // A receiver for BOOT_COMPLETED, or the permission to receive it (full dumps omit receiver details).
      app.startsAtBoot = pkgDump.bootReceivers.has(app.name) || (app.requested?.includes('android.permission.RECEIVE_BOOT_COMPLETED') ?? false);
    }
  }
  if (appops) {
    for (const app of apps.values()) {
      const ops = appops.get(app.name);
      if (ops) app.allowedOps = [...ops].filter(([, mode]) => mode === 'allow' || mode === 'foreground').map(([op]) => op);
    }
  }
  let launcherSource: DeviceFacts['launchers'] = null;
  if (launchers !== null) {
    for (const app of apps.values()) app.launcher = launchers.has(app.name);
    launcherSource = 'icons';
  } else if (pkgDump?.startScreens) {
    // Without categories, only an app with no start screen at all is known to have no icon.
    const starts = pkgDump.startScreens;
    for (const app of apps.values()) app.launcher = starts.has(app.name) ? null : false;
    launcherSource = 'start-screens';
  }

  // Accessibility: the dump, plus the setting that lists enabled services (either may be missing).
  let accessibility: DeviceFacts['accessibility'] = null;
  if (sections.has('accessibility')) {
    const a = parseAccessibility(sections.get('accessibility')!);
    accessibility = { enabled: a.enabled, bound: a.bound, installed: a.installed, format: a.format };
  }
  if (secure !== null) {
    const fromSetting = componentList(secure.get('enabled_accessibility_services'));
    if (secure.get('accessibility_enabled') !== '0' || fromSetting.length > 0) {
      accessibility ??= { enabled: [], bound: [], installed: [], format: null };
      for (const c of fromSetting) if (!accessibility.enabled.includes(c)) accessibility.enabled.push(c);
    }
  }

  let notificationListeners: string[] | null = null;
  if (sections.has('notification')) notificationListeners = parseNotificationListeners(sections.get('notification')!);
  if (secure !== null && secure.has('enabled_notification_listeners')) {
    notificationListeners ??= [];
    for (const c of componentList(secure.get('enabled_notification_listeners'))) if (!notificationListeners.includes(c)) notificationListeners.push(c);
  }

  const policy = sections.has('device_policy') ? parseDevicePolicy(sections.get('device_policy')!) : null;

  const adbDump = sections.has('adb') ? parseAdb(sections.get('adb')!) : null;

  const verifier =
    global === null && secure === null
      ? null
      : {
          verifyApps: flag(global?.get('package_verifier_enable')),
          verifyAdbInstalls: flag(global?.get('verifier_verify_adb_installs')),
          userConsent: (() => {
            const v = global?.get('package_verifier_user_consent');
            return v === undefined ? null : v !== '-1';
          })(),
        };

  const rootBinaries = files.has('root_binaries.json') ? tryParse(problems, 'root_binaries.json', () => parseStringList(text('root_binaries.json')!, 'root_binaries.json')) : null;
  const rootPackages = [...apps.keys()].filter((n) => ROOT_PACKAGES.has(n));
  const root = rootBinaries === null && apps.size === 0 ? null : { binaries: rootBinaries ?? [], packages: rootPackages };

  const developerOptions =
    global === null
      ? null
      : {
          enabled: flag(global.get('development_settings_enabled')),
          usbDebugging: flag(global.get('adb_enabled')),
          wirelessDebugging: flag(global.get('adb_wifi_enabled')) ?? adbDump?.wifiDebugging ?? null,
        };

  let processes: string[] | null = null;
  if (files.has('processes.json')) processes = tryParse(problems, 'processes.json', () => parseProcessesJson(text('processes.json')!));
  if (processes === null && files.has('ps.txt')) processes = parsePs(text('ps.txt')!);

  const fileList = files.has('files.json') ? tryParse(problems, 'files.json', () => parseFilesJson(text('files.json')!)) : null;
  const info = files.has('acquisition.json') ? tryParse(problems, 'acquisition.json', () => parseAcquisitionJson(text('acquisition.json')!)) : null;
  if (info?.partial) problems.push({ file: 'acquisition.json', message: `the collection was interrupted: ${info.error ?? 'unknown reason'}` });

  const sdk = Number.parseInt(getprop.get('ro.build.version.sdk') ?? '', 10);
  const hasProblem = problems.length > 0 || src.damage !== null;
  return {
    source: {
      kind: src.kind,
      name: src.name,
      files: fileNames,
      problems,
      damage: src.damage,
      partial: hasProblem,
    },
    device: {
      manufacturer: getprop.get('ro.product.manufacturer') ?? null,
      brand: getprop.get('ro.product.brand') ?? null,
      model: getprop.get('ro.product.model') ?? null,
      androidVersion: getprop.get('ro.build.version.release') ?? null,
      sdk: Number.isFinite(sdk) ? sdk : null,
      securityPatch: getprop.get('ro.build.version.security_patch') ?? null,
    },
    apps: [...apps.values()].sort((a, b) => a.name.localeCompare(b.name)),
    accessibility,
    notificationListeners,
    deviceAdmins: policy?.admins ?? null,
    deviceOwner: policy?.deviceOwner ?? null,
    profileOwners: policy?.profileOwners ?? [],
    verifier,
    root,
    adb: adbDump === null ? null : { keys: adbDump.keys, lastKeyReceived: adbDump.lastKeyReceived, wifiDebugging: adbDump.wifiDebugging },
    developerOptions,
    processes,
    launchers: launcherSource,
    fileHashes: (fileList ?? []).filter((f): f is { path: string; sha256: string; size: number | null } => f.sha256 !== null).map((f) => ({ path: f.path, sha256: f.sha256 })),
  };
}

function dedupeCerts<T extends { sha1: string | null; sha256: string | null }>(certs: T[]): T[] {
  const seen = new Set<string>();
  return certs.filter((c) => {
    const k = `${c.sha1}|${c.sha256}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
