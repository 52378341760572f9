import { RULES, ruleFamily } from '../../detect/registry.js';
import type { Evidence, Finding, IndicatorRef, Level, Note } from '../../detect/types.js';
import type { Indicators, Match } from '../../indicators/matcher.js';
import type { DeviceApp, DeviceFacts, InstallSource } from '../facts.js';
import { deviceNotes, type DeviceNotesContext } from '../notes.js';
import { packageOfComponent } from '../parse/dumpsys.js';
import { capabilitiesOf, SENSITIVE, type Capability } from './capabilities.js';
import { knownReason, type AccessKind, type ExplainReason } from './known.js';

/**
 * Device rules: device facts + indicators → findings, in the same Finding shape as the traffic rules
 * so the verdict and reports treat both alike. `host` is the app's package name, or `phone` for
 * settings of the phone as a whole. Levels:
 *
 * - On an indicator list as stalkerware or spyware (package, signing certificate, APK hash) → high,
 *   naming the family. On Echap's watchware list (visible monitoring apps) → moderate.
 * - Special access (accessibility, notification access, device administrator) held by an app the
 *   person installed: moderate when it did not come from an app store, low when it did (password
 *   managers and watch apps use it too). Preinstalled apps and known tools are explained instead.
 * - A sideloaded app on no list that holds two of accessibility, notification access and device
 *   administrator behaves like stalkerware: moderate; with all three, or two and no app icon, high.
 *   It never names a family: nothing says which one it is.
 * - Phone settings (verification off, root, other trusted computers, wireless debugging) → low or
 *   moderate (root).
 */

export interface DeviceRuleConfig {
  /** Rule ids turned off. */
  disabled: string[];
  /** quietcheck's own USB debugging keys (base64), so the computer doing the check is not reported. */
  ownAdbKeys: string[];
  /** Evidence items kept per finding. */
  maxEvidence: number;
}

export const DEFAULT_DEVICE_RULE_CONFIG: DeviceRuleConfig = { disabled: [], ownAdbKeys: [], maxEvidence: 20 };

/** An app whose special access is ordinary: listed in the report with the reason, not counted. */
export interface Explained {
  app: string;
  access: AccessKind;
  reason: ExplainReason;
  component: string;
}

export interface DeviceDetection {
  findings: Finding[];
  explained: Explained[];
  /** What the verdict takes into account beside the findings (../notes.ts). */
  notes: Note[];
}

/** The device rules, from the rule registry where every rule is declared. */
export const DEVICE_RULES = RULES.filter((r) => ruleFamily(r.id) === 'DEV').map((r) => r.id);

export const PHONE_HOST = 'phone';

const STORE_SOURCES: ReadonlySet<InstallSource> = new Set(['play', 'store']);

export function isSideloaded(app: DeviceApp): boolean {
  return !app.system && (app.source === 'none' || app.source === 'package-installer' || app.source === 'other-app');
}

function ev(text: string, kind: Evidence['kind'] = 'app'): Evidence {
  return { kind, ts: null, text };
}

function ref(m: Match): IndicatorRef {
  return { value: m.value, kind: m.kind, family: m.family, tag: m.tag, feed: m.feed, feedVersion: m.feedVersion, source: m.source };
}

function isWatchware(m: Match): boolean {
  return (m.tag ?? '').toLowerCase() === 'watchware';
}

/** Stalkerware entries before watchware ones, then feed order: the strongest reading of the app wins. */
function best(matches: readonly Match[]): Match | null {
  return [...matches].sort((a, b) => Number(isWatchware(a)) - Number(isWatchware(b)) || Number(a.tag === null) - Number(b.tag === null))[0] ?? null;
}

/**
 * Whether an app's matches say watchware. Lists without categories (samples.csv) repeat Echap's
 * watchware apps, and Echap's ioc.yaml still calls two of its watchware families (WiseMo,
 * FindMyKids) stalkerware: a family that a list names as watchware is read as watchware, the more
 * specific category, so a visible monitoring app is not reported as hidden stalkerware.
 */
function onlyWatchware(matches: readonly Match[]): boolean {
  const watchFamilies = new Set(matches.filter(isWatchware).map((m) => (m.family ?? '').toLowerCase()));
  if (watchFamilies.size === 0) return false;
  return matches.every((m) => isWatchware(m) || m.family === null || watchFamilies.has(m.family.toLowerCase()));
}

interface IndicatorHit {
  rule: 'DEV-PACKAGE' | 'DEV-CERT' | 'DEV-APK-HASH';
  match: Match;
  all: readonly Match[];
  what: string;
}

function indicatorHits(app: DeviceApp, indicators: Indicators): IndicatorHit[] {
  const hits: IndicatorHit[] = [];
  const byName = indicators.matchPackage(app.name);
  const pkg = best(byName);
  if (pkg) hits.push({ rule: 'DEV-PACKAGE', match: pkg, all: byName, what: `package ${app.name}` });
  for (const c of app.certificates) {
    for (const [algo, value] of [['SHA-1', c.sha1], ['SHA-256', c.sha256], ['MD5', c.md5]] as const) {
      if (value === null) continue;
      const all = indicators.matchApkCertificate(value);
      const m = best(all);
      if (m) hits.push({ rule: 'DEV-CERT', match: m, all, what: `signing certificate ${algo} ${value}${c.subject ? ` (${c.subject})` : ''}` });
    }
  }
  for (const f of app.files) {
    for (const [algo, value] of [['SHA-256', f.sha256], ['SHA-1', f.sha1], ['MD5', f.md5]] as const) {
      if (value === null) continue;
      const all = apkHashMatches(indicators, value);
      const m = best(all);
      if (m) hits.push({ rule: 'DEV-APK-HASH', match: m, all, what: `${f.path} ${algo} ${value}` });
    }
  }
  return hits;
}

/** SHA-256 through the APK-hash lookup (samples lists, STIX/MISP file hashes); SHA-1 and MD5 as file hashes. */
function apkHashMatches(indicators: Indicators, hex: string): readonly Match[] {
  if (hex.length === 64) return indicators.matchApkHash(hex);
  return indicators.matchHash(hex).filter((x) => x.kind.startsWith('file-'));
}

export function detectDevice(facts: DeviceFacts, indicators: Indicators, config: Partial<DeviceRuleConfig> = {}, context: DeviceNotesContext = {}): DeviceDetection {
  const cfg = { ...DEFAULT_DEVICE_RULE_CONFIG, ...config };
  const off = new Set(cfg.disabled);
  const findings: Finding[] = [];
  const explained: Explained[] = [];
  const add = (f: Finding): void => {
    if (off.has(f.id)) return;
    f.params.evidenceCount = f.evidence.length;
    f.evidence = f.evidence.slice(0, cfg.maxEvidence);
    findings.push(f);
  };
  const apps = new Map(facts.apps.map((a) => [a.name, a]));
  const appOf = (name: string): DeviceApp | undefined => apps.get(name);

  // Special access, by package.
  const access = new Map<string, { accessibility: string[]; notifications: string[]; admin: string[] }>();
  const accessOf = (pkg: string): { accessibility: string[]; notifications: string[]; admin: string[] } => {
    let a = access.get(pkg);
    if (!a) access.set(pkg, (a = { accessibility: [], notifications: [], admin: [] }));
    return a;
  };
  for (const c of facts.accessibility?.enabled ?? []) accessOf(packageOfComponent(c)).accessibility.push(c);
  for (const c of facts.notificationListeners ?? []) accessOf(packageOfComponent(c)).notifications.push(c);
  for (const a of facts.deviceAdmins ?? []) accessOf(packageOfComponent(a.component)).admin.push(a.component);

  const onList = new Set<string>();
  for (const app of facts.apps) {
    const hits = indicatorHits(app, indicators);
    if (hits.length === 0) continue;
    onList.add(app.name);
    const stalker = onlyWatchware(hits.flatMap((h) => h.all)) ? [] : hits.filter((h) => !isWatchware(h.match));
    const caps = capabilitiesOf(app, specialAccessOf(access.get(app.name)));
    const common = { capabilities: caps.join(','), source: app.source, installer: app.installer ?? '' };
    if (stalker.length > 0) {
      // One finding per kind of match: the package name alone is weaker evidence than its certificate.
      for (const rule of ['DEV-PACKAGE', 'DEV-CERT', 'DEV-APK-HASH'] as const) {
        const of = stalker.filter((h) => h.rule === rule);
        if (of.length === 0) continue;
        const m = of[0]!.match;
        add({
          id: rule,
          level: 'high',
          host: app.name,
          family: m.family,
          indicator: ref(m),
          params: { app: app.name, ...common },
          evidence: of.map((h) => ev(`${h.what} — ${h.match.feed} ${h.match.source}`)),
          alsoAllowedBy: null,
        });
      }
    } else {
      const m = hits[0]!.match;
      add({
        id: 'DEV-WATCHWARE',
        level: 'moderate',
        host: app.name,
        family: m.family,
        indicator: ref(m),
        params: { app: app.name, ...common },
        evidence: hits.map((h) => ev(`${h.what} — ${h.match.feed} ${h.match.source}`)),
        alsoAllowedBy: null,
      });
    }
  }

  // Files listed by AndroidQF's files.json (APKs left in Downloads, for example).
  for (const f of facts.fileHashes) {
    const m = best(apkHashMatches(indicators, f.sha256));
    if (!m) continue;
    add({
      id: isWatchware(m) ? 'DEV-WATCHWARE' : 'DEV-APK-HASH',
      level: isWatchware(m) ? 'moderate' : 'high',
      host: f.path,
      family: m.family,
      indicator: ref(m),
      params: { app: f.path, capabilities: '', source: '', installer: '' },
      evidence: [ev(`${f.path} SHA-256 ${f.sha256} — ${m.feed} ${m.source}`)],
      alsoAllowedBy: null,
    });
  }

  // Special access: explained for known holders, a sign for the rest.
  const accessRules: [AccessKind, 'accessibility' | 'notifications' | 'admin', string][] = [
    ['accessibility', 'accessibility', 'DEV-ACCESSIBILITY'],
    ['notification', 'notifications', 'DEV-NOTIFICATION-LISTENER'],
    ['admin', 'admin', 'DEV-DEVICE-ADMIN'],
  ];
  for (const [pkg, held] of access) {
    const app = appOf(pkg);
    const preinstalled = app ? app.system : false;
    for (const [kind, field, rule] of accessRules) {
      const comps = held[field];
      if (comps.length === 0) continue;
      const reason = knownReason(pkg, kind, preinstalled);
      if (reason !== null) {
        for (const c of comps) explained.push({ app: pkg, access: kind, reason, component: c });
        continue;
      }
      // An app on an indicator list is already reported with its family; its access is evidence there.
      if (onList.has(pkg)) continue;
      const level: Level = app && STORE_SOURCES.has(app.source) ? 'low' : 'moderate';
      add({
        id: rule,
        level,
        host: pkg,
        family: null,
        indicator: null,
        params: { app: pkg, source: app?.source ?? 'unknown', installer: app?.installer ?? '', capabilities: app ? capabilitiesOf(app, specialAccessOf(held)).join(',') : '' },
        evidence: comps.map((c) => ev(`${kind}: ${c}`)),
        alsoAllowedBy: null,
      });
    }
  }

  // Device and profile owners: a managed phone or a work profile.
  const owners: { component: string; what: string }[] = [];
  if (facts.deviceOwner) owners.push({ component: facts.deviceOwner, what: 'device owner' });
  for (const p of facts.profileOwners) owners.push({ component: p.component, what: `profile owner (user ${p.user})` });
  for (const o of owners) {
    const pkg = packageOfComponent(o.component);
    const reason = knownReason(pkg, 'owner', false);
    if (reason !== null) {
      explained.push({ app: pkg, access: 'owner', reason, component: o.component });
      continue;
    }
    add({
      id: 'DEV-DEVICE-OWNER',
      level: 'moderate',
      host: pkg,
      family: null,
      indicator: null,
      params: { app: pkg },
      evidence: [ev(`${o.what}: ${o.component}`)],
      alsoAllowedBy: null,
    });
  }

  for (const app of facts.apps) {
    if (app.system || onList.has(app.name)) continue;
    const held = access.get(app.name);
    const sideloaded = isSideloaded(app);
    const caps = capabilitiesOf(app, specialAccessOf(held));
    if (sideloaded) {
      add({
        id: 'DEV-SIDELOADED',
        level: 'low',
        host: app.name,
        family: null,
        indicator: null,
        params: { app: app.name, source: app.source, installer: app.installer ?? '', capabilities: caps.join(',') },
        evidence: [ev(`installer: ${app.installer ?? 'none recorded'}${app.initiator ? `, started by ${app.initiator}` : ''}${app.firstInstallTime ? `, installed ${app.firstInstallTime}` : ''}`)],
        alsoAllowedBy: null,
      });
    }
    const sensitive = caps.filter((c) => SENSITIVE.has(c));
    if (sideloaded && app.startsAtBoot && sensitive.length > 0) {
      add({
        id: 'DEV-BOOT-SENSITIVE',
        level: 'low',
        host: app.name,
        family: null,
        indicator: null,
        params: { app: app.name, capabilities: sensitive.join(',') },
        evidence: [ev(`starts at boot; granted: ${(app.granted ?? app.allowedOps).filter((p) => /SMS|CALL_LOG|LOCATION|RECORD_AUDIO|CAMERA/.test(p)).join(', ')}`)],
        alsoAllowedBy: null,
      });
    }
    if (app.launcher === false && app.thirdParty) {
      add({
        id: 'DEV-HIDDEN-APP',
        level: sideloaded ? 'moderate' : 'low',
        host: app.name,
        family: null,
        indicator: null,
        params: { app: app.name, source: app.source },
        evidence: [ev('no icon in the app drawer (no MAIN/LAUNCHER activity)')],
        alsoAllowedBy: null,
      });
    }
    // The combination: access a monitoring app needs, held by an app from outside any store and on no list.
    if (sideloaded && held) {
      const kinds = [held.accessibility.length > 0, held.notifications.length > 0, held.admin.length > 0].filter(Boolean).length;
      if (kinds >= 2 && held.accessibility.length + held.notifications.length > 0) {
        const high = kinds === 3 || app.launcher === false;
        add({
          id: 'DEV-BEHAVES-LIKE-STALKERWARE',
          level: high ? 'high' : 'moderate',
          host: app.name,
          family: null,
          indicator: null,
          params: { app: app.name, capabilities: caps.join(','), source: app.source },
          evidence: [
            ...held.accessibility.map((c) => ev(`accessibility: ${c}`)),
            ...held.notifications.map((c) => ev(`notification access: ${c}`)),
            ...held.admin.map((c) => ev(`device administrator: ${c}`)),
            ev(`installer: ${app.installer ?? 'none recorded'}`),
            ...(app.launcher === false ? [ev('no icon in the app drawer')] : []),
          ],
          alsoAllowedBy: null,
        });
      }
    }
  }

  phoneRules(facts, cfg, add);
  return { findings, explained, notes: deviceNotes(facts, context) };
}

function specialAccessOf(held: { accessibility: string[]; notifications: string[]; admin: string[] } | undefined): {
  accessibility: boolean;
  notifications: boolean;
  admin: boolean;
} {
  return { accessibility: (held?.accessibility.length ?? 0) > 0, notifications: (held?.notifications.length ?? 0) > 0, admin: (held?.admin.length ?? 0) > 0 };
}

function phoneRules(facts: DeviceFacts, cfg: DeviceRuleConfig, add: (f: Finding) => void): void {
  const phone = (id: string, level: Level, params: Finding['params'], evidence: Evidence[]): void =>
    add({ id, level, host: PHONE_HOST, family: null, indicator: null, params, evidence, alsoAllowedBy: null });

  const v = facts.verifier;
  if (v && (v.verifyApps === false || v.userConsent === false || v.verifyAdbInstalls === false)) {
    const ev2: Evidence[] = [];
    if (v.verifyApps === false) ev2.push(ev('package_verifier_enable=0', 'setting'));
    if (v.userConsent === false) ev2.push(ev('package_verifier_user_consent=-1', 'setting'));
    if (v.verifyAdbInstalls === false) ev2.push(ev('verifier_verify_adb_installs=0', 'setting'));
    phone('DEV-VERIFY-OFF', 'low', {}, ev2);
  }

  const root = facts.root;
  if (root && (root.binaries.length > 0 || root.packages.length > 0)) {
    phone('DEV-ROOT', 'moderate', { count: root.binaries.length + root.packages.length }, [
      ...root.binaries.map((b) => ev(`root binary: ${b}`)),
      ...root.packages.map((p) => ev(`root app: ${p}`)),
    ]);
  }

  const adb = facts.adb;
  if (adb) {
    // The computer doing the check is trusted too: quietcheck's own key, or the one that connected last.
    const own = new Set(cfg.ownAdbKeys.map((k) => k.trim().split(/\s+/)[0]!));
    const others = adb.keys.filter((k) => !own.has(k.key) && !(own.size === 0 && k.fingerprint === adb.lastKeyReceived));
    if (others.length > 0) {
      phone(
        'DEV-ADB-KEYS',
        'low',
        { count: others.length },
        others.map((k) => ev(`${k.fingerprint} ${k.comment}${k.lastConnection ? ` last connected ${k.lastConnection}` : ''}`)),
      );
    }
  }

  const dev = facts.developerOptions;
  const wireless = dev?.wirelessDebugging ?? adb?.wifiDebugging ?? null;
  if (wireless === true) phone('DEV-DEVELOPER-OPTIONS', 'low', {}, [ev('adb_wifi_enabled=1 (wireless debugging on)', 'setting')]);
}

/** Capability ids of a finding's params, for the report to word. */
export function findingCapabilities(f: Finding): Capability[] {
  const raw = f.params.capabilities;
  return typeof raw === 'string' && raw ? (raw.split(',') as Capability[]) : [];
}
