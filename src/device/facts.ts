import type { AdbKey } from './parse/adb-keys.js';
import type { ApkCertificate } from './parse/androidqf.js';

/**
 * What a device check knows about the phone, from an AndroidQF acquisition or quietcheck's own USB
 * collection: the same shape either way, so one set of rules serves both. Every list is what the
 * files said; a file that was missing leaves its part `null` ("not known"), never empty ("none").
 */

/** Where an app came from, as far as Android recorded it. */
export type InstallSource =
  | 'play' // Google Play
  | 'store' // another app store (Galaxy Store, F-Droid, AppGallery…)
  | 'package-installer' // a downloaded APK opened with Android's package installer
  | 'other-app' // installed by some other app (a file manager, a browser, another app)
  | 'none' // no installer recorded: over USB with adb, or another method
  | 'preinstalled'; // part of the phone's system

export interface DeviceApp {
  name: string;
  installer: string | null;
  /** Who started the install when Android says (a browser for a downloaded APK). */
  initiator: string | null;
  source: InstallSource;
  system: boolean;
  thirdParty: boolean;
  disabled: boolean;
  uid: number | null;
  versionName: string | null;
  firstInstallTime: string | null;
  files: { path: string; sha256: string | null; sha1: string | null; md5: string | null }[];
  certificates: ApkCertificate[];
  /** Runtime and install-time permissions granted; null when `dumpsys package` was not available. */
  granted: string[] | null;
  requested: string[] | null;
  /** App operations allowed by `dumpsys appops` (RECORD_AUDIO, FINE_LOCATION…). */
  allowedOps: string[];
  startsAtBoot: boolean | null;
  /** Has an icon in the app drawer; null when the acquisition cannot tell. */
  launcher: boolean | null;
}

export interface DeviceInfo {
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  androidVersion: string | null;
  sdk: number | null;
  securityPatch: string | null;
}

export interface DeviceFacts {
  source: {
    kind: 'folder' | 'zip' | 'zip-age' | 'adb';
    name: string;
    /** The acquisition's files that were read. */
    files: string[];
    /** Files that could not be read, and why. */
    problems: { file: string; message: string }[];
    /** Damage to the container (a zip cut short) or an interrupted collection. */
    damage: string | null;
    partial: boolean;
  };
  device: DeviceInfo;
  apps: DeviceApp[];
  accessibility: { enabled: string[]; bound: string[]; installed: string[]; format: 'legacy' | 'v14' | null } | null;
  notificationListeners: string[] | null;
  deviceAdmins: { component: string; user: number; policies: string[] }[] | null;
  deviceOwner: string | null;
  profileOwners: { component: string; user: number }[];
  /** package_verifier_enable and friends; null when no settings were collected. */
  verifier: { verifyApps: boolean | null; verifyAdbInstalls: boolean | null; userConsent: boolean | null } | null;
  root: { binaries: string[]; packages: string[] } | null;
  adb: { keys: AdbKey[]; lastKeyReceived: string | null; wifiDebugging: boolean | null } | null;
  developerOptions: { enabled: boolean | null; usbDebugging: boolean | null; wirelessDebugging: boolean | null } | null;
  processes: string[] | null;
  /**
   * What the acquisition says of the apps' icons: `icons`, which apps show one (our own collection, or a
   * dump that prints intent categories); `start-screens`, only which apps have no start screen at all
   * (AndroidQF's full dumpsys: those have no icon, the others are unknown); null, nothing.
   */
  launchers: 'icons' | 'start-screens' | null;
  /** Files listed by AndroidQF's files.json with a hash, for file-hash indicators. */
  fileHashes: { path: string; sha256: string }[];
}
