import { indentOf, isComponent, linesOf, normalizeComponent } from './dumpsys.js';

/**
 * `dumpsys device_policy`: active device administrators per user, the device owner (a managed phone)
 * and profile owners (a work profile). An admin can lock or wipe the phone and resists uninstalling.
 */

export interface DeviceAdmin {
  component: string;
  user: number;
  policies: string[];
}

export interface DevicePolicyDump {
  admins: DeviceAdmin[];
  deviceOwner: string | null;
  profileOwners: { component: string; user: number }[];
}

export function parseDevicePolicy(text: string): DevicePolicyDump {
  const out: DevicePolicyDump = { admins: [], deviceOwner: null, profileOwners: [] };
  let block: { kind: 'admins'; user: number; indent: number } | { kind: 'owner'; user: number | null; indent: number } | null = null;
  let admin: DeviceAdmin | null = null;
  let inPolicies = false;
  for (const line of linesOf(text)) {
    if (line.trim() === '') continue;
    const ind = indentOf(line);
    const t = line.slice(ind).trimEnd();
    const admins = /^Enabled Device Admins \(User (\d+)/.exec(t);
    if (admins) {
      block = { kind: 'admins', user: Number(admins[1]), indent: ind };
      admin = null;
      continue;
    }
    if (t.startsWith('Device Owner')) {
      block = { kind: 'owner', user: null, indent: ind };
      continue;
    }
    const po = /^Profile Owner \(User (\d+)\)/.exec(t);
    if (po) {
      block = { kind: 'owner', user: Number(po[1]), indent: ind };
      continue;
    }
    if (block === null) continue;
    if (ind <= block.indent) {
      block = null;
      admin = null;
      continue;
    }
    if (block.kind === 'owner') {
      const m = /^admin=ComponentInfo\{([^}]+)\}/.exec(t);
      if (m && isComponent(m[1]!)) {
        const c = normalizeComponent(m[1]!);
        if (block.user === null) out.deviceOwner ??= c;
        else out.profileOwners.push({ component: c, user: block.user });
      }
      continue;
    }
    // `pkg/cls:` on its own line; some builds write `admin=DeviceAdminInfo{ComponentInfo{pkg/cls}}` instead.
    const head = /^([A-Za-z][\w.]*\/[\w.$]+):$/.exec(t) ?? /^admin=DeviceAdminInfo\{ComponentInfo\{([^}]+)\}/.exec(t);
    if (head && isComponent(head[1]!)) {
      admin = { component: normalizeComponent(head[1]!), user: block.user, policies: [] };
      out.admins.push(admin);
      inPolicies = false;
      continue;
    }
    if (admin === null) continue;
    if (t === 'policies:') inPolicies = true;
    else if (inPolicies && /^[a-z][\w-]*$/.test(t)) admin.policies.push(t);
    else if (t.includes('=') || t.endsWith(':')) inPolicies = false;
  }
  return out;
}
