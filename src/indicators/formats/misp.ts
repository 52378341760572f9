import { FeedError, type IndicatorKind, type ParseResult } from '../types.js';
import { Collector, parseJson } from './common.js';

/**
 * MISP JSON in its three shapes: an event ({"Event": {…}} or the bare event Echap publishes), an
 * event file of a MISP feed (same shape), and the answer of `/attributes/restSearch`
 * ({"response": {"Attribute": […]}}). The attribute type decides the kind; `to_ids` is not used as a
 * filter because Echap marks package names `to_ids: false` although a device check needs them.
 */

const TYPE_KINDS: Record<string, IndicatorKind> = {
  domain: 'domain',
  hostname: 'domain',
  'ip-dst': 'ip',
  'ip-src': 'ip',
  url: 'url',
  'x509-fingerprint-sha1': 'tls-cert-sha1',
  'x509-fingerprint-sha256': 'tls-cert-sha256',
  'ja3-fingerprint-md5': 'ja3',
  sha256: 'file-sha256',
  sha1: 'file-sha1',
  md5: 'file-md5',
  filename: 'file-name',
  'email-src': 'email',
  'email-dst': 'email',
  email: 'email',
};

/** In an `android-app` object the relation says more than the type (a sha1 there is the signing certificate). */
const RELATION_KINDS: Record<string, IndicatorKind> = {
  appid: 'app-id',
  certificate: 'apk-cert-sha1',
};

interface MispAttribute {
  type?: unknown;
  value?: unknown;
  object_relation?: unknown;
  object_id?: unknown;
  event_id?: unknown;
  uuid?: unknown;
  Tag?: unknown;
  Object?: unknown;
}
interface MispObject {
  name?: unknown;
  Attribute?: unknown;
  uuid?: unknown;
}
interface MispEvent {
  info?: unknown;
  uuid?: unknown;
  Attribute?: unknown;
  Object?: unknown;
  Tag?: unknown;
  Galaxy?: unknown;
}

function tagNames(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  return tags.map((t) => (t && typeof t === 'object' ? (t as { name?: unknown }).name : t)).filter((n): n is string => typeof n === 'string');
}

function tlpOf(tags: string[]): string | null {
  for (const t of tags) {
    const m = /^tlp:\s*([a-z:+-]+)$/i.exec(t.trim());
    if (m) return m[1]!.toLowerCase();
  }
  return null;
}

/** A family named by a galaxy tag (`misp-galaxy:android="TheTruthSpy"`), the usual MISP way. */
function galaxyFamily(tags: string[]): string | null {
  for (const t of tags) {
    const m = /^misp-galaxy:[^=]+="(.+)"$/.exec(t);
    if (m) return m[1]!;
  }
  return null;
}

interface Located {
  a: MispAttribute;
  path: string;
  family: string | null;
  tlp: string | null;
  objectName: string | null;
}

function eventAttributes(ev: MispEvent, prefix: string, out: Located[]): void {
  const evTags = tagNames(ev.Tag);
  const evFamily = galaxyFamily(evTags);
  const evTlp = tlpOf(evTags);
  (Array.isArray(ev.Attribute) ? (ev.Attribute as MispAttribute[]) : []).forEach((a, i) => {
    const tags = tagNames(a?.Tag);
    out.push({ a, path: `${prefix}Attribute[${i}]`, family: galaxyFamily(tags) ?? evFamily, tlp: tlpOf(tags) ?? evTlp, objectName: null });
  });
  (Array.isArray(ev.Object) ? (ev.Object as MispObject[]) : []).forEach((o, i) => {
    const attrs = Array.isArray(o?.Attribute) ? (o.Attribute as MispAttribute[]) : [];
    // Echap's android-app objects carry the family as a `name` text attribute.
    const nameAttr = attrs.find((a) => a?.object_relation === 'name' && typeof a.value === 'string');
    const family = (nameAttr?.value as string | undefined) ?? evFamily;
    const objectName = typeof o?.name === 'string' ? o.name : null;
    attrs.forEach((a, j) => {
      if (a === nameAttr) return;
      const tags = tagNames(a?.Tag);
      out.push({ a, path: `${prefix}Object[${i}].Attribute[${j}]`, family: galaxyFamily(tags) ?? family, tlp: tlpOf(tags) ?? evTlp, objectName });
    });
  });
}

/**
 * restSearch flattens objects away: an attribute only says `object_id` and `object_relation`, so the
 * family an android-app object names through its `name` attribute is found again by grouping on the
 * object. Without the object's template name, the android-app relations that change the kind
 * (`appid`, `certificate` as sha1) are recognised by relation and type.
 */
function restSearchAttributes(list: unknown[], out: Located[]): void {
  const objectKey = (a: MispAttribute): string | null => {
    const id = typeof a.object_id === 'string' || typeof a.object_id === 'number' ? String(a.object_id) : null;
    return id === null || id === '0' ? null : `${String(a.event_id ?? '')}/${id}`;
  };
  const names = new Map<string, string>();
  for (const raw of list) {
    const a = raw as MispAttribute | null;
    if (!a || typeof a !== 'object' || a.object_relation !== 'name' || a.type !== 'text' || typeof a.value !== 'string') continue;
    const k = objectKey(a);
    if (k !== null && !names.has(k)) names.set(k, a.value);
  }
  list.forEach((raw, i) => {
    const a = raw as MispAttribute;
    const k = a && typeof a === 'object' ? objectKey(a) : null;
    if (k !== null && a.object_relation === 'name' && a.type === 'text' && names.get(k) === a.value) return;
    const tags = tagNames(a?.Tag);
    const obj = a && typeof a === 'object' ? (a.Object as { name?: unknown } | undefined) : undefined;
    let objectName = obj && typeof obj.name === 'string' ? obj.name : null;
    if (objectName === null && k !== null && ((a.object_relation === 'appid' && a.type === 'text') || (a.object_relation === 'certificate' && a.type === 'sha1'))) {
      objectName = 'android-app';
    }
    out.push({ a, path: `response.Attribute[${i}]`, family: galaxyFamily(tags) ?? (k !== null ? names.get(k) ?? null : null), tlp: tlpOf(tags), objectName });
  });
}

export function parseMisp(text: string, file: string): ParseResult {
  const doc = parseJson(text, file) as { Event?: unknown; response?: unknown } & MispEvent;
  if (!doc || typeof doc !== 'object') throw new FeedError(`${file}: not a MISP event (expected a JSON object)`);
  const c = new Collector('misp-event');
  const attributes: Located[] = [];
  const response = doc.response as { Attribute?: unknown } | unknown[] | undefined;
  if (response && typeof response === 'object' && !Array.isArray(response) && Array.isArray(response.Attribute)) {
    restSearchAttributes(response.Attribute, attributes);
  } else if (Array.isArray(response)) {
    // `/events/restSearch` answers a list of {"Event": …}.
    response.forEach((e, i) => {
      const ev = e && typeof e === 'object' ? ((e as { Event?: unknown }).Event as MispEvent | undefined) : undefined;
      if (!ev || typeof ev !== 'object') throw new FeedError(`${file}: response[${i}] is not a MISP event (expected {"Event": {…}})`);
      eventAttributes(ev, `response[${i}].Event.`, attributes);
    });
  } else {
    const ev = (doc.Event && typeof doc.Event === 'object' ? doc.Event : doc) as MispEvent;
    if (!Array.isArray(ev.Attribute) && !Array.isArray(ev.Object)) {
      throw new FeedError(`${file}: not a MISP event (expected "Attribute" or "Object" lists, or {"response": {"Attribute": […]}})`);
    }
    eventAttributes(ev, doc.Event ? 'Event.' : '', attributes);
  }
  for (const { a, path, family, tlp, objectName } of attributes) {
    if (!a || typeof a !== 'object' || typeof a.type !== 'string' || typeof a.value !== 'string') {
      c.skip('misp:malformed-attribute');
      continue;
    }
    const source = `${file} ${path}${typeof a.uuid === 'string' ? ` ${a.uuid}` : ''}`;
    const p = { family, tag: null, tlp, source };
    const rel = typeof a.object_relation === 'string' ? a.object_relation : null;
    if (objectName === 'android-app' && rel && RELATION_KINDS[rel]) {
      c.add(RELATION_KINDS[rel]!, a.value, p);
      continue;
    }
    const type = a.type;
    if (type.includes('|')) {
      // Composite types: ip-dst|port, domain|ip, hostname|port — the useful halves are kept.
      const [t1, t2] = type.split('|') as [string, string];
      const [v1, v2] = a.value.split('|') as [string, string | undefined];
      const k1 = TYPE_KINDS[t1];
      const k2 = t2 === 'port' ? undefined : TYPE_KINDS[t2];
      if (!k1 && !k2) c.skip(`misp:type:${type}`);
      if (k1) c.add(k1, v1, p);
      if (k2 && v2 !== undefined) c.add(k2, v2, p);
      continue;
    }
    const kind = TYPE_KINDS[type];
    if (!kind) {
      c.skip(`misp:type:${type}`);
      continue;
    }
    c.add(kind, a.value, p);
  }
  return c.result();
}

/** A MISP feed's manifest.json: event uuids to fetch as `<uuid>.json` next to it. */
export function parseMispManifest(text: string, file: string): string[] {
  const doc = parseJson(text, file);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new FeedError(`${file}: not a MISP feed manifest (expected {"<event uuid>": {…}, …})`);
  const ids = Object.keys(doc);
  for (const id of ids) if (!/^[0-9a-f-]{36}$/i.test(id)) throw new FeedError(`${file}: not a MISP feed manifest ("${id.slice(0, 40)}" is not an event uuid)`);
  return ids;
}
