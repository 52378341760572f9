import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A phone described in a few lines, rendered as the text Android's own tools print (`dumpsys`
 * sections, `pm list packages`, `settings list`, `getprop`) and as an AndroidQF acquisition. The formats
 * follow the real dumps in ../shared/data/android (MVT's and spytrap-adb's); the tests build phones
 * carrying Echap's indicators with them, and the emulated ADB device answers from the same text.
 */

export interface SpecApp {
  name: string;
  /** null: no installer recorded (adb); default Google Play. */
  installer?: string | null;
  system?: boolean;
  certSha1?: string;
  certSha256?: string;
  apkSha256?: string;
  /** Runtime permissions granted. */
  granted?: string[];
  bootReceiver?: boolean;
  /** Has an icon in the app drawer (default true). */
  launcher?: boolean;
  accessibility?: boolean;
  notificationListener?: boolean;
  admin?: boolean;
  versionName?: string;
}

export interface PhoneSpec {
  apps: SpecApp[];
  global?: Record<string, string>;
  secure?: Record<string, string>;
  system?: Record<string, string>;
  props?: Record<string, string>;
  /** Public keys trusted for USB debugging (base64 of the key, then `user@host`). */
  adbKeys?: string[];
  rootBinaries?: string[];
  deviceOwner?: string;
}

export const DEFAULT_PROPS: Record<string, string> = {
  'ro.product.manufacturer': 'Google',
  'ro.product.brand': 'google',
  'ro.product.model': 'Pixel 7',
  'ro.build.version.release': '14',
  'ro.build.version.sdk': '34',
  'ro.build.version.security_patch': '2026-11-05',
  'ro.serialno': 'EMU0001',
};

/** A USB debugging public key as Android stores it: base64 of Android's 524-byte RSA key structure. */
export function fakeAdbKey(comment: string, seed = comment): string {
  const bytes = Buffer.alloc(524);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < 524; i += 32) {
    block.copy(bytes, i);
    block = createHash('sha256').update(block).digest();
  }
  bytes.writeUInt32LE(64, 0);
  return `${bytes.toString('base64')} ${comment}`;
}

const svc = (app: SpecApp, kind: string): string => `${app.name}/${app.name}.${kind}`;

function codePath(app: SpecApp): string {
  if (app.system) return `/system/app/${app.name.split('.').pop()}`;
  const h = createHash('md5').update(app.name).digest('base64url').slice(0, 22);
  return `/data/app/~~${h}==/${app.name}-${h.split('').reverse().join('')}==`;
}

export function apkPath(app: SpecApp): string {
  return `${codePath(app)}/base.apk`;
}

function uid(spec: PhoneSpec, app: SpecApp): number {
  return (app.system ? 1000 : 10100) + spec.apps.indexOf(app);
}

export function dumpsysPackage(spec: PhoneSpec): string {
  const out: string[] = ['Activity Resolver Table:', '  Non-Data Actions:', '      android.intent.action.MAIN:'];
  for (const app of spec.apps) {
    const hash = createHash('md5').update(app.name).digest('hex').slice(0, 7);
    out.push(`        ${hash} ${app.name}/.MainActivity filter ${hash.split('').reverse().join('')}`);
    out.push('          Action: "android.intent.action.MAIN"');
    out.push(`          Category: "${app.launcher === false ? 'android.intent.category.DEFAULT' : 'android.intent.category.LAUNCHER'}"`);
  }
  out.push('', 'Receiver Resolver Table:', '  Non-Data Actions:', '      android.intent.action.BOOT_COMPLETED:');
  for (const app of spec.apps.filter((a) => a.bootReceiver)) {
    out.push(`        ${createHash('md5').update(app.name + 'b').digest('hex').slice(0, 7)} ${app.name}/.BootReceiver filter 5a5a5a5`);
    out.push('          Action: "android.intent.action.BOOT_COMPLETED"');
  }
  out.push('', 'Packages:');
  for (const app of spec.apps) {
    out.push(`  Package [${app.name}] (${createHash('md5').update(app.name).digest('hex').slice(0, 7)}):`);
    out.push(`    userId=${uid(spec, app)}`);
    out.push(`    pkg=Package{1a7e7ac ${app.name}}`);
    out.push(`    codePath=${codePath(app)}`);
    out.push(`    versionName=${app.versionName ?? '1.0'}`);
    out.push(`    flags=[ ${app.system ? 'SYSTEM ' : ''}HAS_CODE ALLOW_CLEAR_USER_DATA ]`);
    out.push('    timeStamp=2026-10-01 09:12:44');
    out.push('    firstInstallTime=2026-10-01 09:12:45');
    out.push('    lastUpdateTime=2026-10-01 09:12:45');
    const installer = installerOf(app);
    if (installer !== null) out.push(`    installerPackageName=${installer}`);
    // Android 11+ also records who started the install: the shell for `adb install`.
    out.push(`    initiatingPackageName=${installer ?? (app.system ? 'null' : 'com.android.shell')}`);
    out.push('    requested permissions:');
    out.push('      android.permission.INTERNET');
    if (app.bootReceiver) out.push('      android.permission.RECEIVE_BOOT_COMPLETED');
    for (const p of app.granted ?? []) out.push(`      ${p}`);
    out.push('    install permissions:');
    out.push('      android.permission.INTERNET: granted=true');
    if (app.bootReceiver) out.push('      android.permission.RECEIVE_BOOT_COMPLETED: granted=true');
    out.push('    User 0: ceDataInode=2424 installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0 instant=false virtual=false');
    if ((app.granted ?? []).length > 0) {
      out.push('      runtime permissions:');
      for (const p of app.granted ?? []) out.push(`        ${p}: granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED ]`);
    }
  }
  return out.join('\n') + '\n';
}

function installerOf(app: SpecApp): string | null {
  if (app.installer !== undefined) return app.installer;
  return app.system ? null : 'com.android.vending';
}

export function dumpsysAccessibility(spec: PhoneSpec): string {
  const enabled = spec.apps.filter((a) => a.accessibility).map((a) => `{${svc(a, 'AccessService')}}`);
  return [
    'ACCESSIBILITY MANAGER (dumpsys accessibility)',
    '',
    'currentUserId=0',
    'User state[',
    `     attributes:{id=0, touchExplorationEnabled=false, installedServiceCount=${enabled.length}}`,
    `     Bound services:{${enabled.length ? 'Service[label=Accessibility service, feedbackType[FEEDBACK_GENERIC]]' : ''}}`,
    `     Enabled services:{${enabled.join(', ')}}`,
    '     Binding services:{}',
    '     Crashed services:{}',
    ']',
    '',
  ].join('\n');
}

export function dumpsysNotification(spec: PhoneSpec): string {
  const listeners = [{ name: 'com.android.systemui', system: true } as SpecApp, ...spec.apps.filter((a) => a.notificationListener)];
  return [
    'Current Notification Manager state:',
    '  Notification listeners:',
    '    Allowed user profiles: {0}',
    `    Live notification listeners (${listeners.length}):`,
    ...listeners.map((a) => `      ${svc(a, 'Listener')} (user 0): ManagedServiceInfo[component=ComponentInfo{${svc(a, 'Listener')}}, userid=0, isSystem=${a.system === true}]`),
    '  Notification assistants:',
    '    com.android.ext.services/.notification.Assistant',
    '',
  ].join('\n');
}

export function dumpsysDevicePolicy(spec: PhoneSpec): string {
  const out = ['Current Device Policy Manager state:'];
  if (spec.deviceOwner) out.push('  Device Owner: ', `    admin=ComponentInfo{${spec.deviceOwner}}`, '    name=', '');
  out.push('  Enabled Device Admins (User 0, provisioningState: 0):');
  for (const a of spec.apps.filter((x) => x.admin)) {
    out.push(`    ${svc(a, 'AdminReceiver')}:`, `      uid=${uid(spec, a)}`, '      testOnlyAdmin=false', '      policies:', '        wipe-data', '        force-lock');
  }
  out.push('', '  Encryption Status: per-user', '');
  return out.join('\n');
}

export function dumpsysAdb(spec: PhoneSpec): string {
  const keys = spec.adbKeys ?? [];
  const last = keys.length ? fingerprint(keys[keys.length - 1]!) : '';
  return [
    'ADB MANAGER STATE (dumpsys adb):',
    '{',
    '  debugging_manager={',
    '    connected_to_adb=true',
    ...(last ? [`    last_key_received=${last}`] : []),
    `    user_keys=${keys.join('\n')}`,
    '',
    '  }',
    '}',
    '',
  ].join('\n');
}

export function fingerprint(key: string): string {
  const raw = Buffer.from(key.split(' ')[0]!, 'base64');
  return [...createHash('md5').update(raw).digest()].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

export function dumpsysAppops(spec: PhoneSpec): string {
  const out = ['Current AppOps Service state:', ''];
  for (const app of spec.apps) {
    out.push(`  Uid u0a${uid(spec, app) - 10000}:`, '    state=cch', `    Package ${app.name}:`);
    for (const p of app.granted ?? []) {
      const op = p.replace('android.permission.', '').replace('ACCESS_FINE_LOCATION', 'FINE_LOCATION');
      out.push(`      ${op} (allow):`);
    }
  }
  return out.join('\n') + '\n';
}

export const SERVICES = ['package', 'accessibility', 'notification', 'device_policy', 'adb', 'appops'] as const;

export function dumpsysOf(spec: PhoneSpec, service: string): string {
  switch (service) {
    case 'package':
      return dumpsysPackage(spec);
    case 'accessibility':
      return dumpsysAccessibility(spec);
    case 'notification':
      return dumpsysNotification(spec);
    case 'device_policy':
      return dumpsysDevicePolicy(spec);
    case 'adb':
      return dumpsysAdb(spec);
    case 'appops':
      return dumpsysAppops(spec);
    default:
      return `Can't find service: ${service}\n`;
  }
}

export function getpropText(spec: PhoneSpec): string {
  const props = { ...DEFAULT_PROPS, ...spec.props };
  return Object.entries(props)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `[${k}]: [${v}]`)
    .join('\n') + '\n';
}

export function settingsText(values: Record<string, string> | undefined): string {
  return Object.entries(values ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n') + '\n';
}

export const DEFAULT_GLOBAL: Record<string, string> = {
  adb_enabled: '1',
  development_settings_enabled: '1',
  package_verifier_enable: '1',
  verifier_verify_adb_installs: '1',
};

export function certOf(app: SpecApp): { sha1: string; sha256: string } {
  return {
    sha1: app.certSha1 ?? createHash('sha1').update(`cert:${app.name}`).digest('hex'),
    sha256: app.certSha256 ?? createHash('sha256').update(`cert:${app.name}`).digest('hex'),
  };
}

export function apkSha256(app: SpecApp): string {
  return app.apkSha256 ?? createHash('sha256').update(`apk:${app.name}`).digest('hex');
}

/** packages.json as AndroidQF writes it (lower-case hashes, "null" installers). */
export function packagesJson(spec: PhoneSpec): string {
  return JSON.stringify(
    spec.apps.map((app) => {
      const c = certOf(app);
      return {
        name: app.name,
        files: [
          {
            path: apkPath(app),
            local_name: '',
            md5: createHash('md5').update(apkSha256(app)).digest('hex'),
            sha1: createHash('sha1').update(apkSha256(app)).digest('hex'),
            sha256: apkSha256(app),
            sha512: '',
            error: '',
            verified_certificate: true,
            certificate: { Md5: createHash('md5').update(c.sha1).digest('hex'), Sha1: c.sha1, Sha256: c.sha256, ValidFrom: '2020-01-01T00:00:00Z', ValidTo: '2050-01-01T00:00:00Z', Issuer: `CN=${app.name}`, Subject: `CN=${app.name}` },
            certificate_error: '',
            trusted_certificate: false,
          },
        ],
        installer: installerOf(app) ?? 'null',
        uid: uid(spec, app),
        disabled: false,
        system: app.system === true,
        third_party: app.system !== true,
      };
    }),
    null,
    4,
  );
}

export function fullDumpsys(spec: PhoneSpec): string {
  return SERVICES.map((s) => `-------------------------------------------------------------------------------\nDUMP OF SERVICE ${s}:\n${dumpsysOf(spec, s)}`).join('');
}

/** Writes the phone as an AndroidQF acquisition folder. */
export function writeAcquisition(dir: string, spec: PhoneSpec): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'packages.json'), packagesJson(spec));
  writeFileSync(join(dir, 'dumpsys.txt'), fullDumpsys(spec));
  writeFileSync(join(dir, 'getprop.txt'), getpropText(spec));
  writeFileSync(join(dir, 'settings_global.txt'), settingsText({ ...DEFAULT_GLOBAL, ...spec.global }));
  writeFileSync(join(dir, 'settings_secure.txt'), settingsText(spec.secure));
  writeFileSync(join(dir, 'settings_system.txt'), settingsText(spec.system));
  writeFileSync(join(dir, 'root_binaries.json'), JSON.stringify(spec.rootBinaries ?? []));
  writeFileSync(join(dir, 'acquisition.json'), JSON.stringify({ uuid: randomBytes(16).toString('hex'), started: '2026-12-06T10:00:00Z', completed: '2026-12-06T10:01:00Z' }));
  return dir;
}
