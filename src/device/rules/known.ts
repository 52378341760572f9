/**
 * Apps that hold powerful access for ordinary reasons. They are listed in the report with the reason
 * ("explained"), never raised as a sign: a screen reader reading the screen or Find My Device being a
 * device administrator is what they are for, and a false alarm about them harms the person checked.
 */

export type ExplainReason = 'system' | 'screenReader' | 'findMyDevice' | 'workManager' | 'wearable';

/** Accessibility tools made by Google and phone makers (TalkBack, Select to Speak, Switch Access, Voice Access…). */
const ACCESSIBILITY_TOOLS = new Set([
  'com.google.android.marvin.talkback',
  'com.android.talkback',
  'com.samsung.accessibility',
  'com.samsung.android.accessibility.talkback',
  'com.google.android.accessibility.switchaccess',
  'com.android.switchaccess',
  'com.google.android.apps.accessibility.voiceaccess',
  'com.google.android.accessibility.soundamplifier',
  'com.google.audio.hearing.visualization.accessibility.scribe',
  'com.google.android.apps.accessibility.maui.actionblocks',
]);

/** Find-my-phone services of Google and phone makers: device administrators so they can lock or erase a lost phone. */
const FIND_MY_DEVICE = new Set([
  'com.google.android.gms',
  'com.google.android.apps.adm',
  'com.samsung.android.fmm',
  'com.huawei.android.findmyphone',
  'com.xiaomi.finddevice',
  'com.coloros.findmyphone',
]);

/** Work and school device management (they set up a managed phone or a work profile). */
const WORK_MANAGERS = new Set([
  'com.google.android.apps.work.clouddpc',
  'com.microsoft.windowsintune.companyportal',
  'com.airwatch.androidagent',
  'com.mobileiron',
  'com.mobileiron.anyware.android',
  'com.ibm.maas360',
  'com.fiberlink.maas360.android.control',
  'com.sophos.mobilecontrol.client.android',
  'com.manageengine.mdm.android',
  'com.blackberry.uem.android',
  'com.citrix.mdm',
  'com.samsung.android.knox.containercore',
]);

/** Companion apps of watches, earbuds and cars: they read notifications to show them on the device. */
const WEARABLES = new Set([
  'com.google.android.wearable.app',
  'com.google.android.apps.wear.companion',
  'com.samsung.android.app.watchmanager',
  'com.samsung.android.waterplugin',
  'com.samsung.android.geargplugin',
  'com.samsung.android.modenplugin',
  'com.fitbit.FitbitMobile',
  'com.garmin.android.apps.connectmobile',
  'com.mi.health',
  'com.xiaomi.wearable',
  'com.huawei.health',
  'com.google.android.projection.gearhead',
  'com.google.android.apps.wearables.maestro.companion',
]);

export type AccessKind = 'accessibility' | 'notification' | 'admin' | 'owner';

/** Why an app's access is ordinary, or null when it deserves a look. Preinstalled apps are part of the phone. */
export function knownReason(app: string, kind: AccessKind, preinstalled: boolean): ExplainReason | null {
  if (kind === 'accessibility' && ACCESSIBILITY_TOOLS.has(app)) return 'screenReader';
  if (kind === 'admin' && FIND_MY_DEVICE.has(app)) return 'findMyDevice';
  if ((kind === 'owner' || kind === 'admin') && WORK_MANAGERS.has(app)) return 'workManager';
  if (kind === 'notification' && WEARABLES.has(app)) return 'wearable';
  if (preinstalled) return 'system';
  return null;
}
