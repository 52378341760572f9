import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAccessibility } from '../../src/device/parse/accessibility.js';
import { adbKeyFingerprint, parseAdb } from '../../src/device/parse/adb-keys.js';
import { parsePackagesJson, parsePs } from '../../src/device/parse/androidqf.js';
import { parseAppops } from '../../src/device/parse/appops.js';
import { parseDevicePolicy } from '../../src/device/parse/device-policy.js';
import { dumpText, normalizeComponent, serviceText, splitDumpsys } from '../../src/device/parse/dumpsys.js';
import { parseNotificationListeners } from '../../src/device/parse/notification.js';
import { parsePackageDump } from '../../src/device/parse/package-dump.js';
import { parseGetprop, parseSettings } from '../../src/device/parse/settings.js';
import { android } from '../helpers/paths.js';

const read = (...p: string[]): string => dumpText(readFileSync(android(...p)));

describe('dumpsys split', () => {
  it('finds every service of AndroidQF’s dumpsys.txt, binary bytes and all', () => {
    const s = splitDumpsys(read('androidqf-mvt', 'dumpsys.txt'));
    assert.deepEqual([...s.keys()], ['accessibility', 'package', 'appops', 'adb', 'dbinfo', 'batterystats', 'platform_compat']);
    assert.match(s.get('accessibility')!, /^ACCESSIBILITY MANAGER/);
    assert.ok(!s.get('accessibility')!.includes('DUMP OF SERVICE'));
  });
  it('reads a priority header and a single-service dump', () => {
    const s = splitDumpsys('DUMP OF SERVICE CRITICAL package:\nA\nDUMP OF SERVICE HIGH package:\nB\n');
    assert.equal(s.get('package'), 'A\n\nB\n');
    assert.equal(serviceText('just text', 'adb'), 'just text');
  });
  it('expands short component names', () => {
    assert.equal(normalizeComponent('com.a/.B'), 'com.a/com.a.B');
    assert.equal(normalizeComponent('com.a/x.B'), 'com.a/x.B');
  });
});

describe('accessibility', () => {
  it('reads the list form used before Android 14', () => {
    const a = parseAccessibility(read('dumpsys-mvt', 'dumpsys_accessibility.txt'));
    assert.equal(a.format, 'legacy');
    assert.equal(a.installed.length, 4);
    assert.ok(a.installed.includes('com.samsung.accessibility/com.samsung.android.app.talkback.TalkBackService'));
    assert.ok(a.installed.includes('com.samsung.accessibility/com.samsung.accessibility.universalswitch.UniversalSwitchService'));
    assert.deepEqual(a.enabled, []);
  });
  it('reads the inline form of Android 14 and later', () => {
    const a = parseAccessibility(read('dumpsys-mvt', 'dumpsys_accessibility_v14_or_later.txt'));
    assert.equal(a.format, 'v14');
    assert.deepEqual(a.enabled, ['com.malware.accessibility/com.malware.service.malwareservice']);
  });
  it('reads spytrap-adb’s dumps with nothing enabled', () => {
    for (const f of ['plain.txt', 'plain2.txt']) assert.deepEqual(parseAccessibility(read('dumpsys-spytrap', 'accessibility', f)).enabled, [], f);
  });
  it('reads enabled services written in the list form', () => {
    const a = parseAccessibility('  enabled services: {\n    0 : com.spy/.Svc\n    1 : com.google.android.marvin.talkback/.TalkBackService\n  }\n');
    assert.deepEqual(a.enabled, ['com.spy/com.spy.Svc', 'com.google.android.marvin.talkback/com.google.android.marvin.talkback.TalkBackService']);
  });
});

describe('dumpsys adb', () => {
  it('reads the key of each variant and matches the phone’s own fingerprint', () => {
    for (const f of ['dumpsys_adb.txt', 'dumpsys_adb_wifi.txt']) {
      const d = parseAdb(read('dumpsys-mvt', f));
      assert.equal(d.keys.length, 1, f);
      assert.equal(d.keys[0]!.comment, 'user@linux');
      assert.equal(d.keys[0]!.fingerprint, 'F0:A1:3D:8C:B3:F4:7B:09:9F:EE:8B:D8:38:2E:BD:C6');
      assert.equal(d.lastKeyReceived, d.keys[0]!.fingerprint);
      assert.equal(d.connected, true);
    }
    assert.equal(parseAdb(read('dumpsys-mvt', 'dumpsys_adb_wifi.txt')).wifiDebugging, false);
  });
  it('reads the XML keystore with its last connection', () => {
    const d = parseAdb(read('dumpsys-mvt', 'dumpsys_adb_xml.txt'));
    assert.equal(d.keys.length, 1);
    assert.equal(d.keys[0]!.comment, 'user@laptop');
    assert.equal(d.keys[0]!.lastConnection, new Date(1628501829898).toISOString());
    assert.equal(d.keys[0]!.fingerprint, adbKeyFingerprint(d.keys[0]!.key));
  });
});

describe('dumpsys package', () => {
  it('reads packages, permissions granted and the verifier from a real phone', () => {
    const d = parsePackageDump(read('dumpsys-mvt', 'dumpsys_packages.txt'));
    assert.deepEqual([...d.packages.keys()], ['com.samsung.android.provider.filterprovider', 'com.sec.android.app.DataCreate']);
    const dc = d.packages.get('com.sec.android.app.DataCreate')!;
    assert.equal(dc.uid, 10143);
    assert.equal(dc.system, true);
    assert.ok(dc.granted.includes('android.permission.WRITE_SMS'));
    assert.ok(!dc.granted.includes('android.permission.READ_SMS'), 'runtime permission with granted=false');
    assert.ok(dc.requested.includes('android.permission.RECEIVE_BOOT_COMPLETED'));
    assert.deepEqual(d.verifiers, ['com.android.vending']);
  });
  it('reads boot receivers, the launcher icon and the installer from single-package dumps', () => {
    const contacts = parsePackageDump(read('dumpsys-spytrap', 'package', 'contacts.txt'));
    assert.ok(contacts.bootReceivers.has('com.android.contacts'));
    const jitsi = parsePackageDump(read('dumpsys-spytrap', 'package', 'jitsi.txt'));
    assert.equal(jitsi.packages.get('org.jitsi.meet')!.installer, 'com.android.packageinstaller');
    assert.deepEqual([...(jitsi.launchers ?? [])], ['org.jitsi.meet']);
    assert.ok(jitsi.packages.get('org.jitsi.meet')!.granted.length > 0);
  });
});

describe('appops, device policy, notification listeners', () => {
  it('reads allowed operations per package', () => {
    const ops = parseAppops(read('dumpsys-mvt', 'dumpsys_appops.txt'));
    assert.equal(ops.get('com.facebook.katana')!.get('READ_CONTACTS'), 'allow');
    assert.equal(ops.get('com.facebook.katana')!.get('WRITE_SMS'), 'ignore');
    assert.equal(ops.get('com.sec.factory.camera')!.get('RECORD_AUDIO'), 'allow');
  });
  // No public sample of these two services exists in the shared data; the text follows AOSP's dump format.
  it('reads device admins, device owner and profile owner', () => {
    const text = [
      'Current Device Policy Manager state:',
      '  Device Owner: ',
      '    admin=ComponentInfo{com.corp.mdm/com.corp.mdm.Admin}',
      '    name=',
      '    package=com.corp.mdm',
      '',
      '  Profile Owner (User 10): ',
      '    admin=ComponentInfo{com.work/.Owner}',
      '',
      '  Enabled Device Admins (User 0, provisioningState: 3):',
      '    com.google.android.gms/com.google.android.gms.mdm.receivers.MdmDeviceAdminReceiver:',
      '      uid=10143',
      '      policies:',
      '        wipe-data',
      '        force-lock',
      '    com.spy/.AdminReceiver:',
      '      uid=10250',
      '',
      '  Encryption Status: per-user',
    ].join('\n');
    const p = parseDevicePolicy(text);
    assert.equal(p.deviceOwner, 'com.corp.mdm/com.corp.mdm.Admin');
    assert.deepEqual(p.profileOwners, [{ component: 'com.work/com.work.Owner', user: 10 }]);
    assert.deepEqual(
      p.admins.map((a) => a.component),
      ['com.google.android.gms/com.google.android.gms.mdm.receivers.MdmDeviceAdminReceiver', 'com.spy/com.spy.AdminReceiver'],
    );
    assert.deepEqual(p.admins[0]!.policies, ['wipe-data', 'force-lock']);
  });
  it('reads the other admin forms: nested under a user, DeviceAdminInfo, none', () => {
    const nested = parseDevicePolicy(
      ['Current Device Policy Manager state:', '  User 0:', '    Enabled Device Admins (User 0, provisioningState: 0):', '      com.clean.pro/.AdminReceiver:', '        uid=10301', '    mPasswordOwner=-1'].join('\n'),
    );
    assert.deepEqual(nested.admins.map((a) => a.component), ['com.clean.pro/com.clean.pro.AdminReceiver']);
    const info = parseDevicePolicy(['  Enabled Device Admins (User 0):', '    admin=DeviceAdminInfo{ComponentInfo{com.real.admin/.Receiver}}'].join('\n'));
    assert.deepEqual(info.admins.map((a) => a.component), ['com.real.admin/com.real.admin.Receiver']);
    assert.deepEqual(parseDevicePolicy(['  Enabled Device Admins (User 0, provisioningState: 0):', '    <none>', '  mPasswordOwner=-1'].join('\n')).admins, []);
  });
  it('reads the listener lists of other builds (all enabled, live with ComponentInfo), not the disallowed ones', () => {
    const text = [
      '  Notification listeners:',
      '    All notification listeners (2) enabled for current profiles:',
      '      ComponentInfo{com.cleaner.app/com.cleaner.app.notify.NotifyService}',
      '      ComponentInfo{com.android.systemui/com.android.systemui.Listener}',
      '    Live notification listeners (1):',
      '      ComponentInfo{com.android.systemui/com.android.systemui.Listener} (user -1): android.service.notification.INotificationListener$Stub$Proxy@c1d4d0f SYSTEM',
      '    Disallowed listeners:',
      '      ComponentInfo{com.refused.app/com.refused.app.L}',
      '  Notification assistants:',
    ].join('\n');
    assert.deepEqual(parseNotificationListeners(text).sort(), ['com.android.systemui/com.android.systemui.Listener', 'com.cleaner.app/com.cleaner.app.notify.NotifyService']);
  });
  it('reads enabled notification listeners', () => {
    const text = [
      '  Notification listeners:',
      '    Allowed user profiles: {0}',
      '    Live notification listeners (2):',
      '      com.android.systemui/.NotificationListenerWithPlugins (user 0): ManagedServiceInfo[component=ComponentInfo{com.android.systemui/com.android.systemui.NotificationListenerWithPlugins}, userid=0]',
      '      com.spy/.NotifSvc (user 0): ManagedServiceInfo[component=ComponentInfo{com.spy/com.spy.NotifSvc}, userid=0]',
      '  Notification assistants:',
      '    com.android.ext.services/.notification.Assistant',
    ].join('\n');
    assert.deepEqual(parseNotificationListeners(text).sort(), ['com.android.systemui/com.android.systemui.NotificationListenerWithPlugins', 'com.spy/com.spy.NotifSvc']);
  });
});

describe('AndroidQF files', () => {
  it('reads packages.json with lower-case hashes and "null" installers', () => {
    const pkgs = parsePackagesJson(read('androidqf-mvt', 'packages.json'));
    assert.equal(pkgs.length, 7);
    const wa = pkgs.find((p) => p.name === 'com.whatsapp')!;
    assert.equal(wa.installer, null);
    assert.equal(wa.files[0]!.certificate!.sha1, '38a0f7d505fe18fec64fbf343ecaaaf310dbd799');
    assert.equal(wa.files[0]!.sha256, '744ed47f8176ec423840344c33e88bd2c96e8988cda0797f3415bb5229efc12b');
  });
  it('normalises upper-case and colon hashes', () => {
    const p = parsePackagesJson(JSON.stringify([{ name: 'x', files: [{ path: '/a', sha256: 'AB'.repeat(32), certificate: { Sha1: '38:A0:F7:D5:05:FE:18:FE:C6:4F:BF:34:3E:CA:AA:F3:10:DB:D7:99' } }] }]));
    assert.equal(p[0]!.files[0]!.sha256, 'ab'.repeat(32));
    assert.equal(p[0]!.files[0]!.certificate!.sha1, '38a0f7d505fe18fec64fbf343ecaaaf310dbd799');
  });
  it('reads getprop, settings and ps', () => {
    const props = parseGetprop(read('dumpsys-mvt', 'getprop.txt'));
    assert.ok(props.size > 5);
    const s = parseSettings(read('androidqf-mvt', 'settings_random.txt'));
    assert.equal(s.get('package_verifier_enable'), '1');
    assert.equal(s.get('navigationbar_recently_used_color'), '');
    const ps = parsePs(read('androidqf-mvt', 'ps.txt'));
    assert.equal(ps[0], 'init');
    assert.ok(ps.includes('[kthreadd]'));
  });
  it('refuses packages.json that is not JSON, with the file named', () => {
    assert.throws(() => parsePackagesJson('{"name": '), /packages\.json: not valid JSON/);
  });
});
